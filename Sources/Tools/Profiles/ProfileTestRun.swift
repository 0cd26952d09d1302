import Daemon
public import Sessions
public import DeviceProfiles
import FrameParsing
public import PocGateCore

/// `pocgate profile test`: decodes a capture with a profile and explains every frame it refused.
///
/// The capture is streamed through the family's capture decoder (`StreamingReplay`), so memory
/// does not grow with its size: ndjson readings go out as they are decoded; the text format
/// lists the first `keptLines` readings, and both list the first `keptLines` rejected frames
/// and undecoded records, counting the rest.
public enum ProfileTestRun {
    /// The output format.
    public enum Format: String, Sendable, CaseIterable {
        case text, ndjson
    }

    /// Lines for standard output, and lines about rejected frames (for standard error in ndjson).
    public struct Output: Sendable {
        public var lines: [String] = []
        public var diagnostics: [String] = []
    }

    /// Readings (text format), rejected frames and undecoded records listed; the rest are counted.
    public static let keptLines = StreamingReplay.keptProblems

    /// Decodes a capture held in memory. ndjson readings are in `lines`.
    public static func run(_ profile: DeviceProfile, capture: ReplayInput, format: Format,
                           display: PatientIDDisplay = .masked) -> Output {
        var ndjson: [String] = []
        guard var decoder = decoder(for: profile) else {
            let result = CaptureReplay(profile: profile).decode(capture)
            var outcome = StreamingReplay.Outcome()
            outcome.readings = result.readings.count
            outcome.problems = result.problems
            outcome.summary.deviceSerial = result.deviceSerial
            outcome.summary.deviceModel = result.deviceModel
            outcome.summary.deviceClock = result.deviceClock
            outcome.summary.counters = result.counters
            var out = report(profile, outcome: outcome, readings: result.readings, decoder: nil, format: format, display: display)
            if format == .ndjson { out.lines = result.readings.map(display.line) }
            return out
        }
        var kept: [Reading] = []
        let take: (Reading) -> Void = { r in
            if format == .ndjson { ndjson.append(display.line(r)) } else if kept.count < keptLines { kept.append(r) }
        }
        var run = StreamingReplay.Collector()
        for chunk in capture.chunks { run.feed(&decoder, chunk.bytes, chunk.receivedAt, take) }
        let outcome = run.finish(&decoder, take)
        var out = report(profile, outcome: outcome, readings: kept, decoder: decoder, format: format, display: display)
        if format == .ndjson { out.lines = ndjson }
        return out
    }

    /// Streams the capture file at `path` (two-way when `twoWay`, its records timed by `clock`;
    /// plain, received at `receivedAt`); in ndjson each reading's line goes to `line` as it is
    /// decoded. Nil when the family cannot stream (decode the file in memory with `run`).
    public static func stream(_ profile: DeviceProfile, path: String, twoWay: Bool, receivedAt: LocalDateTime,
                              clock: (_ header: String) -> (_ micros: UInt64) -> LocalDateTime, format: Format,
                              display: PatientIDDisplay = .masked, progress: ((_ read: Int, _ size: Int) -> Void)? = nil,
                              line: (String) -> Void) throws -> Output? {
        guard var decoder = decoder(for: profile) else { return nil }
        var kept: [Reading] = []
        let take: (Reading) -> Void = { r in
            if format == .ndjson { line(display.line(r)) } else if kept.count < keptLines { kept.append(r) }
        }
        let outcome: StreamingReplay.Outcome
        if twoWay {
            outcome = try StreamingReplay.runCapture(path: path, decoder: &decoder, clock: clock, progress: progress, reading: take)
        } else {
            outcome = try StreamingReplay.run(path: path, decoder: &decoder, receivedAt: receivedAt, progress: progress, reading: take)
        }
        return report(profile, outcome: outcome, readings: kept, decoder: decoder, format: format, display: display)
    }

    /// The family's capture decoder; a declarative profile's keeps `keptLines` rejected frames.
    static func decoder(for profile: DeviceProfile) -> (any CaptureStreamDecoder)? {
        if let plan = profile.declarative {
            return DeclarativePlan.CaptureStream(plan: plan, profileID: profile.id, keptRejections: keptLines)
        }
        return ProtocolRegistry.driver(for: profile).streamCapture?(profile)
    }

    /// The lines of a decoded capture: in text the device, the kept `readings` and the
    /// diagnostics; in ndjson the diagnostics only (the readings went out as decoded).
    static func report(_ profile: DeviceProfile, outcome: StreamingReplay.Outcome, readings: [Reading],
                       decoder: (any CaptureStreamDecoder)?, format: Format, display: PatientIDDisplay = .masked) -> Output {
        var out = Output()
        let s = outcome.summary
        if format == .text {
            out.lines.append("device: serial \(s.deviceSerial ?? "unknown"), model \(s.deviceModel ?? "unknown"), clock \(s.deviceClock?.description ?? "unknown")")
            for r in readings { out.lines.append(text(r, display: display)) }
            if outcome.readings > readings.count {
                out.lines.append("\(outcome.readings - readings.count) more readings, not listed (use --format ndjson for all)")
            }
        }
        var diag: [String] = []
        if let declarative = decoder as? DeclarativePlan.CaptureStream {
            for r in declarative.rejections {
                diag.append("rejected frame at byte \(r.offset): \(Hex.string(r.bytes)): \(r.issue)")
            }
            if declarative.droppedRejections > 0 {
                diag.append("\(declarative.droppedRejections) more rejected frames, not listed")
            }
        }
        for p in outcome.problems { diag.append("record not decoded: \(p)") }
        if outcome.droppedProblems > 0 { diag.append("\(outcome.droppedProblems) more records not decoded, not listed") }
        let c = s.counters
        diag.append("\(outcome.readings) readings, \(c.frames) frames, \(c.garbageBytes) garbage bytes, \(c.badChecksums) bad checksums, \(c.malformed) malformed, \(c.oversized) oversized")
        if format == .text { out.lines += diag } else { out.diagnostics = diag }
        // Serials, models, units and problems come from the device or the profile: data, never
        // terminal control (ndjson lines are JSON, already escaped).
        if format == .text { out.lines = out.lines.map(DeviceText.escaped) }
        out.diagnostics = out.diagnostics.map(DeviceText.escaped)
        return out
    }

    /// One reading as a line a technician reads; its patient masked whatever the ID's shape
    /// unless `display` shows IDs in clear.
    package static func text(_ r: Reading, display: PatientIDDisplay = .masked) -> String {
        // The code as the device sent it: LOINC, or an MDC code written `MDC:<number>`.
        let code = r.code.hasPrefix("MDC:") ? r.code : "LOINC \(r.code)"
        var s = "reading: \(r.deviceTime) \(r.kind.rawValue) \(r.value) \(r.unit) (\(code))"
        for c in r.components { s += "; \(c.kind.rawValue) \(c.value) \(c.unit)" }
        if !r.flags.isEmpty { s += " [\(r.flags.map(\.rawValue).joined(separator: ", "))]" }
        if let p = r.patientID { s += " patient \(display.showInClear ? p : ResidentID.masked(p))" }
        return s
    }
}
