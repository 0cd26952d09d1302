import PocGateCore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The progress line `pocgate replay` and `pocgate profile test` keep on stderr while they
/// stream a capture: only when stderr is a terminal (never in a pipe or a log), rewritten in
/// place, erased at the end.
final class ReplayProgress {
    let enabled: Bool
    /// The command the line names.
    let command: String
    private var shownMiB = -1

    init(enabled: Bool, command: String = "pocgate replay") {
        self.enabled = enabled
        self.command = command
    }

    /// Shows how far the read is, at most once per MiB, with the readings so far when known.
    func show(read: Int, size: Int, readings: Int? = nil) {
        guard enabled else { return }
        let mib = read >> 20
        guard mib != shownMiB else { return }
        shownMiB = mib
        let counted = readings.map { ", \($0) readings" } ?? ""
        write("\r\(command): \(mib) of \(max(mib, size >> 20)) MiB read\(counted)\u{1B}[K")
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
