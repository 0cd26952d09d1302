/// A device protocol written as data (`protocol: declarative` in a profile): how frames are
/// delimited and checked, which record types they carry, which fields each record holds, how
/// fields become readings, and the read-only conversation that asks for them.
///
/// The spec is what the YAML loader produces; `DeclarativePlan` compiles it once per profile
/// load into the flat tables the decoder and the mapper run on.
public struct DeclarativeSpec: Sendable, Equatable {
    /// Delimiting and checking of one frame.
    public var frame: FrameSpec
    /// The record types, in match order (the first record whose rules hold names the frame).
    public var records: [RecordSpec]
    /// How records become readings.
    public var readings: [ReadingSpec]
    /// Where the device's serial, model and clock come from.
    public var device: DeviceIdentitySpec
    /// The frames the gateway may send, by name; only those with `writes == false` may ever leave.
    public var commands: [CommandSpec]
    /// The live conversation; empty when the profile only decodes captures.
    public var script: [ScriptStep]

    public init(frame: FrameSpec, records: [RecordSpec], readings: [ReadingSpec], device: DeviceIdentitySpec,
                commands: [CommandSpec] = [], script: [ScriptStep] = []) {
        self.frame = frame
        self.records = records
        self.readings = readings
        self.device = device
        self.commands = commands
        self.script = script
    }
}

/// Byte order of a multi-byte number.
public enum ByteOrder: String, Sendable, Equatable, CaseIterable {
    case big, little
}

/// How one frame is found, delimited and checked.
public struct FrameSpec: Sendable, Equatable {
    /// Bytes every frame starts with (1…4).
    public var start: [UInt8]
    /// How long a frame is.
    public var length: LengthRule
    /// The longest frame accepted (at most `InlineBytes.capacity`).
    public var maximumLength: Int
    /// Bytes every frame ends with (may be empty).
    public var terminator: [UInt8]
    /// Byte stuffing between the start and the terminator, when the protocol uses it.
    public var escape: EscapeRule?
    /// The frame check, when the protocol has one.
    public var checksum: ChecksumSpec?
    /// Bytes every accepted frame has (e.g. a direction byte), checked before the checksum: a
    /// frame that fails one is malformed, whatever its checksum.
    public var require: [ByteRule]

    public init(start: [UInt8], length: LengthRule, maximumLength: Int, terminator: [UInt8] = [],
                escape: EscapeRule? = nil, checksum: ChecksumSpec? = nil, require: [ByteRule] = []) {
        self.require = require
        self.start = start
        self.length = length
        self.maximumLength = maximumLength
        self.terminator = terminator
        self.escape = escape
        self.checksum = checksum
    }
}

/// How long a frame is.
public enum LengthRule: Sendable, Equatable {
    /// Every frame has this many bytes.
    case fixed(Int)
    /// A length field inside the frame.
    case field(LengthField)
    /// The frame ends at the terminator.
    case terminated
}

/// A length field: where it is and what it counts.
public struct LengthField: Sendable, Equatable {
    /// What the number counts.
    public enum Counts: Sendable, Equatable {
        /// The whole frame, start bytes to the last byte.
        case wholeFrame
        /// The bytes from this offset to the end of the frame.
        case from(Int)
        /// The payload: bytes after the length field, before the checksum and the terminator.
        case payload
    }

    public var offset: Int
    /// 1 or 2 bytes.
    public var size: Int
    public var order: ByteOrder
    public var counts: Counts
    /// Added to the number before use (e.g. -1 when the field counts itself too).
    public var adjust: Int

    public init(offset: Int, size: Int, order: ByteOrder, counts: Counts, adjust: Int = 0) {
        self.offset = offset
        self.size = size
        self.order = order
        self.counts = counts
        self.adjust = adjust
    }
}

/// Byte stuffing: on the wire, `byte` followed by a code stands for one frame byte.
public enum EscapeRule: Sendable, Equatable {
    /// `byte, x` stands for `x ^ mask` (HDLC style: 7D 5E = 7E).
    case xor(byte: UInt8, mask: UInt8)
    /// `byte, code` stands for the byte the pair maps to.
    case pairs(byte: UInt8, codes: [UInt8: UInt8])
}

/// A frame check: which algorithm, over which bytes, carried where.
public struct ChecksumSpec: Sendable, Equatable {
    /// The algorithms a profile can name.
    public enum Family: String, Sendable, Equatable, CaseIterable {
        case sum8
        case xor8
        case sum16
        case crc8Maxim = "crc8-maxim"
        case crc8SMBus = "crc8-smbus"
        case crc16CCITTFalse = "crc16-ccitt-false"
        case crc16XModem = "crc16-xmodem"
        case crc16Kermit = "crc16-kermit"
        case crc16Modbus = "crc16-modbus"
        case crc16ARC = "crc16-arc"
        /// Σ bytes mod 256, carried as two uppercase ASCII hex digits (ASTM style).
        case asciiHexSum8 = "ascii-hex-sum8"

        /// Bytes the check occupies in the frame.
        public var carriedSize: Int {
            switch self {
            case .sum8, .xor8, .crc8Maxim, .crc8SMBus: return 1
            case .sum16, .crc16CCITTFalse, .crc16XModem, .crc16Kermit, .crc16Modbus, .crc16ARC, .asciiHexSum8: return 2
            }
        }
    }

    public var family: Family
    /// First covered byte (negative: counted from the end, -1 = last byte).
    public var from: Int
    /// Last covered byte, inclusive (negative: counted from the end).
    public var to: Int
    /// Where the check sits (negative: counted from the end).
    public var position: Int
    /// Byte order of a 16-bit check.
    public var order: ByteOrder

    public init(family: Family, from: Int, to: Int, position: Int, order: ByteOrder = .big) {
        self.family = family
        self.from = from
        self.to = to
        self.position = position
        self.order = order
    }
}
