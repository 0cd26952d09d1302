import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// The real daemon and `pocgate bt bind` against a mocked BlueZ on a private system bus: a
/// classic Bluetooth serial (SPP) blood-pressure monitor (FORA/TaiDoc TD-32xx, bt_spp_mock.py)
/// is bound, connected through BlueZ's Profile API, read, stored and uploaded once.
@Suite(.enabled(if: BLEBus.isAvailable, "needs dbus-daemon and python3-dbusmock"), .serialized)
struct BTSPPEndToEndTests {
    /// The shipped SPP blood-pressure profile, enabled, with the mock monitor's address and a
    /// short poll interval.
    static func profiles(poll: Int) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-spp-profiles-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var text = try String(contentsOfFile: HTTPSReceiver.repositoryRoot + "/DeviceProfiles/generic/spp-bp-monitor/profile.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "  bluetooth:\n", with: "  bluetooth:\n    - address: \"\(BLEBus.sppAddress)\"\n")
        text = text.replacingOccurrences(of: "poll_interval_s: 60", with: "poll_interval_s: \(poll)")
        try text.write(toFile: dir + "/spp-bp.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    /// A gateway whose status file is in its own directory (for `bt bind` to find the daemon).
    static func gateway(_ receiver: HTTPSReceiver, profiles: String) throws -> GatewayUnderTest {
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        let handle = try #require(FileHandle(forWritingAtPath: gateway.configPath))
        handle.seekToEndOfFile()
        handle.write(Data("\nstatus:\n  path: \(gateway.directory)/status.json\n".utf8))
        try handle.close()
        return gateway
    }

    /// Runs `pocgate ARGS` on the bus; returns its exit code and output.
    static func tool(_ gateway: GatewayUnderTest, bus: BLEBus, _ arguments: [String]) throws -> (code: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gateway.command[0])
        p.arguments = arguments + ["--config", gateway.configPath]
        var environment = ProcessInfo.processInfo.environment
        environment["DBUS_SYSTEM_BUS_ADDRESS"] = bus.address
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// What the center must receive for the monitor's records, without the times: the
    /// monitor's clock is years behind the gateway's, so the clock policy moves every time by
    /// the same offset (PG-CLK-001).
    static func wanted(_ records: [BLEBusResult.SPP.BPRecord]) -> [String] {
        records.flatMap { r in
            let mean = r.mean > 0 ? ",8478-0=\(r.mean)" : ""
            return ["85354-9|8480-6=\(r.value),8462-4=\(r.diastolic)\(mean)", "8867-4|\(r.pulse)|/min"]
        }
    }

    /// The received observations as `wanted` spells them.
    static func values(_ received: [[String: Any]]) -> [String] {
        TaiDocFamilyEndToEndTests.lines(received).map { String($0.split(separator: "|", maxSplits: 1)[1]) }
    }

    static func sessionsEnded(_ stderr: String) -> Int {
        GatewayUnderTest.sessionLines(stderr).count
    }

    @Test func boundSPPMonitorIsReadStoredAndUploadedOnceAndUnbindStopsIt() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEBus(records: 1, sppRecords: 5)
        let profiles = try Self.profiles(poll: 1)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try Self.gateway(receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        var unbound: (code: Int32, out: String)?
        var sessionsAtUnbind = 0
        var removedAt: Date?
        var listed: [String: Any]?
        let stderr = try BLEEndToEndTests.runDaemon(gateway, bus: bus, at: { $0.contains("running") }, step: { _ in
            let bound = try Self.tool(gateway, bus: bus, ["bt", "bind", BLEBus.sppAddress])
            #expect(bound.code == 0, "\(bound.out)")
            #expect(bound.out.contains("bound; profile generic-spp-bp-monitor"), "\(bound.out)")
            #expect(bound.out.contains("was told to reload"), "\(bound.out)")
        }, until: { text in
            // While bound, `pocgate status` lists the device by its Bluetooth address.
            if listed == nil, Self.sessionsEnded(text) >= 1,
               let data = FileManager.default.contents(atPath: gateway.directory + "/status.json"),
               let status = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let devices = status["devices"] as? [[String: Any]] {
                listed = devices.first
            }
            // Two sessions: the first reads everything, the second finds nothing new; then unbind.
            if unbound == nil, Self.sessionsEnded(text) >= 2, receiver.receivedObservations().count >= 5 {
                sessionsAtUnbind = Self.sessionsEnded(text)
                unbound = try? Self.tool(gateway, bus: bus, ["bt", "unbind", BLEBus.sppAddress])
            }
            if removedAt == nil, unbound != nil, text.contains("device removed") { removedAt = Date() }
            // Then several poll intervals (1 s) without a binding: no further connection.
            return removedAt.map { Date().timeIntervalSince($0) > 4 } ?? false
        })
        let result = try bus.result()
        let spp = try #require(result.spp)
        #expect(unbound?.code == 0, "\(unbound?.out ?? "")")
        #expect(listed?["bluetooth"] as? String == BLEBus.sppAddress && listed?["usb"] == nil,
                "a Bluetooth device is listed by its address, not as a USB id: \(listed ?? [:])")
        let received = receiver.receivedObservations()
        #expect(received.count == 10, "\(stderr)")
        #expect(received.allSatisfy { $0["_status"] as? String == "201" }, "something was sent twice")
        #expect(try gateway.stats().readings == 10)
        // Each record a BP panel (systolic, diastolic, mean) and a heart rate, as the monitor
        // stored them (the harness's own record list, not the decoder's).
        #expect(Self.values(received).sorted() == Self.wanted(spp.records).sorted())
        #expect(stderr.contains("Bluetooth serial profile registered"), "\(stderr)")
        #expect(spp.registered.count == 0 && spp.unregistered == ["/org/pocgate/spp"], "unregistered at stop")
        // One connection per session; at most the one running at the unbind finished after it.
        #expect(spp.connections == Self.sessionsEnded(stderr), "\(stderr)")
        #expect(spp.connections >= 2 && spp.connections <= sessionsAtUnbind + 1, "connections \(spp.connections), sessions at unbind \(sessionsAtUnbind)")
        #expect(spp.meter.violations.isEmpty)
        #expect(spp.refused.isEmpty && spp.profileErrors.isEmpty, "\(spp.refused) \(spp.profileErrors)")
        // Never the BLE meter: no profile claims it.
        #expect(!result.methods(at: BLEBus.meterPath).contains("Connect"))
    }

    @Test func aMonitorThatDropsTheLinkMidTransferKeepsWhatWasStoredAndTheNextSessionReadsTheRest() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEBus(records: 1, sppRecords: 6, sppCutAfter: 3)
        let profiles = try Self.profiles(poll: 1)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try Self.gateway(receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        var storedAfterCut: Int?
        let stderr = try BLEEndToEndTests.runDaemon(gateway, bus: bus, at: { $0.contains("running") }, step: { _ in
            let bound = try Self.tool(gateway, bus: bus, ["bt", "bind", BLEBus.sppAddress])
            #expect(bound.code == 0, "\(bound.out)")
        }, until: { text in
            if storedAfterCut == nil, text.contains("CODE=PG-SES-005") { storedAfterCut = (try? gateway.stats().readings) ?? -1 }
            return receiver.receivedObservations().count >= 12
        })
        #expect(stderr.contains("CODE=PG-SES-005"), "\(stderr)")
        // Two records (a panel and a heart rate each) were read whole before the cut.
        #expect(storedAfterCut == 4, "the records read before the cut stay stored")
        #expect(try gateway.stats().readings == 12)
        let received = receiver.receivedObservations()
        #expect(received.count == 12 && received.allSatisfy { $0["_status"] as? String == "201" })
        let spp = try #require(try bus.result().spp)
        #expect(Self.values(received).sorted() == Self.wanted(spp.records).sorted())
        #expect(spp.connections >= 2)
    }

    /// Risk: bluetoothd restarting (it releases every external profile) silently ends the
    /// readings of every bound device until pocgate restarts. The next connection registers
    /// the profile again.
    @Test func aProfileReleasedByBlueZIsRegisteredAgainAndTheMonitorIsRead() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEBus(records: 1, sppRecords: 2, sppReleaseFirst: true)
        let profiles = try Self.profiles(poll: 1)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try Self.gateway(receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        let stderr = try BLEEndToEndTests.runDaemon(gateway, bus: bus, at: { $0.contains("running") }, step: { _ in
            let bound = try Self.tool(gateway, bus: bus, ["bt", "bind", BLEBus.sppAddress])
            #expect(bound.code == 0, "\(bound.out)")
        }, until: { _ in receiver.receivedObservations().count >= 4 })
        #expect(receiver.receivedObservations().count == 4, "\(stderr)")
        let spp = try #require(try bus.result().spp)
        #expect(spp.releases == 1 && spp.registrations == 2, "registered \(spp.registrations) times")
    }

    /// Risk: a device pocgate did not ask for (connecting by itself, or one that is not bound)
    /// handing it a byte stream that some session then reads. The profile refuses it.
    @Test func aConnectionPocgateDidNotAskForIsRefused() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEBus(records: 1, sppRecords: 1, sppUnsolicited: BLEBus.meterPath)
        let profiles = try Self.profiles(poll: 60)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try Self.gateway(receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        let stderr = try BLEEndToEndTests.runDaemon(gateway, bus: bus, at: { $0.contains("running") }, step: { _ in
            let bound = try Self.tool(gateway, bus: bus, ["bt", "bind", BLEBus.sppAddress])
            #expect(bound.code == 0, "\(bound.out)")
        }, until: { _ in
            // The mock's unsolicited offer is answered on its own timer: wait for the answer too.
            receiver.receivedObservations().count >= 2 && FileManager.default.fileExists(atPath: bus.directory + "/unsolicited")
        })
        #expect(receiver.receivedObservations().count == 2, "\(stderr)")
        let spp = try #require(try bus.result().spp)
        #expect(spp.unsolicited == ["org.bluez.Error.Rejected"])
        #expect(!stderr.contains(BLEBus.meterPath), "the unsolicited device never became a port")
    }

    /// Bindings survive a restart (a reboot): the daemon reads them when it starts, with no
    /// further step; a bindings file it refuses is logged with its line and PG-SPP-001.
    @Test func bindingsAreReadAtStartAndABadFileIsRefusedWithItsCode() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEBus(records: 1, sppRecords: 2)
        let profiles = try Self.profiles(poll: 60)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try Self.gateway(receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        let bound = try Self.tool(gateway, bus: bus, ["bt", "bind", BLEBus.sppAddress])
        #expect(bound.code == 0 && bound.out.contains("no running daemon"), "\(bound.out)")
        let stderr = try BLEEndToEndTests.runDaemon(gateway, bus: bus) { _ in receiver.receivedObservations().count >= 4 }
        #expect(receiver.receivedObservations().count == 4, "\(stderr)")
        _ = try bus.result()

        let bad = try BLEBus(records: 1, sppRecords: 2)
        try "\(BLEBus.sppAddress) generic-spp-bp-monitor\nnot-an-address\n".write(toFile: gateway.directory + "/bt-bindings",
                                                                                     atomically: false, encoding: .utf8)
        let refused = try BLEEndToEndTests.runDaemon(gateway, bus: bad) { $0.contains("CODE=PG-SPP-001") }
        let line = refused.split(separator: "\n").first { $0.contains("CODE=PG-SPP-001") } ?? ""
        #expect(line.contains("bt-bindings:2") && line.contains("not-an-address"), "\(refused)")
        #expect(try bad.result().spp?.connections == 0, "nothing of a refused file is served")
    }

    @Test func bindRefusesAnUnpairedOrUnclaimedDeviceAndAnUnknownAddress() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEBus(records: 1, stranger: true, sppRecords: 1)
        let profiles = try Self.profiles(poll: 60)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try Self.gateway(receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        let unknown = try Self.tool(gateway, bus: bus, ["bt", "bind", "11:22:33:44:55:66"])
        #expect(unknown.code == 65 && unknown.out.contains("pocgate ble pair"), "\(unknown.out)")
        let notPaired = try Self.tool(gateway, bus: bus, ["bt", "bind", BLEBus.strangerAddress])
        #expect(notPaired.code == 65 && notPaired.out.contains("not paired"), "\(notPaired.out)")
        let wrongProfile = try Self.tool(gateway, bus: bus, ["bt", "bind", BLEBus.sppAddress, "--profile", "no-such-profile"])
        #expect(wrongProfile.code == 65, "\(wrongProfile.out)")
        #expect(!FileManager.default.fileExists(atPath: gateway.directory + "/bt-bindings"), "nothing recorded for a refused bind")
        let bound = try Self.tool(gateway, bus: bus, ["bt", "bind", BLEBus.sppAddress])
        #expect(bound.code == 0 && bound.out.contains("no running daemon"), "\(bound.out)")
        let listed = try Self.tool(gateway, bus: bus, ["bt", "list"])
        #expect(listed.out.contains(BLEBus.sppAddress))
        var st = stat()
        #expect(stat(gateway.directory + "/bt-bindings", &st) == 0 && st.st_mode & 0o777 == 0o600)
        _ = try bus.result()
    }
}
