internal import PocGateCore

/// Sections 8 (full-text interpretive statements) and 11 (universal statement codes): the
/// cart's interpretation and whether a physician confirmed it.
///
/// Both share one layout: confirmation u8 (0 the cart's own, 1 confirmed, 2 overread but not
/// confirmed), date of the interpretation (year u16, month u8, day u8), time (hour, minute,
/// second u8), statement count u8, then per statement a sequence number u8, a length u16 and
/// that many bytes. In section 8 the bytes are the text; in section 11 a statement-type byte
/// comes first, then the code and its texts. Texts are NUL-terminated or NUL-separated.
public enum SCPStatements {
    /// The statements of a section 8 or 11 body.
    static func group(_ section: SCPSection) throws(SCPProblem) -> ECGStatementGroup {
        var c = SCPCursor(section.body, section: section.id)
        let confirmationByte = try c.u8("the confirmation byte")
        let confirmation: ECGStatementGroup.Confirmation
        switch confirmationByte {
        case 0: confirmation = .unconfirmed
        case 1: confirmation = .confirmed
        case 2: confirmation = .overread
        default: throw .malformed(section: section.id, "confirmation byte is \(confirmationByte), not 0, 1 or 2")
        }
        _ = try c.take(7, "the interpretation date and time")
        let count = Int(try c.u8("the statement count"))
        var statements: [String] = []
        for i in 0..<count {
            _ = try c.u8("the sequence number of statement \(i + 1)")
            let length = Int(try c.u16("the length of statement \(i + 1)"))
            var value = try c.take(length, "statement \(i + 1)")
            if section.id == 11, !value.isEmpty { value = value.dropFirst() }
            let text = value.split(separator: 0).compactMap { Self.text($0) }.joined(separator: " ")
            if !text.isEmpty { statements.append(text) }
        }
        return ECGStatementGroup(section: section.id, confirmation: confirmation, statements: statements)
    }

    /// A statement text: UTF-8 when it is valid UTF-8, else each byte as ISO 8859-1 (a cart
    /// writing Latin-1 never loses a statement to U+FFFD), trimmed of spaces; nil when empty.
    static func text(_ bytes: ArraySlice<UInt8>) -> String? {
        let s = String(validating: bytes, as: UTF8.self) ?? String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        let trimmed = s.trimmingSpaces
        return trimmed.isEmpty ? nil : trimmed
    }
}
