import Foundation
import Testing
import TestSupport

/// `systemd/pocgate-dbus.conf` on a real dbus-daemon (Tests/Harness/dbus_policy_check.py): the
/// daemon's user may call BlueZ and the bus itself, and nothing else on the system bus, even a
/// service that allows every user (as logind does).
@Suite(.enabled(if: BLEBus.isAvailable, "needs dbus-daemon and python3-dbus"))
struct DBusPolicyTests {
    static let policy = UmockdevHarness.repositoryRoot.appendingPathComponent("systemd/pocgate-dbus.conf").path

    /// The attempts the check script made as the user under `policyFile`, each with the D-Bus
    /// error it got (absent: allowed).
    static func attempts(policyFile: String) throws -> [String: String] {
        let workdir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-dbus-policy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: workdir) }
        let (status, output) = try ServiceUnitTests.run("/usr/bin/python3", [
            UmockdevHarness.repositoryRoot.appendingPathComponent("Tests/Harness/dbus_policy_check.py").path,
            policyFile, workdir,
        ])
        #expect(status == 0, "\(output)")
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("{") }, "\(output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return object.compactMapValues { $0 as? String }
    }

    /// Risk: a compromised or buggy daemon reaching other system services (logind, NetworkManager,
    /// timedated) through the bus its unit lets it use for BlueZ.
    @Test func theDaemonsUserCallsBlueZAndTheBusAndNothingElse() throws {
        let denied = "org.freedesktop.DBus.Error.AccessDenied"
        let verdicts = try Self.attempts(policyFile: Self.policy)
        #expect(verdicts["bluez"] == nil, "a call to org.bluez was refused: \(verdicts)")
        #expect(verdicts["getId"] == nil, "a call to the bus itself was refused: \(verdicts)")
        #expect(verdicts["open"] == denied, "a service open to every user was reachable: \(verdicts)")
        #expect(verdicts["updateActivationEnvironment"] == denied)
        #expect(verdicts["own"] == denied)
    }

    /// The check proves something: without pocgate's policy the same user reaches the open service.
    @Test func withoutThePolicyTheOpenServiceIsReachable() throws {
        let text = try String(contentsOfFile: Self.policy, encoding: .utf8)
        #expect(text.contains("<policy user=\"pocgate\">"))
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-dbus-\(UUID().uuidString).conf").path
        try text.replacingOccurrences(of: "user=\"pocgate\"", with: "user=\"nobody\"")
            .write(toFile: other, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: other) }
        let verdicts = try Self.attempts(policyFile: other)
        #expect(verdicts["open"] == nil && verdicts["bluez"] == nil, "\(verdicts)")
    }
}
