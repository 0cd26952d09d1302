#if canImport(Glibc)
import Glibc
#endif
public import FrameParsing
public import PocGateCore

/// `pocgate replay` of a plain capture in bounded memory: the file is read in `readSize`
/// pieces, each fed to the family's streaming decoder (`ProtocolDriver.streamCapture`), each
/// reading handed to the caller as it is decoded, and at most `keptProblems` problem texts
/// kept (the others counted). Peak memory is the read buffer, the decoder's longest frame and
/// dump state, and the kept problems: independent of the capture's size.
public struct StreamingReplay {
    /// Bytes asked of the file per read.
    public static let readSize = 1 << 20
    /// Problem texts kept for the report on stderr; the rest are only counted.
    public static let keptProblems = 1000

    /// What a streamed capture decoded to, without the readings (they went to the caller).
    public struct Outcome {
        public var summary = CaptureStreamSummary()
        /// Readings decoded.
        public var readings = 0
        /// The first `keptProblems` problem texts, in capture order.
        public var problems: [String] = []
        /// Problems whose texts were not kept.
        public var droppedProblems = 0
        /// Bytes read from the file.
        public var bytes = 0
        /// Wall time spent decoding (reads and the caller's output excluded), monotonic clock.
        public var seconds = 0.0

        /// Every problem, kept or counted.
        public var problemCount: Int { problems.count + droppedProblems }
    }

    /// True when the file at `path` is a two-way `pocgate capture` file (it starts with the
    /// capture magic); such files are replayed whole, record times included.
    public static func isCaptureFile(_ path: String) throws(BoundedFile.ReadError) -> Bool {
        let fd = try openRegular(path)
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: CaptureFile.magic.count)
        let n = try readSome(fd, into: &head, path: path)
        return CaptureFile.isCapture(Array(head[..<n]))
    }

    /// Streams the file at `path` through `decoder`, all of it received at `receivedAt`.
    /// `progress` is called after each read with the bytes read so far and the file's size.
    public static func run(path: String, decoder: inout any CaptureStreamDecoder, receivedAt: LocalDateTime,
                           progress: ((_ read: Int, _ size: Int) -> Void)? = nil,
                           reading: (Reading) -> Void) throws(BoundedFile.ReadError) -> Outcome {
        let fd = try openRegular(path)
        defer { close(fd) }
        var st = stat()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        var out = Outcome()
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        func take(_ event: CaptureEvent) {
            switch event {
            case let .reading(r):
                out.readings += 1
                reading(r)
            case let .problem(p):
                if out.problems.count < keptProblems { out.problems.append(p) } else { out.droppedProblems += 1 }
            }
        }
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            let n = try readSome(fd, into: &buffer, path: path)
            if n == 0 { break }
            out.bytes += n
            let piece = n == buffer.count ? buffer : Array(buffer[..<n])
            elapsed += clock.measure { decoder.feed(piece, receivedAt: receivedAt, emit: take) }
            progress?(out.bytes, size)
        }
        elapsed += clock.measure { out.summary = decoder.finish(emit: take) }
        let parts = elapsed.components
        out.seconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        return out
    }

    private static func openRegular(_ path: String) throws(BoundedFile.ReadError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw .readFailed(path: path, errno: errno) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { close(fd); throw .notRegular(path: path) }
        return fd
    }

    /// Fills `buffer` as far as the file allows; the count read, 0 at the end of the file.
    private static func readSome(_ fd: Int32, into buffer: inout [UInt8], path: String) throws(BoundedFile.ReadError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, errno: errno)
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}
