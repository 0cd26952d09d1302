/// The four E1394 delimiters, declared by the header record: `H|\^&` declares field `|`,
/// repeat `\`, component `^` and escape `&`, the defaults used before any header arrives.
public struct ASTMDelimiters: Sendable, Hashable {
    public var field: UInt8
    public var `repeat`: UInt8
    public var component: UInt8
    public var escape: UInt8

    public init(field: UInt8, repeat: UInt8, component: UInt8, escape: UInt8) {
        self.field = field
        self.repeat = `repeat`
        self.component = component
        self.escape = escape
    }

    /// `|`, `\`, `^`, `&`.
    public static let standard = ASTMDelimiters(field: UInt8(ascii: "|"), repeat: UInt8(ascii: "\\"),
                                                component: UInt8(ascii: "^"), escape: UInt8(ascii: "&"))

    /// The delimiters a header record's text declares (`H` and the next four bytes), or nil
    /// when they are not four distinct printable non-alphanumeric characters.
    public init?(header text: [UInt8]) {
        guard text.count >= 5, text[0] == UInt8(ascii: "H") else { return nil }
        let d = Array(text[1...4])
        guard Set(d).count == 4, d.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !Self.isAlphanumeric($0) }) else { return nil }
        self.init(field: d[0], repeat: d[1], component: d[2], escape: d[3])
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
    }

    /// Replaces the escape sequences `&F&`, `&S&`, `&R&`, `&E&` (with this escape character)
    /// by the field, component, repeat and escape delimiters. Other sequences (`&X0D&`, `&.br&`)
    /// are kept as they are.
    public func unescape(_ text: ArraySlice<UInt8>) -> [UInt8] {
        guard text.contains(escape) else { return Array(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == escape, i + 2 < text.endIndex, text[i + 2] == escape {
                let replacement: UInt8?
                switch text[i + 1] {
                case UInt8(ascii: "F"): replacement = field
                case UInt8(ascii: "S"): replacement = component
                case UInt8(ascii: "R"): replacement = `repeat`
                case UInt8(ascii: "E"): replacement = escape
                default: replacement = nil
                }
                if let replacement {
                    out.append(replacement)
                    i += 3
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// The sequence that stands for `byte` inside a value, or the byte itself.
    public func escaped(_ value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for c in value {
            switch c {
            case field: out += [escape, UInt8(ascii: "F"), escape]
            case component: out += [escape, UInt8(ascii: "S"), escape]
            case `repeat`: out += [escape, UInt8(ascii: "R"), escape]
            case escape: out += [escape, UInt8(ascii: "E"), escape]
            default: out.append(c)
            }
        }
        return out
    }
}
