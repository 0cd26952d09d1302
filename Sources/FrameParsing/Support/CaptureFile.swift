/// A two-way capture written by `pocgate capture`: every chunk the device sent and every chunk
/// the gateway sent, in order, with the time since the capture started. docs/CAPTURES.md
/// documents the format byte by byte:
///
///     "PGCAP1\n"                                   magic, 7 bytes
///     header: UInt32 LE length, then that many bytes of UTF-8 JSON (profile, devnode, start time,
///             transport and framing: see `Framing`)
///     chunks until the end of the file:
///       direction  1 byte   'D' = device → gateway, 'G' = gateway → device
///       micros     UInt64 LE  microseconds since the capture started
///       length     UInt32 LE
///       bytes      `length` bytes
///
/// Tools that decode (`pocgate replay`, `pocgate profile test`, `pocgate profile sketch`) take
/// either this format or a plain file of what the device sent; `deviceBytes` turns the first
/// into the second.
public struct CaptureFile: Sendable, Equatable {
    /// Who sent a chunk.
    public enum Direction: UInt8, Sendable, Equatable {
        case device = 0x44   // "D"
        case gateway = 0x47  // "G"
    }

    /// One read or write as it happened on the line.
    public struct Chunk: Sendable, Equatable {
        public var direction: Direction
        public var micros: UInt64
        public var bytes: [UInt8]

        public init(direction: Direction, micros: UInt64, bytes: [UInt8]) {
            self.direction = direction
            self.micros = micros
            self.bytes = bytes
        }
    }

    /// Why a file that starts with the magic cannot be read.
    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        case truncated(atOffset: Int)
        case badDirection(UInt8, atOffset: Int)

        public var description: String {
            switch self {
            case let .truncated(offset): return "the capture file ends inside a record at byte \(offset); it was cut short while being written"
            case let .badDirection(b, offset): return "byte \(offset) should be a direction ('D' or 'G') but is 0x\(Hex.byte(b)); the file is not a pocgate capture or is damaged"
            }
        }
    }

    public static let magic: [UInt8] = Array("PGCAP1\n".utf8)

    /// The JSON header (profile id, device node, start time), as written.
    public var header: String
    public var chunks: [Chunk]

    public init(header: String, chunks: [Chunk]) {
        self.header = header
        self.chunks = chunks
    }

    /// How the chunks frame what was said (the header's `framing`; absent in files written
    /// before HID ports: `bytes`).
    public enum Framing: String, Sendable, Equatable {
        /// A byte stream: chunks are reads and writes, split anywhere (a tty).
        case bytes
        /// HID reports: each chunk is one whole input or output report, byte 0 its report id
        /// when the device numbers its reports (a hidraw node, `transport: hid`).
        case reports
        /// A CP2110 bridge's data reports: each chunk is one report whose byte 0 is the count
        /// of UART bytes that follow (1…63); the UART bytes are what the device said.
        case cp2110Reports = "cp2110-reports"
    }

    /// The framing the header states.
    public var framing: Framing {
        for candidate in [Framing.reports, .cp2110Reports] where header.contains("\"framing\":\"\(candidate.rawValue)\"") {
            return candidate
        }
        return .bytes
    }

    /// The device's chunks as a decoder sees them: as recorded, or for a CP2110 capture the
    /// UART bytes of each data report (reports that carry none are left out).
    public var deviceChunks: [Chunk] { payload(.device) }

    /// Every byte the device sent, in order: what a decoder is fed.
    public var deviceBytes: [UInt8] { deviceChunks.flatMap(\.bytes) }
    /// Every byte the gateway sent (for a CP2110 capture, the UART bytes of its data reports).
    public var gatewayBytes: [UInt8] { payload(.gateway).flatMap(\.bytes) }

    private func payload(_ direction: Direction) -> [Chunk] {
        let mine = chunks.filter { $0.direction == direction }
        guard framing == .cp2110Reports else { return mine }
        return mine.compactMap { chunk in
            guard let count = chunk.bytes.first, (1...63).contains(count), chunk.bytes.count > 1 else { return nil }
            let data = Array(chunk.bytes.dropFirst().prefix(Int(count)))
            return Chunk(direction: chunk.direction, micros: chunk.micros, bytes: data)
        }
    }

    /// Whether `bytes` start with the capture magic.
    public static func isCapture(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    /// What the device sent, from either format: a two-way capture's device chunks, or the
    /// bytes themselves when they are a plain one-way capture.
    public static func deviceBytes(of bytes: [UInt8]) throws(ReadError) -> [UInt8] {
        isCapture(bytes) ? try parse(bytes).deviceBytes : bytes
    }

    /// Reads a two-way capture. The caller checks `isCapture` first.
    public static func parse(_ bytes: [UInt8]) throws(ReadError) -> CaptureFile {
        var p = magic.count
        func need(_ n: Int) throws(ReadError) { if p + n > bytes.count { throw .truncated(atOffset: p) } }
        func u32() throws(ReadError) -> Int {
            try need(4)
            defer { p += 4 }
            return Int(bytes[p]) | Int(bytes[p + 1]) << 8 | Int(bytes[p + 2]) << 16 | Int(bytes[p + 3]) << 24
        }
        let headerLength = try u32()
        try need(headerLength)
        let header = String(decoding: bytes[p..<(p + headerLength)], as: UTF8.self)
        p += headerLength
        var chunks: [Chunk] = []
        while p < bytes.count {
            guard let direction = Direction(rawValue: bytes[p]) else { throw .badDirection(bytes[p], atOffset: p) }
            p += 1
            try need(8)
            var micros: UInt64 = 0
            for i in 0..<8 { micros |= UInt64(bytes[p + i]) << (8 * UInt64(i)) }
            p += 8
            let length = try u32()
            try need(length)
            chunks.append(Chunk(direction: direction, micros: micros, bytes: Array(bytes[p..<(p + length)])))
            p += length
        }
        return CaptureFile(header: header, chunks: chunks)
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var out = Self.magic
        func u32(_ v: Int) { for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        let h = Array(header.utf8)
        u32(h.count)
        out += h
        for c in chunks { out += Self.encode(c) }
        return out
    }

    /// One chunk's record, for appending to an open file as it happens.
    public static func encode(_ c: Chunk) -> [UInt8] {
        var out: [UInt8] = [c.direction.rawValue]
        out.reserveCapacity(13 + c.bytes.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: c.micros >> (8 * UInt64(i)))) }
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: c.bytes.count >> (8 * i))) }
        return out + c.bytes
    }
}
