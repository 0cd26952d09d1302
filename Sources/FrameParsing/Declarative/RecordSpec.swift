public import PocGateCore

/// One record type: which frames are this record, and the fields they hold.
public struct RecordSpec: Sendable, Equatable {
    /// How long a record's fields stay available to readings.
    public enum Lifetime: String, Sendable, Equatable, CaseIterable {
        /// Until the end of the dump (identity, clock, count).
        case session
        /// Until the next reading that uses it (TaiDoc's time reply before its value reply).
        case reading = "next-reading"
    }

    public var name: String
    /// All must hold.
    public var rules: [ByteRule]
    public var fields: [FieldSpec]
    public var lifetime: Lifetime

    public init(name: String, rules: [ByteRule], fields: [FieldSpec] = [], lifetime: Lifetime = .session) {
        self.name = name
        self.rules = rules
        self.fields = fields
        self.lifetime = lifetime
    }
}

/// `frame[offset] & mask == value`.
public struct ByteRule: Sendable, Equatable {
    /// Negative: counted from the end.
    public var offset: Int
    public var value: UInt8
    public var mask: UInt8

    public init(offset: Int, value: UInt8, mask: UInt8 = 0xFF) {
        self.offset = offset
        self.value = value
        self.mask = mask
    }
}

/// One field of a record.
public struct FieldSpec: Sendable, Equatable {
    /// What the bytes are.
    public enum FieldType: Sendable, Equatable {
        /// Unsigned integer (1…8 bytes).
        case uint
        /// Two's-complement integer.
        case int
        /// Packed BCD digits, two per byte, most significant first in the chosen order.
        case bcd
        /// ASCII text; as a number it must be decimal digits with an optional '.'.
        case ascii
        /// The bytes as uppercase hex digits in the chosen order (serial numbers, model codes).
        case hex
        /// A date and time.
        case dateTime(DateLayout)
    }

    public var name: String
    /// Negative: counted from the end of the frame.
    public var offset: Int
    public var size: Int
    public var type: FieldType
    public var order: ByteOrder
    /// Right shift applied to an integer before the mask.
    public var shift: Int
    /// Mask applied after the shift.
    public var mask: UInt64?
    /// Multiplier turning the integer into the value (exact decimal, e.g. 0.1).
    public var scale: ExactDecimal?
    /// Names of values: a flag, a unit or any word a reading refers to.
    public var names: [Int64: String]

    public init(name: String, offset: Int, size: Int, type: FieldType, order: ByteOrder = .big, shift: Int = 0,
                mask: UInt64? = nil, scale: ExactDecimal? = nil, names: [Int64: String] = [:]) {
        self.name = name
        self.offset = offset
        self.size = size
        self.type = type
        self.order = order
        self.shift = shift
        self.mask = mask
        self.scale = scale
        self.names = names
    }
}

/// How a date and time is laid out in a field.
public enum DateLayout: Sendable, Equatable {
    /// TaiDoc: bytes 0-1 a little-endian word (bits 15..9 year-2000, 8..5 month, 4..0 day),
    /// byte 2 minute (& 0x3F), byte 3 hour (& 0x1F).
    case taidocPacked
    /// Each letter pair is one BCD byte: `YY` (2000+), `YYYY` (two bytes), `MM`, `DD`, `hh`, `mm`, `ss`.
    case bcd(String)
    /// Each letter pair is one binary byte: `YY` (2000+), `YYYY` (two bytes, big-endian), `MM`, `DD`, `hh`, `mm`, `ss`.
    case binary(String)
    /// ASCII text in a strftime-like pattern: `%Y %y %m %d %H %M %S`, other characters literal.
    case ascii(String)

    /// How many bytes the layout occupies.
    public var size: Int? {
        switch self {
        case .taidocPacked: return 4
        case let .bcd(p), let .binary(p): return DateLayout.tokens(p).map { $0.reduce(0) { $0 + ($1 == "YYYY" ? 2 : 1) } }
        case let .ascii(p): return DateLayout.asciiWidth(p)
        }
    }

    /// The letter pairs of a BCD/binary pattern, or nil when it has anything else.
    public static func tokens(_ pattern: String) -> [String]? {
        var out: [String] = []
        var rest = Substring(pattern)
        while !rest.isEmpty {
            if rest.hasPrefix("YYYY") { out.append("YYYY"); rest = rest.dropFirst(4); continue }
            let pair = String(rest.prefix(2))
            guard ["YY", "MM", "DD", "hh", "mm", "ss"].contains(pair) else { return nil }
            out.append(pair)
            rest = rest.dropFirst(2)
        }
        return out
    }

    /// The byte width of an ASCII pattern, or nil when it has an unknown `%` code.
    public static func asciiWidth(_ pattern: String) -> Int? {
        var width = 0
        var percent = false
        for c in pattern {
            if percent {
                switch c {
                case "Y": width += 4
                case "y", "m", "d", "H", "M", "S": width += 2
                default: return nil
                }
                percent = false
            } else if c == "%" {
                percent = true
            } else {
                width += c.utf8.count
            }
        }
        return percent ? nil : width
    }
}

extension RecordSpec {
    /// Whether every frame that meets all of `rules` also meets all of `others`: each rule of
    /// `others` fixes only bits that `rules` fix at the same offset, to the same values.
    public static func rules(_ rules: [ByteRule], imply others: [ByteRule]) -> Bool {
        others.allSatisfy { o in
            var known: UInt8 = 0, value: UInt8 = 0
            for r in rules where r.offset == o.offset {
                known |= r.mask
                value |= r.value & r.mask
            }
            return o.mask & ~known == 0 && value & o.mask == o.value & o.mask
        }
    }
}
