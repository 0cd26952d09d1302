import Foundation
import Testing
import TestSupport

/// `pocgate ble scan` against the mocked BlueZ: what is in range, which profile would claim
/// it and why not, and nothing connected.
@Suite(.enabled(if: BLEBus.isAvailable, "needs dbus-daemon and python3-dbusmock"))
struct BLEScanCommandTests {
    static func scan(_ bus: BLEBus, profiles: String, json: Bool) throws -> (status: Int32, out: String, err: String) {
        let binary = try #require(BuiltProducts.executable(named: "pocgate"))
        let p = Process()
        p.executableURL = binary
        p.arguments = ["ble", "scan", "--seconds", "1", "--profiles", profiles] + (json ? ["--json"] : [])
        var environment = ProcessInfo.processInfo.environment
        environment["DBUS_SYSTEM_BUS_ADDRESS"] = bus.address
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func showsAddressNameRSSIServicesAndWhyNoProfileClaimsAndConnectsNothing() throws {
        let bus = try BLEBus(stranger: true)
        let shipped = HTTPSReceiver.repositoryRoot + "/DeviceProfiles"
        let run = try Self.scan(bus, profiles: shipped, json: true)
        #expect(run.status == 0, "\(run.err)")
        let rows = run.out.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let meter = try #require(rows.first { $0["address"] as? String == BLEBus.meterAddress }, "\(run.out)")
        #expect(meter["name"] as? String == BLEBus.meterName)
        #expect(meter["rssi"] as? Int == -58)
        #expect(meter["services"] as? [String] == ["00001523-1212-efde-1523-785feabcd123"])
        #expect(meter["profile"] == nil)
        #expect((meter["why"] as? String)?.contains("taidoc-fora-ble, which ships disabled") == true, "\(meter)")
        let phone = try #require(rows.first { $0["address"] as? String == BLEBus.strangerAddress })
        #expect(phone["profile"] == nil && (phone["why"] as? String)?.contains("will not be connected") == true, "\(phone)")
        let result = try bus.result()
        #expect(result.methods(at: "/org/bluez/hci0") == ["SetDiscoveryFilter", "StartDiscovery", "StopDiscovery"])
        #expect(!result.methods(at: BLEBus.meterPath).contains("Connect"))
        #expect(!result.methods(at: BLEBus.strangerPath).contains("Connect"))
    }

    @Test func namesTheProfileThatClaimsADevice() throws {
        let bus = try BLEBus()
        let profiles = try BLEEndToEndTests.profiles()
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let run = try Self.scan(bus, profiles: profiles, json: false)
        #expect(run.status == 0, "\(run.err)")
        let line = try #require(run.out.split(separator: "\n").first { $0.hasPrefix(BLEBus.meterAddress) })
        #expect(line.contains("TAIDOC TD4277") && line.contains("-58") && line.hasSuffix("fora-ble-test"), "\(run.out)")
    }
}
