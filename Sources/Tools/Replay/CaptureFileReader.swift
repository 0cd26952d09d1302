#if canImport(Glibc)
import Glibc
#endif
public import FrameParsing

/// Reads a two-way `pocgate capture` file (`CaptureFile`) record by record through one bounded
/// buffer: what the device sent is handed out in pieces of at most `pieceSize` bytes, each with
/// its record's time offset, so a record of any length and a file of any size take the same
/// memory. `validate()` walks the records' heads first, so a damaged file is refused before
/// anything is decoded, as a whole-file read refuses it.
public struct CaptureFileReader {
    /// Why a capture file cannot be streamed.
    public enum Failure: Error, CustomStringConvertible {
        /// Opening or reading the file failed.
        case file(BoundedFile.ReadError)
        /// The file is not a well-formed two-way capture.
        case format(path: String, CaptureFile.ReadError)
        /// The JSON header is longer than any `pocgate capture` writes.
        case headerTooLong(path: String, length: Int)

        public var description: String {
            switch self {
            case let .file(e): return "capture file: \(e)"
            case let .format(path, e): return "\(path): \(e)"
            case let .headerTooLong(path, length):
                return "\(path): the capture header claims \(length) bytes, more than the \(CaptureFileReader.maximumHeaderLength) a pocgate capture writes; the file is damaged"
            }
        }
    }

    /// The most bytes handed out at once, and the read size.
    public static let pieceSize = 1 << 20
    /// The longest JSON header accepted (`pocgate capture` writes a few hundred bytes).
    public static let maximumHeaderLength = 1 << 20

    private let fd: Int32
    private let path: String
    /// The file's size when it was opened.
    public let size: Int
    private var buffer: [UInt8]
    /// Unread bytes are `buffer[start..<end]`; `offset` is the file offset of `buffer[start]`.
    private var start = 0
    private var end = 0
    private var offset = 0

    /// Reads `fd` (a regular file of `size` bytes at `path`, positioned at its start).
    public init(fd: Int32, size: Int, path: String) {
        self.fd = fd
        self.size = size
        self.path = path
        buffer = [UInt8](repeating: 0, count: Self.pieceSize)
    }

    /// Reads the magic and the header; the reader is then at the first record.
    public mutating func header() throws(Failure) -> String {
        try skip(CaptureFile.magic.count)
        let length = try u32()
        guard length <= Self.maximumHeaderLength else { throw .headerTooLong(path: path, length: length) }
        return String(decoding: try take(length), as: UTF8.self)
    }

    /// Walks every record's head to the end of the file, skipping the contents: throws what a
    /// whole-file read would (a record cut short, a byte that is no direction).
    public mutating func validate() throws(Failure) {
        while offset < size {
            let (_, _, length) = try recordHead()
            try skip(length)
        }
    }

    /// Hands every record's contents to `body` in order, in pieces of at most `pieceSize`:
    /// its direction, its microseconds since the capture started, the piece and the file
    /// offset after it. `body` answers whether to go on; false stops at once. `cp2110`
    /// keeps only a record's first 64 bytes (one whole bridge report), as `CaptureFile` reads it.
    public mutating func forEachRecord(reportsOnly: Bool,
                                       _ body: (CaptureFile.Direction, UInt64, [UInt8], Int) -> Bool) throws(Failure) {
        while offset < size {
            let (direction, micros, length) = try recordHead()
            var left = length
            if reportsOnly {
                let kept = min(left, 64)
                let report = Array(try take(kept))
                try skip(left - kept)
                guard body(direction, micros, report, offset) else { return }
                continue
            }
            repeat {
                let n = min(left, Self.pieceSize)
                guard body(direction, micros, Array(try take(n)), offset) else { return }
                left -= n
            } while left > 0
        }
    }

    private mutating func recordHead() throws(Failure) -> (CaptureFile.Direction, UInt64, Int) {
        let at = offset
        let d = try take(1).first ?? 0
        guard let direction = CaptureFile.Direction(rawValue: d) else { throw .format(path: path, .badDirection(d, atOffset: at)) }
        let m = try take(8)
        var micros: UInt64 = 0
        for (i, b) in m.enumerated() { micros |= UInt64(b) << (8 * UInt64(i)) }
        return (direction, micros, try u32())
    }

    private mutating func u32() throws(Failure) -> Int {
        let b = try take(4)
        return b.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    }

    /// The next `n` bytes (at most `pieceSize`); a file that ends first is cut short.
    private mutating func take(_ n: Int) throws(Failure) -> ArraySlice<UInt8> {
        guard offset + n <= size else { throw .format(path: path, .truncated(atOffset: offset)) }
        if end - start < n { try refill() }
        guard end - start >= n else { throw .format(path: path, .truncated(atOffset: offset)) }
        defer { start += n; offset += n }
        return buffer[start..<(start + n)]
    }

    /// Drops the next `n` bytes, seeking past what is not buffered.
    private mutating func skip(_ n: Int) throws(Failure) {
        guard offset + n <= size else { throw .format(path: path, .truncated(atOffset: offset)) }
        let buffered = min(n, end - start)
        start += buffered
        offset += buffered
        let rest = n - buffered
        guard rest > 0 else { return }
        guard lseek(fd, off_t(rest), SEEK_CUR) >= 0 else { throw .file(.readFailed(path: path, errno: errno)) }
        offset += rest
    }

    /// Moves the unread bytes to the front and fills the buffer from the file.
    private mutating func refill() throws(Failure) {
        let pending = end - start
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in
                _ = memmove(raw.baseAddress!, raw.baseAddress! + start, pending)
            }
            start = 0
            end = pending
        }
        while end < buffer.count {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + end, $0.count - end) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .file(.readFailed(path: path, errno: errno))
            }
            if got == 0 { break }
            end += got
        }
    }

    /// Back to the first record, after `validate()`; `first` is the offset `header()` left.
    public mutating func rewind(to first: Int) throws(Failure) {
        guard lseek(fd, off_t(first), SEEK_SET) >= 0 else { throw .file(.readFailed(path: path, errno: errno)) }
        start = 0
        end = 0
        offset = first
    }

    /// The file offset of the next unread byte.
    public var position: Int { offset }
}
