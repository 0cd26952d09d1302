public import Foundation
import Synchronization

/// Runs `Tests/Harness/umockdev_meter.py` under `umockdev-wrapper`: a umockdev testbed with
/// an emulated TaiDoc TD-4277 on a USB-serial cable, and a program under test started
/// inside it (preloaded, so it sees the mocked /sys, /dev and uevents).
///
/// Needs the `umockdev` and `gir1.2-umockdev-1.0` packages and Debian's python3 with `gi`.
public enum UmockdevHarness {
    public static let wrapper = URL(fileURLWithPath: "/usr/bin/umockdev-wrapper")
    public static let python = URL(fileURLWithPath: "/usr/bin/python3")

    /// The repository root, found from this file's path.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The scenario driver.
    public static let script = repositoryRoot.appendingPathComponent("Tests/Harness/umockdev_meter.py")

    /// Whether umockdev and python3 are installed.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: wrapper.path)
            && FileManager.default.isExecutableFile(atPath: python.path)
    }

    /// Plays `scenario` with `command` as the program under test, in a fresh directory under
    /// the temporary directory. Returns whatever the scenario produced, also when it failed
    /// (`result.ok == false`); throws only when it produced no result at all.
    public static func run(_ scenario: UmockdevScenario, options: UmockdevOptions = .init(),
                           command: [String]) async throws(UmockdevHarnessError) -> UmockdevRun {
        let workdir = FileManager.default.temporaryDirectory
            .appendingPathComponent("pocgate-umockdev-\(scenario.rawValue)-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        } catch {
            throw .workdirUnavailable(workdir.path, "\(error)")
        }
        let arguments = [python.path, script.path, "--scenario", scenario.rawValue, "--workdir", workdir.path]
            + options.arguments + ["--"] + command
        let log = workdir.appendingPathComponent("harness.log")
        let status = try await launch(wrapper, arguments, log: log, limit: options.timeout + 30)
        do {
            let decoder = JSONDecoder()
            let result = try decoder.decode(UmockdevResult.self,
                                            from: Data(contentsOf: workdir.appendingPathComponent("result.json")))
            let expected = try decoder.decode(ExpectedMeter.self,
                                              from: Data(contentsOf: workdir.appendingPathComponent("expected.json")))
            return UmockdevRun(status: status, result: result, expected: expected, workdir: workdir)
        } catch {
            throw .noResult(status: status, reason: "\(error)", log: UmockdevRun.text(log))
        }
    }

    /// Runs `umockdev_meter.py --self-test` (no testbed needed); returns its status and output.
    public static func selfTest() async throws(UmockdevHarnessError) -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("pocgate-meter-selftest-\(UUID().uuidString.prefix(8)).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let status = try await launch(python, [script.path, "--self-test"], log: log, limit: 60)
        return (status, UmockdevRun.text(log))
    }

    /// Starts `executable` with stdout and stderr into `log`; waits at most `limit` seconds.
    static func launch(_ executable: URL, _ arguments: [String], log: URL,
                               limit: Double) async throws(UmockdevHarnessError) -> Int32 {
        guard FileManager.default.createFile(atPath: log.path, contents: nil),
              let output = try? FileHandle(forWritingTo: log) else {
            throw .workdirUnavailable(log.path, "cannot create the log file")
        }
        defer { try? output.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment

        let outcome = Outcome()
        var launchError: (any Error)?
        let status: Int32? = await withCheckedContinuation { continuation in
            outcome.install(continuation)
            process.terminationHandler = { finished in outcome.finish(finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                launchError = error
                outcome.finish(-1)
                return
            }
            Task {
                try? await Task.sleep(for: .seconds(limit))
                outcome.finish(nil)
            }
        }
        if let launchError { throw .launchFailed(executable.path, "\(launchError)") }
        guard let status else {
            process.terminate()  // the script stops its program and writes result.json on SIGTERM
            throw .timedOut(seconds: limit, log: UmockdevRun.text(log))
        }
        return status
    }
}

/// Resumes a continuation once: with the exit status, or nil when the time limit came first.
private final class Outcome: Sendable {
    private let state = Mutex<CheckedContinuation<Int32?, Never>?>(nil)

    func install(_ continuation: CheckedContinuation<Int32?, Never>) {
        state.withLock { $0 = continuation }
    }

    func finish(_ status: Int32?) {
        state.withLock { continuation in
            continuation?.resume(returning: status)
            continuation = nil
        }
    }
}

/// Why a harness run produced nothing to look at.
public enum UmockdevHarnessError: Error, CustomStringConvertible {
    case workdirUnavailable(String, String)
    case launchFailed(String, String)
    case timedOut(seconds: Double, log: String)
    case noResult(status: Int32, reason: String, log: String)

    public var description: String {
        switch self {
        case .workdirUnavailable(let path, let reason):
            "cannot prepare \(path): \(reason)"
        case .launchFailed(let path, let reason):
            "cannot start \(path) (\(reason)): install umockdev, gir1.2-umockdev-1.0 and python3-gi"
        case .timedOut(let seconds, let log):
            "the harness did not finish within \(seconds) s; it was sent SIGTERM. Log:\n\(log)"
        case .noResult(let status, let reason, let log):
            "the harness exited with status \(status) without a readable result (\(reason)). Log:\n\(log)"
        }
    }
}
