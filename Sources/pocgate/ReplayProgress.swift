import PocGateCore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The progress line `pocgate replay` keeps on stderr while it streams a capture: only when
/// stderr is a terminal (never in a pipe or a log), rewritten in place, erased at the end.
final class ReplayProgress {
    let enabled: Bool
    private var shownMiB = -1

    init(enabled: Bool) { self.enabled = enabled }

    /// Shows how far the read is, at most once per MiB.
    func show(read: Int, size: Int, readings: Int) {
        guard enabled else { return }
        let mib = read >> 20
        guard mib != shownMiB else { return }
        shownMiB = mib
        write("\rpocgate replay: \(mib) of \(max(mib, size >> 20)) MiB read, \(readings) readings\u{1B}[K")
    }

    /// Erases the line before the report is written.
    func clear() {
        guard enabled, shownMiB >= 0 else { return }
        write("\r\u{1B}[K")
    }

    private func write(_ text: String) {
        StandardStreams.writeError(text)
    }
}
