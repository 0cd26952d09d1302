import Daemon
import Foundation
import PocGateCore
import Store
import TestSupport
import Testing

/// The built `pocgate` binary: the same cause exits with the same sysexits code from every
/// command, and `status --nagios` follows the monitoring-plugin convention.
@Suite("pocgate exit codes", .serialized)
struct ExitCodeTableTests {
    static let repository = #filePath.components(separatedBy: "/Tests/")[0]
    static let profile = repository + "/DeviceProfiles/generic/astm-poct/profile.yaml"

    /// A scratch directory with a configuration whose store is `dir/pocgate.db`.
    final class Box {
        let dir: String
        var config: String { dir + "/pocgate.yaml" }
        var store: String { dir + "/pocgate.db" }
        var statusFile: String { dir + "/status.json" }

        init(configText: String? = nil) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-exit-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let text = configText ?? "store:\n  path: \(dir)/pocgate.db\nstatus:\n  path: \(dir)/status.json\n"
                + "uplink:\n  url: https://center.example.cn/fhir\n"
            try text.write(toFile: config, atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }
    }

    enum Cause: String, CaseIterable, CustomTestStringConvertible {
        case badConfig, missingConfig, missingStore, unreadableStore
        var testDescription: String { rawValue }

        /// The sysexits code every command gives for this cause.
        var code: Int32 {
            switch self {
            case .badConfig: return 78
            case .missingConfig, .missingStore: return 66
            case .unreadableStore: return 77
            }
        }

        /// Sets the box up with this cause; returns the configuration path to give.
        func prepare(_ box: Box) throws -> String {
            switch self {
            case .badConfig:
                try "store:\n  path: \(box.store)\nuplink:\n  url: ftp://center.example.cn/fhir\n"
                    .write(toFile: box.config, atomically: true, encoding: .utf8)
                return box.config
            case .missingConfig:
                return box.dir + "/no-such.yaml"
            case .missingStore:
                return box.config
            case .unreadableStore:
                // A directory where the database file should be: no command can open it.
                try FileManager.default.createDirectory(atPath: box.store, withIntermediateDirectories: false)
                return box.config
            }
        }

        /// The commands that meet this cause (`run` creates a missing store, so it is not asked).
        func commands(config: String) -> [[String]] {
            let storeCommands = [["status", "--config", config], ["queue", "--config", config],
                                 ["profile", "test", "--show-patient-ids", "--config", config, "--capture", ExitCodeTableTests.profile,
                                  ExitCodeTableTests.profile]]
            switch self {
            case .badConfig, .missingConfig:
                return storeCommands + [["run", "--config", config], ["check", "--config", config],
                                        ["devices", "--config", config], ["uplink", "test", "--config", config]]
            case .missingStore:
                return storeCommands
            case .unreadableStore:
                return storeCommands + [["run", "--config", config]]
            }
        }
    }

    @Test("the same cause exits with the same code from every command", arguments: Cause.allCases)
    func theSameCauseExitsWithTheSameCodeFromEveryCommand(cause: Cause) throws {
        let pocgate = try #require(BuiltProducts.executable(named: "pocgate"))
        let box = try Box()
        let config = try cause.prepare(box)
        for arguments in cause.commands(config: config) {
            let result = try KillLoopTests.output(pocgate.path, arguments)
            #expect(result.status == cause.code, "pocgate \(arguments.joined(separator: " ")): exit \(result.status)\n\(result.text)")
        }
        if cause == .missingStore {
            #expect(!FileManager.default.fileExists(atPath: box.store), "a tool created the daemon's database")
        }
    }

    func writeStatus(_ box: Box, pid: Int32) throws {
        let now = Date()
        try StatusFile(path: box.statusFile).write(RuntimeStatus(
            pid: pid, startedAt: now, updatedAt: now, state: .running, ready: true, watchdogSeconds: 120, stalled: nil,
            storePath: box.store, devices: [], queueDepth: 0, oldestPendingAt: nil, lastUpload: nil))
    }

    func nagios(_ box: Box, _ extra: [String] = []) throws -> (status: Int32, text: String) {
        let pocgate = try #require(BuiltProducts.executable(named: "pocgate"))
        return try KillLoopTests.output(pocgate.path, ["status", "--nagios", "--config", box.config] + extra)
    }

    /// A process named `pocgate-standin` (a link to sleep) that stands in for the daemon.
    func standIn(_ box: Box) throws -> Process {
        try FileManager.default.createSymbolicLink(atPath: box.dir + "/pocgate-standin", withDestinationPath: "/bin/sleep")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: box.dir + "/pocgate-standin")
        process.arguments = ["120"]
        try process.run()
        return process
    }

    /// SIGKILL: a test process may block SIGTERM, and its children inherit the mask.
    func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    @Test func statusNagiosIsOKForARunningDaemonWithAnEmptyQueue() throws {
        let box = try Box()
        _ = try Store(path: box.store)
        let daemon = try standIn(box)
        defer { stop(daemon) }
        try writeStatus(box, pid: daemon.processIdentifier)
        let result = try nagios(box)
        #expect(result.status == 0, "\(result.text)")
        #expect(result.text.hasPrefix("POCGATE OK - running"), "\(result.text)")
        #expect(result.text.split(separator: "\n").count == 1)
        #expect(result.text.contains("|queue_depth=0;;;0 oldest_pending_age=0s;86400;;0"), "\(result.text)")
    }

    @Test func statusNagiosWarnsWhenAReadingWaitsTooLong() throws {
        let box = try Box()
        let store = try Store(path: box.store)
        let hourAgo = Int64(Date().addingTimeInterval(-3_600).timeIntervalSince1970 * 1000)
        _ = try store.insert(Reading(profileID: "taidoc-td4277", deviceSerial: "0102030405060708", deviceModel: "TD-4277",
                                     recordKey: "a", kind: .glucose, code: "41653-7", value: ExactDecimal(parsing: "120")!,
                                     unit: "mg/dL", deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8),
                                     flags: [], raw: [0x51]),
                             sessionID: nil, receivedAtMillis: hourAgo)
        let daemon = try standIn(box)
        defer { stop(daemon) }
        try writeStatus(box, pid: daemon.processIdentifier)
        let result = try nagios(box, ["--max-age", "30m"])
        #expect(result.status == 1, "\(result.text)")
        #expect(result.text.hasPrefix("POCGATE WARNING - the oldest undelivered reading has waited"), "\(result.text)")
        #expect(result.text.contains("|queue_depth=1;;;0"), "\(result.text)")
    }

    @Test func statusNagiosIsCriticalForADeadDaemon() throws {
        let box = try Box()
        _ = try Store(path: box.store)
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        try writeStatus(box, pid: gone.processIdentifier)
        let result = try nagios(box)
        #expect(result.status == 2, "\(result.text)")
        #expect(result.text.hasPrefix("POCGATE CRITICAL - the daemon is not running"), "\(result.text)")
    }

    @Test func statusNagiosIsUnknownWithoutAConfiguration() throws {
        let box = try Box()
        try FileManager.default.removeItem(atPath: box.config)
        let result = try nagios(box)
        #expect(result.status == 3, "\(result.text)")
        #expect(result.text.hasPrefix("POCGATE UNKNOWN - cannot read the configuration"), "\(result.text)")
    }
}
