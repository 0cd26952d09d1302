public import Foundation

/// Runs `Tests/Harness/flood_port.py` under `umockdev-wrapper`: an HL7 v2 health kiosk on an
/// FTDI bridge whose line is flooded (random bytes and near-miss MLLP blocks, or the same
/// valid transfer again and again) while the program under test listens on it, its RSS and
/// stderr size sampled twice a second.
public enum FloodHarness {
    public static let script = UmockdevHarness.repositoryRoot.appendingPathComponent("Tests/Harness/flood_port.py")

    /// What the kiosk floods the line with.
    public enum Mode: String, Sendable {
        /// Random bytes with near-miss MLLP blocks between them.
        case garbage
        /// The transfer's valid messages, again and again.
        case valid
    }

    /// Floods `floodMiB` MiB, then sends `messages` valid messages and waits until `store` has
    /// them (and the sync message) delivered. Throws only when the script left no result.
    public static func run(_ mode: Mode, floodMiB: Int, messages: Int, store: String,
                           command: [String], timeout: Double = 150) async throws(UmockdevHarnessError) -> FloodRun {
        let workdir = FileManager.default.temporaryDirectory
            .appendingPathComponent("pocgate-flood-\(mode.rawValue)-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        } catch {
            throw .workdirUnavailable(workdir.path, "\(error)")
        }
        let arguments = [UmockdevHarness.python.path, script.path, "--workdir", workdir.path, "--store", store,
                         "--mode", mode.rawValue, "--flood-mib", "\(floodMiB)", "--messages", "\(messages)",
                         "--flood-seconds-limit", "\(Int(timeout * 0.6))", "--timeout", "\(Int(timeout))", "--"] + command
        let log = workdir.appendingPathComponent("harness.log")
        let status = try await UmockdevHarness.launch(UmockdevHarness.wrapper, arguments, log: log, limit: timeout + 30)
        do {
            let result = try JSONDecoder().decode(FloodResult.self, from: Data(contentsOf: workdir.appendingPathComponent("result.json")))
            return FloodRun(status: status, result: result, workdir: workdir)
        } catch {
            throw .noResult(status: status, reason: "\(error)", log: UmockdevRun.text(log))
        }
    }
}

/// `result.json` of a flood run.
public struct FloodResult: Decodable, Sendable {
    public var ok: Bool
    public var errors: [String]
    public var mode: String
    public var durationSeconds: Double
    /// Bytes written in the flood and how long the PTY took to take them.
    public var floodBytes: Int?
    public var floodSeconds: Double?
    public var floodStartedAt: Double?
    public var floodEndedAt: Double?
    /// One sample a second: seconds since the start, VmRSS in KiB, the program's stderr size.
    public var samples: [Sample]
    /// Acknowledgement codes (MSA-1) the gateway sent, counted.
    public var ackCodes: [String: Int]
    /// The codes per control id of the kiosk's own messages (sync `HKS…`, transfer `HKT…`).
    public var acksByControlID: [String: [String]]
    public var daemon: UmockdevResult.Program?

    public struct Sample: Decodable, Sendable {
        public var t: Double
        public var rssKiB: Int?
        public var stderrBytes: Int
    }

    /// The samples taken while the flood ran.
    public var floodSamples: [Sample] {
        guard let start = floodStartedAt, let end = floodEndedAt else { return [] }
        return samples.filter { $0.t >= start && $0.t <= end }
    }
}

/// A finished flood run and its directory (daemon.stderr, harness.log).
public struct FloodRun: Sendable {
    public var status: Int32
    public var result: FloodResult
    public var workdir: URL

    public var daemonStderr: String { UmockdevRun.text(workdir.appendingPathComponent("daemon.stderr")) }
    public var diagnostics: String {
        "errors: \(result.errors)\nharness log:\n\(UmockdevRun.text(workdir.appendingPathComponent("harness.log")))"
    }
}
