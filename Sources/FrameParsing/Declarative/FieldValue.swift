public import PocGateCore

/// What a field holds once extracted from a frame.
public enum FieldValue: Sendable, Equatable, CustomStringConvertible {
    /// An integer (after shift and mask), with the value it stands for (after scale).
    case number(raw: Int64, value: ExactDecimal)
    case text(String)
    /// A date and time; nil when the bytes are not a calendar date.
    case time(LocalDateTime?)

    /// The raw integer, when the field is a number.
    public var integer: Int64? {
        if case let .number(raw, _) = self { return raw }
        return nil
    }

    /// The value as an exact decimal, when it is a number (or ASCII decimal text).
    public var decimal: ExactDecimal? {
        switch self {
        case let .number(_, v): return v
        case let .text(t): return ExactDecimal(parsing: t.trimmingSpaces)
        case .time: return nil
        }
    }

    public var description: String {
        switch self {
        case let .number(_, v): return v.description
        case let .text(t): return t
        case let .time(t): return t?.description ?? "not a valid date"
        }
    }
}

extension FieldSpec {
    /// The field's value in `frame`, or nil when the frame is too short for it.
    public func extract(_ frame: UnsafeRawBufferPointer) -> FieldValue? {
        let at = offset < 0 ? frame.count + offset : offset
        guard at >= 0, at + size <= frame.count else { return nil }
        let bytes = Array(frame[at..<(at + size)])
        let ordered = order == .little ? Array(bytes.reversed()) : bytes
        switch type {
        case .uint, .int:
            var v: UInt64 = 0
            for b in ordered { v = v << 8 | UInt64(b) }
            var signed = Int64(bitPattern: v)
            if case .int = type, size < 8, ordered.first.map({ $0 & 0x80 != 0 }) == true {
                signed = Int64(bitPattern: v | ~((1 << UInt64(size * 8)) - 1))
            }
            var raw = signed >> Int64(shift)
            if let mask { raw &= Int64(bitPattern: mask) }
            return .number(raw: raw, value: scaled(raw))
        case .bcd:
            var v: Int64 = 0
            for b in ordered {
                guard b >> 4 <= 9, b & 0x0F <= 9 else { return .text(Hex.string(ordered)) }
                v = v * 100 + Int64(b >> 4) * 10 + Int64(b & 0x0F)
            }
            return .number(raw: v, value: scaled(v))
        case .ascii:
            let text = String(decoding: bytes.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            if let d = ExactDecimal(parsing: text.trimmingSpaces), let v = scale.map({ d.times($0) }) ?? d {
                return .number(raw: d.mantissa, value: v)
            }
            return .text(text)
        case .hex:
            return .text(ordered.map { b in
                let s = String(b, radix: 16, uppercase: true)
                return s.count == 1 ? "0" + s : s
            }.joined())
        case let .dateTime(layout):
            return .time(layout.decode(bytes))
        }
    }

    private func scaled(_ raw: Int64) -> ExactDecimal {
        guard let scale else { return ExactDecimal(Int(raw)) }
        return ExactDecimal(Int(raw)).times(scale) ?? ExactDecimal(Int(raw))
    }
}

extension ExactDecimal {
    /// The exact product, or nil when it does not fit.
    func times(_ other: ExactDecimal) -> ExactDecimal? {
        let (m, overflow) = mantissa.multipliedReportingOverflow(by: other.mantissa)
        guard !overflow, Int(scale) + Int(other.scale) <= 18 else { return nil }
        return ExactDecimal(mantissa: m, scale: scale + other.scale)
    }
}

extension DateLayout {
    /// The date and time in `bytes` (exactly `size` of them), or nil when not a calendar date.
    public func decode(_ bytes: [UInt8]) -> LocalDateTime? {
        var y = 2000, mo = 1, d = 1, h = 0, mi = 0, s = 0
        switch self {
        case .taidocPacked:
            guard bytes.count == 4 else { return nil }
            let word = Int(bytes[0]) | Int(bytes[1]) << 8
            y = 2000 + (word >> 9); mo = (word >> 5) & 0x0F; d = word & 0x1F
            mi = Int(bytes[2] & 0x3F); h = Int(bytes[3] & 0x1F)
        case let .bcd(pattern), let .binary(pattern):
            guard let tokens = DateLayout.tokens(pattern) else { return nil }
            var i = 0
            var isBCD = false
            if case .bcd = self { isBCD = true }
            func next() -> Int? {
                guard i < bytes.count else { return nil }
                let b = bytes[i]
                i += 1
                if isBCD {
                    guard b >> 4 <= 9, b & 0x0F <= 9 else { return nil }
                    return Int(b >> 4) * 10 + Int(b & 0x0F)
                }
                return Int(b)
            }
            for t in tokens {
                guard let v = next() else { return nil }
                switch t {
                case "YYYY":
                    guard let low = next() else { return nil }
                    y = isBCD ? v * 100 + low : v << 8 | low
                case "YY": y = 2000 + v
                case "MM": mo = v
                case "DD": d = v
                case "hh": h = v
                case "mm": mi = v
                default: s = v
                }
            }
        case let .ascii(pattern):
            var i = 0
            var percent = false
            func digits(_ n: Int) -> Int? {
                guard i + n <= bytes.count else { return nil }
                var v = 0
                for k in 0..<n {
                    let c = bytes[i + k]
                    guard c >= 0x30, c <= 0x39 else { return nil }
                    v = v * 10 + Int(c - 0x30)
                }
                i += n
                return v
            }
            for c in pattern.utf8 {
                if percent {
                    percent = false
                    switch c {
                    case UInt8(ascii: "Y"): guard let v = digits(4) else { return nil }; y = v
                    case UInt8(ascii: "y"): guard let v = digits(2) else { return nil }; y = 2000 + v
                    case UInt8(ascii: "m"): guard let v = digits(2) else { return nil }; mo = v
                    case UInt8(ascii: "d"): guard let v = digits(2) else { return nil }; d = v
                    case UInt8(ascii: "H"): guard let v = digits(2) else { return nil }; h = v
                    case UInt8(ascii: "M"): guard let v = digits(2) else { return nil }; mi = v
                    case UInt8(ascii: "S"): guard let v = digits(2) else { return nil }; s = v
                    default: return nil
                    }
                } else if c == UInt8(ascii: "%") {
                    percent = true
                } else {
                    guard i < bytes.count, bytes[i] == c else { return nil }
                    i += 1
                }
            }
        }
        let t = LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        return t.isValid ? t : nil
    }
}
