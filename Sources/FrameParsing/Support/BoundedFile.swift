#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole file only when it is a regular file no larger than a limit: the size is
/// checked with `fstat` on the opened descriptor before a byte is read, so a huge file dropped
/// where profiles or captures are read costs one system call, not its size in memory. A file
/// that grows while it is read is refused the same way.
public enum BoundedFile {
    /// Why a file was not read. The messages name the file and the limit, never its contents.
    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        case cannotOpen(path: String, errno: Int32)
        case notRegular(path: String)
        case tooLarge(path: String, size: Int, limit: Int)
        case readFailed(path: String, errno: Int32)

        /// What is wrong, without the path (for a message that names the file already).
        public var reason: String {
            switch self {
            case let .cannotOpen(_, e): return "cannot open the file: \(String(cString: strerror(e))) (errno \(e))"
            case .notRegular: return "not a regular file (a directory, device or pipe); give the path of a file"
            case let .tooLarge(_, size, limit): return "the file has \(size) bytes, more than the \(limit) bytes allowed here; it was not read"
            case let .readFailed(_, e): return "cannot read the file: \(String(cString: strerror(e)))"
            }
        }

        public var description: String {
            switch self {
            case let .cannotOpen(path, e):
                return "cannot open \(path): \(String(cString: strerror(e))) (errno \(e))"
            case let .notRegular(path):
                return "\(path) is not a regular file (a directory, device or pipe); give the path of a file"
            case let .tooLarge(path, size, limit):
                return "\(path) has \(size) bytes, more than the \(limit) bytes allowed here; it was not read"
            case let .readFailed(path, e):
                return "cannot read \(path): \(String(cString: strerror(e)))"
            }
        }
    }

    /// The bytes of `path`, at most `limit` of them.
    public static func contents(of path: String, limit: Int) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .readFailed(path: path, errno: errno) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .notRegular(path: path) }
        let size = Int(st.st_size)
        guard size <= limit else { throw .tooLarge(path: path, size: size, limit: limit) }
        // One byte more than the limit is asked for, so a file that grew since fstat is seen.
        var out = [UInt8](repeating: 0, count: min(size, limit) + 1)
        var filled = 0
        while filled < out.count {
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, errno: errno)
            }
            if n == 0 { break }
            filled += n
            if filled == out.count, filled <= limit { out += [UInt8](repeating: 0, count: min(limit + 1, out.count * 2) - out.count) }
        }
        guard filled <= limit else { throw .tooLarge(path: path, size: filled, limit: limit) }
        out.removeSubrange(filled...)
        return out
    }
}
