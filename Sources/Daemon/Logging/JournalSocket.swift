import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The journal's native socket (`/run/systemd/journal/socket`), shared by every logger of the
/// process.
///
/// An entry too large for one datagram goes in a sealed memfd passed along with an empty
/// datagram, as libsystemd does; when that is not possible the message is cut to fit.
public final class JournalSocket: @unchecked Sendable {
    /// Where journald listens for native-protocol datagrams.
    public static let defaultPath = "/run/systemd/journal/socket"
    /// Size to cut an entry down to when it can be sent neither whole nor through a memfd.
    package static let truncatedSize = 48 * 1024

    private let sender: UnixDatagramSender
    /// The socket path.
    public var path: String { sender.path }

    /// Prepares a socket for sending to `path`. Nothing is sent, so a missing journal shows
    /// only on the first `send`.
    public init(path: String = JournalSocket.defaultPath) throws(JournalError) {
        do {
            sender = try UnixDatagramSender(path: path, sendTimeoutMillis: 1_000)
        } catch {
            throw .unusableSocket(path: path, reason: error.description)
        }
    }

    /// Sends `entry`; falls back to a memfd, then to a shortened `MESSAGE`, when the entry is
    /// too large for a datagram.
    package func send(_ entry: JournalEntry) throws(JournalError) {
        let bytes = entry.encoded()
        var code = sender.send(bytes)
        if code == EMSGSIZE || code == ENOBUFS {
            code = sendThroughMemfd(bytes)
            if code != 0 { code = sender.send(Self.shortened(entry).encoded()) }
        }
        guard code == 0 else { throw .sendFailed(path: path, errno: code) }
    }

    /// `entry` with every value cut so the whole fits in `truncatedSize`, the message marked.
    package static func shortened(_ entry: JournalEntry) -> JournalEntry {
        var out = JournalEntry()
        let budget = max(256, truncatedSize / max(1, entry.fields.count))
        for (name, value) in entry.fields {
            let bytes = Array(value.utf8)
            guard bytes.count > budget else {
                out.append(name, value)
                continue
            }
            // Cut at a character boundary: drop UTF-8 continuation bytes at the cut.
            var end = budget
            while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            out.append(name, String(decoding: bytes[..<end], as: UTF8.self) + "… [cut from \(bytes.count) bytes]")
        }
        return out
    }

    private typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc's `memfd_create` (not visible to Swift's Glibc module), looked up once.
    private static let memfdCreate: MemfdCreate? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memfd_create")
        .map { unsafeBitCast($0, to: MemfdCreate.self) }

    /// Writes `bytes` into a sealed memfd and passes it to journald; returns 0 or an errno.
    private func sendThroughMemfd(_ bytes: [UInt8]) -> Int32 {
        let cloexec: UInt32 = 1, allowSealing: UInt32 = 2
        guard let create = Self.memfdCreate else { return ENOSYS }
        let fd = create("pocgate-journal", cloexec | allowSealing)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return errno }
            written += n
        }
        // F_ADD_SEALS with SEAL | SHRINK | GROW | WRITE: journald accepts only sealed memfds.
        let addSeals: Int32 = 1024 + 9, allSeals: Int32 = 0x1 | 0x2 | 0x4 | 0x8
        guard fcntl(fd, addSeals, allSeals) == 0 else { return errno }
        return sender.send([], passing: fd)
    }
}

/// Why an entry could not reach the journal.
public enum JournalError: Error, Equatable, CustomStringConvertible {
    /// The socket path is unusable.
    case unusableSocket(path: String, reason: String)
    /// journald is not listening, or did not take the entry in time.
    case sendFailed(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .unusableSocket(let path, let reason): return "journal socket \(path): \(reason)"
        case .sendFailed(let path, let code):
            return "cannot write to the journal at \(path): \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
