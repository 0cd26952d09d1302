import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// The real daemon against a mocked BlueZ on a private system bus: a FORA meter over its BLE
/// serial service is found by its address, connected, read, stored and uploaded; a phone that
/// no profile matches is never connected.
@Suite(.enabled(if: BLEBus.isAvailable, "needs dbus-daemon and python3-dbusmock"), .serialized)
struct BLEEndToEndTests {
    /// The commands the TaiDoc read-only session may send (docs/protocols/taidoc.md).
    static let allowedCommands: Set<String> = ["22", "24", "28", "27", "23", "2b", "25", "26", "50"]

    static func profiles(rule: String = "address: \"\(BLEBus.meterAddress)\"") throws -> String {
        try BLEBus.foraProfiles(rule: rule)
    }

    /// Runs `pocgate run` on the bus until `done` holds for its stderr (or 90 s), then SIGTERM.
    /// `step` runs once, when `at` first holds for the stderr, with the daemon's pid.
    static func runDaemon(_ gateway: GatewayUnderTest, bus: BLEBus, at: (String) -> Bool = { _ in false },
                          step: (Int32) throws -> Void = { _ in }, until done: (String) -> Bool) throws -> String {
        try runDaemon(gateway, busAddress: bus.address, at: at, step: step, until: done)
    }

    /// `runDaemon` on the bus at `busAddress` (any mocked BlueZ harness).
    static func runDaemon(_ gateway: GatewayUnderTest, busAddress: String, at: (String) -> Bool = { _ in false },
                          step: (Int32) throws -> Void = { _ in }, until done: (String) -> Bool) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gateway.command[0])
        p.arguments = Array(gateway.command.dropFirst())
        var environment = ProcessInfo.processInfo.environment
        environment["DBUS_SYSTEM_BUS_ADDRESS"] = busAddress
        p.environment = environment
        let errPath = gateway.directory + "/daemon.stderr"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardError = FileHandle(forWritingAtPath: errPath)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(90)
        var text = ""
        var stepped = false
        while Date() < deadline && p.isRunning {
            text = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            if !stepped && at(text) {
                stepped = true
                try step(p.processIdentifier)
            }
            if done(text) { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        if p.isRunning { kill(p.processIdentifier, SIGTERM) }
        p.waitUntilExit()
        return (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    }

    @Test func foraMeterOverBLEIsReadStoredAndUploadedOnceAndAStrangerIsNeverConnected() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEBus(records: 6, stranger: true)
        let profiles = try Self.profiles()
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        let stderr = try Self.runDaemon(gateway, bus: bus) { _ in receiver.receivedObservations().count >= 6 }
        let result = try bus.result()
        let received = receiver.receivedObservations()
        #expect(received.count == 6, "\(stderr)")
        #expect(received.allSatisfy { $0["_status"] as? String == "201" }, "something was sent twice")
        let mmol = result.records.map { AnalyteConversion.glucose.convert(ExactDecimal($0.value), from: "mg/dL", to: "mmol/L")! }
        #expect(received.compactMap { $0["_value_text"] as? String }.sorted() == mmol.map { "\($0)" }.sorted())
        #expect(try gateway.stats().readings == 6)
        #expect(stderr.contains("dump complete"))
        // Never the phone; the meter connected once.
        #expect(result.methods(at: BLEBus.strangerPath).isEmpty, "\(result.calls[BLEBus.strangerPath] ?? [])")
        #expect(result.methods(at: BLEBus.meterPath).filter { $0 == "Connect" }.count == 1)
        // Subscribed before any write; every write a TaiDoc read command.
        #expect(result.methods(at: result.characteristic).first == "StartNotify")
        #expect(!result.writes.isEmpty)
        #expect(result.writes.allSatisfy { Self.allowedCommands.contains(String($0.bytes.dropFirst(2).prefix(2))) },
                "\(result.writes.map(\.bytes))")
        #expect(result.meter.violations.isEmpty)
    }

    @Test func disconnectMidTransferKeepsWhatWasStored() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEBus(records: 10, cutAfter: 4)
        let profiles = try Self.profiles()
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        let stderr = try Self.runDaemon(gateway, bus: bus) { text in
            text.contains("device disconnected") && receiver.receivedObservations().count >= 3
        }
        #expect(stderr.contains("CODE=PG-SES-005"), "\(stderr)")
        #expect(try gateway.stats().readings == 3)
        #expect(receiver.receivedObservations().count == 3)
        _ = try bus.result()
    }

    /// A gateway started with tty profiles only begins BLE discovery when a reload brings the
    /// first BLE profile.
    @Test func aReloadThatBringsTheFirstBLEProfileStartsBLEDiscovery() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEBus(records: 2)
        let ble = try Self.profiles()
        defer { try? FileManager.default.removeItem(atPath: ble) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-ble-reload-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: HTTPSReceiver.repositoryRoot + "/DeviceProfiles/taidoc/td4277/profile.yaml",
                                         toPath: dir + "/td4277.yaml")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: dir)
        defer { gateway.cleanUp() }
        let stderr = try Self.runDaemon(gateway, bus: bus, at: { $0.contains("running") }, step: { pid in
            try FileManager.default.copyItem(atPath: ble + "/fora-ble.yaml", toPath: dir + "/fora-ble.yaml")
            kill(pid, SIGHUP)
        }, until: { _ in receiver.receivedObservations().count >= 2 })
        #expect(receiver.receivedObservations().count == 2, "\(stderr)")
        #expect(try bus.result().methods(at: "/org/bluez/hci0").contains("StartDiscovery"))
    }

    /// A profile that matches by advertised service narrows BlueZ's discovery to that service,
    /// and still never connects the phone.
    @Test func matchByAdvertisedServiceFiltersDiscoveryAndClaimsOnlyTheMeter() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEBus(records: 2, stranger: true)
        let service = "00001523-1212-efde-1523-785feabcd123"
        let profiles = try Self.profiles(rule: "service: \"\(service)\"")
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        let stderr = try Self.runDaemon(gateway, bus: bus) { _ in receiver.receivedObservations().count >= 2 }
        #expect(receiver.receivedObservations().count == 2, "\(stderr)")
        let result = try bus.result()
        let filter = result.calls["/org/bluez/hci0"]?.first { $0.method == "SetDiscoveryFilter" }
        #expect(filter?.args == .array([.object(["Transport": .string("le"), "UUIDs": .array([.string(service)])])]))
        #expect(result.methods(at: BLEBus.strangerPath).isEmpty)
    }
}
