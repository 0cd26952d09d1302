import Daemon
import Tools
import Sessions
import Foundation
import Testing
import TestSupport

/// The real `pocgate run` binary started the way systemd starts it for `Type=notify`:
/// `NOTIFY_SOCKET` (and optionally `WATCHDOG_USEC`) pointing at sockets the test bound, a
/// temporary store whose path contains a resident ID number (so every log line that names it
/// must mask it), and the uplink pointed at a local receiver.
final class DaemonUnderSystemd {
    let directory: String
    let configPath: String
    let storePath: String
    let statusPath: String
    let stderrPath: String
    let notify: DatagramReceiver
    let journal: DatagramReceiver?
    let binary: String
    private(set) var process: Process?
    private(set) var launchedAt: ContinuousClock.Instant?

    /// - Parameter journal: log through the native journal protocol to this socket instead of stderr.
    init(uplinkURL: String, caFile: String?, notify: DatagramReceiver, journal: DatagramReceiver? = nil) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("pocgate-systemd-\(UUID().uuidString.prefix(8))").path
        let site = directory + "/site-\(ResidentIDs.sample)"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/run", withIntermediateDirectories: true)
        storePath = site + "/pocgate.db"
        statusPath = directory + "/run/status.json"
        configPath = directory + "/pocgate.yaml"
        stderrPath = directory + "/daemon.stderr"
        self.notify = notify
        self.journal = journal
        var config = """
            store:
              path: \(storePath)
            profiles:
              paths: [\(UmockdevHarness.repositoryRoot.path)/DeviceProfiles]
            uplink:
              url: \(uplinkURL)
            status:
              path: \(statusPath)
            log:
              level: info
            """
        if let journal { config += "\n  target: journal\n  journal_socket: \(journal.address)" }
        if let caFile { config = config.replacingOccurrences(of: "  url: \(uplinkURL)", with: "  url: \(uplinkURL)\n  ca_file: \(caFile)") }
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        chmod(configPath, 0o600)
        binary = try #require(BuiltProducts.executable(named: "pocgate"), "pocgate is not built next to the tests").path
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts `pocgate run`; `watchdogUsec` sets `WATCHDOG_USEC`.
    func start(watchdogUsec: Int? = nil) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["run", "--config", configPath]
        var environment = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM"] { environment[key] = nil }
        environment["NOTIFY_SOCKET"] = notify.address
        if let watchdogUsec { environment["WATCHDOG_USEC"] = "\(watchdogUsec)" }
        p.environment = environment
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        p.standardError = FileHandle(forWritingAtPath: stderrPath)
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        launchedAt = .now
        try p.run()
        process = p
    }

    /// Sends `signal` to the daemon.
    func send(_ signal: Int32) {
        if let pid = process?.processIdentifier { kill(pid, signal) }
    }

    /// Waits for the daemon to exit (at most `timeout` s, then SIGKILL); its exit status.
    func waitForExit(timeout: Double = 30) -> Int32? {
        guard let process else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// The notifications received so far, each as its `KEY=value` lines.
    var notifications: [[String]] { notify.texts.map { $0.split(separator: "\n").map(String.init) } }

    /// Waits until a notification contains `line`; true when one did within `timeout`.
    @discardableResult
    func waitForNotification(_ line: String, after earlier: Int = 0, timeout: Double = 20) -> Bool {
        notify.wait(timeout: timeout) { datagrams in
            datagrams.dropFirst(earlier).contains { String(decoding: $0, as: UTF8.self).split(separator: "\n").contains { $0 == line } }
        }
    }

    /// The daemon's stderr so far.
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Runs `pocgate status` with `arguments` against this daemon's configuration.
    func status(_ arguments: [String] = []) throws -> (code: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["status", "--config", configPath] + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
