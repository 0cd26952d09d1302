import PocGateCore
import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
public import FrameParsing

/// The `pocgate replay --format summary` line: one JSON object,
/// `{"frames":N,"readings":N,"rejected":N,"bytes":N,"pending_bytes":N,"seconds":S}`.
///
/// `frames` counts checked frames (lines for text protocols); `rejected` counts frames dropped
/// for a bad checksum, a malformed field or excess length, plus records or dumps that did not
/// become readings; `bytes` is the capture's size; `pending_bytes` counts the bytes at its end
/// that were not a whole frame (a record cut off when the capture stopped), never dropped
/// silently; `seconds` is the wall time of decoding,
/// measured with a monotonic clock.
public enum ReplaySummary {
    public static func line(_ result: CaptureReplay.Result, bytes: Int, seconds: Double) -> String {
        line(counters: result.counters, readings: result.readings.count, problems: result.problems.count,
             bytes: bytes, pendingBytes: result.pendingBytes, seconds: seconds)
    }

    /// The line of a streamed replay: the same fields from its counts.
    public static func line(_ outcome: StreamingReplay.Outcome) -> String {
        line(counters: outcome.summary.counters, readings: outcome.readings, problems: outcome.problemCount,
             bytes: outcome.bytes, pendingBytes: outcome.summary.pendingBytes, seconds: outcome.seconds)
    }

    static func line(counters: DecodeCounters, readings: Int, problems: Int, bytes: Int, pendingBytes: Int, seconds: Double) -> String {
        let rejected = counters.rejectedFrames + problems
        let s = NumberText.printf("%.6f", max(0, seconds))
        return "{\"frames\":\(counters.frames),\"readings\":\(readings),\"rejected\":\(rejected),\"bytes\":\(bytes),\"pending_bytes\":\(pendingBytes),\"seconds\":\(s)}"
    }
}
