/// What `FrameSketcher` found out about an unknown device's frames from a capture alone: the
/// starting point of a profile, never a finished one. Every finding says how many frames it
/// holds for, so a technician can judge it.
public struct FrameSketch: Sendable, Equatable {
    /// Whether the device talks in printable text lines or in binary frames.
    public enum Encoding: String, Sendable, Equatable { case text, binary }

    /// How long a frame is.
    public enum LengthRule: Sendable, Equatable, CustomStringConvertible {
        /// Every frame has the same number of bytes.
        case fixed(Int)
        /// A length field: frame length = field value + `adjust`.
        case field(offset: Int, size: Int, bigEndian: Bool, adjust: Int)

        public var description: String {
            switch self {
            case let .fixed(n): return "fixed \(n) bytes"
            case let .field(offset, size, bigEndian, adjust):
                let order = size == 1 ? "" : (bigEndian ? " big-endian" : " little-endian")
                let adj = adjust == 0 ? "" : (adjust > 0 ? " + \(adjust)" : " - \(-adjust)")
                return "\(size)-byte\(order) length field at offset \(offset): frame length = value\(adj)"
            }
        }
    }

    /// A byte every frame carries at the same distance from its end (an ETX or end marker).
    public struct EndMarker: Sendable, Equatable {
        /// 1 = the last byte of the frame.
        public var fromEnd: Int
        public var value: UInt8

        public init(fromEnd: Int, value: UInt8) {
            self.fromEnd = fromEnd
            self.value = value
        }
    }

    /// A checksum that holds for (nearly) every frame.
    public struct ChecksumFinding: Sendable, Equatable, CustomStringConvertible {
        /// The family, in the names profiles use: `sum8`, `xor8`, `crc8-maxim`, `crc16-ccitt-false`…
        public var family: String
        /// For `sum8`/`xor8`: the constant the device adds or XORs in (0 for a plain sum).
        public var seed: UInt8
        /// Width of the carried checksum in bytes.
        public var width: Int
        /// Byte order of a 2-byte checksum.
        public var bigEndian: Bool
        /// Where the carried checksum's last byte sits: 1 = the last byte of the frame.
        public var fromEnd: Int
        /// First byte covered (offset from the frame start).
        public var coverFrom: Int
        /// Bytes at the end of the frame not covered (the checksum itself, an end marker…).
        public var coverExcludesLast: Int
        /// Frames it holds for, out of `frames`.
        public var matching: Int
        public var frames: Int

        public var description: String {
            let seedText = seed == 0 ? "" : " seeded 0x\(Hex.byte(seed))"
            let order = width == 1 ? "" : (bigEndian ? ", big-endian" : ", little-endian")
            let first = -(fromEnd + width - 1), last = -fromEnd
            let at = width == 1 ? "byte \(first)" : "bytes \(first)…\(last)"
            return "\(family)\(seedText) over bytes \(coverFrom)…\(-(coverExcludesLast + 1)), carried at \(at)\(order) (negative offsets count from the frame end, -1 = last byte): \(matching)/\(frames) frames"
        }
    }

    /// Printable text: what ends a line and what the lines look like.
    public struct TextFindings: Sendable, Equatable {
        /// `"\r\n"`, `"\n"` or `"\r"`.
        public var lineEnd: String
        public var lines: Int
        /// The most common first characters of lines, most frequent first.
        public var leadingCharacters: [Character]
        /// The most frequent punctuation character inside lines (a field separator candidate).
        public var separator: Character?
        /// A trailing hex checksum token, when one matches every checksummed line.
        public var checksum: TextChecksum?
    }

    /// A checksum written as hex digits at the end of text lines.
    public struct TextChecksum: Sendable, Equatable {
        /// `sum8` or `sum16`.
        public var family: String
        /// Hex digits carried (2 or 4).
        public var digits: Int
        /// Characters skipped at the line start before summing.
        public var coverFrom: Int
        /// Characters between the summed text and the hex digits (a space…).
        public var gap: Int
        public var matching: Int
        public var candidates: Int
    }

    public var encoding: Encoding
    /// The bytes every frame starts with (binary).
    public var start: [UInt8] = []
    public var length: LengthRule?
    public var endMarker: EndMarker?
    public var checksum: ChecksumFinding?
    /// Offsets whose byte takes only a few values across frames: record-type candidates.
    public var recordTypeOffsets: [(offset: Int, values: [UInt8])] = []
    public var text: TextFindings?
    /// Frames found and the bytes they cover.
    public var frames = 0
    public var coveredBytes = 0
    public var totalBytes = 0
    /// The frames' lengths seen, ascending.
    public var frameLengths: [Int] = []

    public init(encoding: Encoding) { self.encoding = encoding }

    public static func == (a: FrameSketch, b: FrameSketch) -> Bool {
        a.encoding == b.encoding && a.start == b.start && a.length == b.length && a.endMarker == b.endMarker
            && a.checksum == b.checksum && a.text == b.text && a.frames == b.frames
            && a.coveredBytes == b.coveredBytes && a.totalBytes == b.totalBytes && a.frameLengths == b.frameLengths
            && a.recordTypeOffsets.map(\.offset) == b.recordTypeOffsets.map(\.offset)
            && a.recordTypeOffsets.map(\.values) == b.recordTypeOffsets.map(\.values)
    }
}
