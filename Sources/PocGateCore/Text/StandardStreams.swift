#if canImport(Glibc)
import Glibc
#endif

/// Whole texts written to the process's standard streams with `write(2)`, retried on
/// interruption and short writes (no buffering: a line reaches the journal as written).
public enum StandardStreams {
    /// Writes `text` to standard error.
    public static func writeError(_ text: String) { write(Array(text.utf8), to: 2) }

    /// Writes `text` to standard output.
    public static func writeOutput(_ text: String) { write(Array(text.utf8), to: 1) }

    /// Writes all of `bytes` to `fd` unless it fails (a closed pipe: the reader has gone).
    public static func write(_ bytes: [UInt8], to fd: Int32) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            written += n
        }
    }
}

/// A plain sleep of the calling thread.
public enum ThreadSleep {
    /// Sleeps the calling thread for `seconds` (restarted when a signal interrupts it).
    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }
}
