import Daemon
public import Sessions
public import DeviceProfiles
import FrameParsing
package import PocGateCore

/// `pocgate profile test`: decodes a capture with a profile and explains every frame it refused.
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

    public static func run(_ profile: DeviceProfile, capture: ReplayInput, format: Format) -> Output {
        var out = Output()
        let result: DecodedCapture
        var rejections: [DeclarativePlan.Rejection] = []
        if let plan = profile.declarative {
            (result, rejections) = plan.decodeCapture(capture.deviceBytes, profileID: profile.id)
        } else {
            result = CaptureReplay(profile: profile).decode(capture)
        }
        switch format {
        case .ndjson:
            out.lines = result.readings.map(ReadingJSON.line)
        case .text:
            out.lines.append("device: serial \(result.deviceSerial ?? "unknown"), model \(result.deviceModel ?? "unknown"), clock \(result.deviceClock?.description ?? "unknown")")
            for r in result.readings { out.lines.append(text(r)) }
        }
        var diag: [String] = []
        for r in rejections {
            diag.append("rejected frame at byte \(r.offset): \(Hex.string(r.bytes)): \(r.issue)")
        }
        for p in result.problems { diag.append("record not decoded: \(p)") }
        let c = result.counters
        diag.append("\(result.readings.count) readings, \(c.frames) frames, \(c.garbageBytes) garbage bytes, \(c.badChecksums) bad checksums, \(c.malformed) malformed, \(c.oversized) oversized")
        if format == .text { out.lines += diag } else { out.diagnostics = diag }
        // Serials, models, units and problems come from the device or the profile: data, never
        // terminal control (ndjson lines are JSON, already escaped).
        if format == .text { out.lines = out.lines.map(DeviceText.escaped) }
        out.diagnostics = out.diagnostics.map(DeviceText.escaped)
        return out
    }

    /// One reading as a line a technician reads.
    package static func text(_ r: Reading) -> String {
        // The code as the device sent it: LOINC, or an MDC code written `MDC:<number>`.
        let code = r.code.hasPrefix("MDC:") ? r.code : "LOINC \(r.code)"
        var s = "reading: \(r.deviceTime) \(r.kind.rawValue) \(r.value) \(r.unit) (\(code))"
        for c in r.components { s += "; \(c.kind.rawValue) \(c.value) \(c.unit)" }
        if !r.flags.isEmpty { s += " [\(r.flags.map(\.rawValue).joined(separator: ", "))]" }
        if let p = r.patientID { s += " patient \(p)" }
        return s
    }
}
