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
    /// capture magic); such files are streamed record by record, record times included.
    public static func isCaptureFile(_ path: String) throws(BoundedFile.ReadError) -> Bool {
        let fd = try openRegular(path)
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: CaptureFile.magic.count)
        let n = try readSome(fd, into: &head, path: path)
        return CaptureFile.isCapture(Array(head[..<n]))
    }

    /// Streams the plain capture at `path` through `decoder`, all of it received at `receivedAt`.
    /// `progress` is called after each read with the bytes read so far and the file's size.
    public static func run(path: String, decoder: inout any CaptureStreamDecoder, receivedAt: LocalDateTime,
                           progress: ((_ read: Int, _ size: Int) -> Void)? = nil,
                           reading: (Reading) -> Void) throws(BoundedFile.ReadError) -> Outcome {
        let fd = try openRegular(path)
        defer { close(fd) }
        var st = stat()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        var run = Collector()
        var buffer = [UInt8](repeating: 0, count: readSize)
        var total = 0
        while true {
            let n = try readSome(fd, into: &buffer, path: path)
            if n == 0 { break }
            total += n
            run.feed(&decoder, n == buffer.count ? buffer : Array(buffer[..<n]), receivedAt, reading)
            progress?(total, size)
        }
        return run.finish(&decoder, reading)
    }

    /// Streams the two-way capture at `path` (a `pocgate capture` file) through `decoder`,
    /// record by record: each device record's bytes received at `clock(header)(micros)`, the
    /// gateway's records skipped, a CP2110 capture's reports turned into their UART bytes.
    /// The file's record structure is checked first, so a damaged file decodes nothing.
    /// `bytes` in the outcome counts what the device sent.
    public static func runCapture(path: String, decoder: inout any CaptureStreamDecoder,
                                  clock: (_ header: String) -> (_ micros: UInt64) -> LocalDateTime,
                                  progress: ((_ read: Int, _ size: Int) -> Void)? = nil,
                                  reading: (Reading) -> Void) throws(CaptureFileReader.Failure) -> Outcome {
        let fd: Int32
        do { fd = try openRegular(path) } catch { throw .file(error) }
        defer { close(fd) }
        var st = stat()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        var file = CaptureFileReader(fd: fd, size: size, path: path)
        let header = try file.header()
        let first = file.position
        try file.validate()
        try file.rewind(to: first)
        let framing = CaptureFile(header: header, chunks: []).framing
        let timeOf = clock(header)
        var run = Collector()
        var shownMiB = -1
        try file.forEachRecord(reportsOnly: framing == .cp2110Reports) { direction, micros, bytes, position in
            guard direction == .device, let piece = devicePiece(bytes, framing) else { return true }
            run.feed(&decoder, piece, timeOf(micros), reading)
            if position >> 20 != shownMiB {
                shownMiB = position >> 20
                progress?(position, size)
            }
            return true
        }
        return run.finish(&decoder, reading)
    }

    /// The bytes of a device record as a decoder sees them: as recorded, or a CP2110 report's
    /// UART bytes (nil for a report that carries none), as `CaptureFile.deviceChunks` reads them.
    static func devicePiece(_ bytes: [UInt8], _ framing: CaptureFile.Framing) -> [UInt8]? {
        guard framing == .cp2110Reports else { return bytes }
        guard let count = bytes.first, (1...63).contains(count), bytes.count > 1 else { return nil }
        return Array(bytes.dropFirst().prefix(Int(count)))
    }

    /// The first `limit` bytes the device sent in the capture at `path`, plain or two-way
    /// (`profile sketch`), and whether it sent more. Reads no further than it needs.
    public static func deviceHead(path: String, limit: Int) throws(CaptureFileReader.Failure) -> (bytes: [UInt8], more: Bool) {
        let fd: Int32
        do { fd = try openRegular(path) } catch { throw .file(error) }
        defer { close(fd) }
        var st = stat()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        var head = [UInt8](repeating: 0, count: CaptureFile.magic.count)
        let n: Int
        do { n = try readSome(fd, into: &head, path: path) } catch { throw .file(error) }
        guard CaptureFile.isCapture(Array(head[..<n])) else {
            var bytes = [UInt8](repeating: 0, count: min(limit, size))
            guard lseek(fd, 0, SEEK_SET) == 0 else { throw .file(.readFailed(path: path, errno: errno)) }
            let got: Int
            do { got = try readSome(fd, into: &bytes, path: path) } catch { throw .file(error) }
            return (Array(bytes[..<got]), size > got)
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw .file(.readFailed(path: path, errno: errno)) }
        var file = CaptureFileReader(fd: fd, size: size, path: path)
        let framing = CaptureFile(header: try file.header(), chunks: []).framing
        var bytes: [UInt8] = []
        var more = false
        try file.forEachRecord(reportsOnly: framing == .cp2110Reports) { direction, _, record, _ in
            guard direction == .device, let piece = devicePiece(record, framing) else { return true }
            let taken = min(piece.count, limit - bytes.count)
            bytes += piece.prefix(taken)
            more = taken < piece.count
            return !more
        }
        return (bytes, more)
    }

    /// What both kinds of capture share: feeding the decoder, timing it, counting the bytes,
    /// readings and problems, keeping the first `keptProblems` problem texts.
    struct Collector {
        var out = Outcome()
        let clock = ContinuousClock()
        var elapsed = Duration.zero

        mutating func feed(_ decoder: inout any CaptureStreamDecoder, _ bytes: [UInt8], _ at: LocalDateTime,
                           _ reading: (Reading) -> Void) {
            out.bytes += bytes.count
            let started = clock.now
            decoder.feed(bytes, receivedAt: at) { Self.take($0, &out, reading) }
            elapsed += clock.now - started
        }

        mutating func finish(_ decoder: inout any CaptureStreamDecoder, _ reading: (Reading) -> Void) -> Outcome {
            let started = clock.now
            out.summary = decoder.finish { Self.take($0, &out, reading) }
            elapsed += clock.now - started
            let parts = elapsed.components
            out.seconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
            return out
        }

        static func take(_ event: CaptureEvent, _ out: inout Outcome, _ reading: (Reading) -> Void) {
            switch event {
            case let .reading(r):
                out.readings += 1
                reading(r)
            case let .problem(p):
                if out.problems.count < keptProblems { out.problems.append(p) } else { out.droppedProblems += 1 }
            }
        }
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
