/// The delimiters of one HL7 v2 message, read from its MSH segment: MSH-1 is the field
/// separator, MSH-2 holds component, repetition, escape and subcomponent characters in that
/// order. The defaults are `|^~\&`, but a sender may choose others.
public struct HL7Encoding: Sendable, Hashable {
    public var field: UInt8
    public var component: UInt8
    public var repetition: UInt8
    public var escape: UInt8
    public var subcomponent: UInt8

    public init(field: UInt8, component: UInt8, repetition: UInt8, escape: UInt8, subcomponent: UInt8) {
        self.field = field
        self.component = component
        self.repetition = repetition
        self.escape = escape
        self.subcomponent = subcomponent
    }

    /// `|^~\&`.
    public static let standard = HL7Encoding(field: UInt8(ascii: "|"), component: UInt8(ascii: "^"), repetition: UInt8(ascii: "~"),
                                             escape: UInt8(ascii: "\\"), subcomponent: UInt8(ascii: "&"))

    /// MSH-2 as sent: component, repetition, escape, subcomponent.
    public var characters: [UInt8] { [component, repetition, escape, subcomponent] }

    /// The encoding of a message whose first segment begins `MSH` + field separator + MSH-2,
    /// or nil when the delimiters are missing, repeated, or not printable.
    ///
    /// MSH-2 may be shorter than four characters (older senders omit the subcomponent
    /// separator, HL7 2.7+ may add a fifth, truncation character); missing ones take the defaults
    /// only when that does not clash with a character already chosen.
    public init?(msh segment: ArraySlice<UInt8>) {
        let s = Array(segment)
        guard s.count >= 5, s[0] == UInt8(ascii: "M"), s[1] == UInt8(ascii: "S"), s[2] == UInt8(ascii: "H") else { return nil }
        let field = s[3]
        var chars: [UInt8] = []
        var i = 4
        while i < s.count, s[i] != field, chars.count < 5 {
            chars.append(s[i])
            i += 1
        }
        guard chars.count >= 2 else { return nil }
        let defaults = Self.standard.characters
        while chars.count < 4 { chars.append(defaults[chars.count]) }
        let used = [field] + chars.prefix(4)
        guard Set(used).count == 5, used.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !Self.isAlphanumeric($0) }) else { return nil }
        self.init(field: field, component: chars[0], repetition: chars[1], escape: chars[2], subcomponent: chars[3])
    }

    static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }
}
