/// The character set of an ASTM sender's text (E1394 declares none; the profile says which,
/// `charset:`, docs/PROFILES.md). Every record is brought to UTF-8 before it is read, so a
/// name or an id is never silently turned into U+FFFD.
public enum ASTMCharset: String, Sendable, Equatable, CaseIterable {
    /// UTF-8 (and so plain ASCII): a record that is not valid UTF-8 is a problem, not guessed.
    case utf8 = "utf-8"
    /// ISO 8859-1: every byte is the character of the same number.
    case latin1 = "latin-1"

    /// `bytes` as UTF-8, or nil when they are not valid text in this character set.
    public func utf8(_ bytes: [UInt8]) -> [UInt8]? {
        switch self {
        case .utf8:
            guard bytes.contains(where: { $0 >= 0x80 }) else { return bytes }
            var iterator = bytes.makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue: continue
                case .emptyInput: return bytes
                case .error: return nil
                }
            }
        case .latin1:
            guard bytes.contains(where: { $0 >= 0x80 }) else { return bytes }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 4)
            for b in bytes {
                if b < 0x80 { out.append(b) } else { out += [0xC0 | (b >> 6), 0x80 | (b & 0x3F)] }
            }
            return out
        }
    }
}
