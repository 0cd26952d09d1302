import Daemon
import Foundation

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
        let rejected = result.counters.rejectedFrames + result.problems.count
        let s = String(format: "%.6f", max(0, seconds))
        return "{\"frames\":\(result.counters.frames),\"readings\":\(result.readings.count),\"rejected\":\(rejected),\"bytes\":\(bytes),\"pending_bytes\":\(result.pendingBytes),\"seconds\":\(s)}"
    }
}
