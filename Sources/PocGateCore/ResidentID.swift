/// A Chinese resident identity number (GB 11643-1999, 居民身份证号码): 6-digit address code,
/// 8-digit birth date (YYYYMMDD), 3-digit sequence, and a check character computed with
/// ISO 7064 MOD 11-2 (`0`…`9` or `X`).
///
/// Used for every patient identifier pocgate sends: a number that fails these checks is never
/// uploaded (the reading is held with `held_reason` `invalid-patient-id`), because an upload
/// under a mistyped number files the measurement in another person's record, or in none.
public enum ResidentID {
    /// Why a text is not a valid resident identity number; the description says what to check
    /// without repeating the number.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not 18 characters.
        case wrongLength(Int)
        /// A character other than a digit among the first 17, or a last character other than a digit or X.
        case badCharacter(position: Int)
        /// The birth date (characters 7–14) is not a calendar date.
        case impossibleBirthDate
        /// The birth date is before 1900 or after today.
        case implausibleBirthDate
        /// The check character does not match the other 17 (a typing error).
        case checkCharacterMismatch

        public var description: String {
            switch self {
            case .wrongLength(let n): return "a resident ID has 18 characters, this one has \(n)"
            case .badCharacter(let p): return "character \(p) is not a digit (only the last may be X)"
            case .impossibleBirthDate: return "characters 7–14 are not a calendar date (YYYYMMDD)"
            case .implausibleBirthDate: return "the birth date (characters 7–14) is before 1900 or in the future"
            case .checkCharacterMismatch: return "the check character (the 18th) does not match: a digit was mistyped"
            }
        }
    }

    /// The weights of ISO 7064 MOD 11-2 for the first 17 characters (2^(17−i) mod 11).
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// The check character for each remainder of the weighted sum mod 11.
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The earliest birth year accepted.
    public static let earliestBirthYear = 1900

    /// The check character for the first 17 digits of a number.
    public static func checkCharacter(forFirst17 digits: [Int]) -> Character {
        precondition(digits.count == 17, "17 digits")
        var sum = 0
        for (d, w) in zip(digits, weights) { sum += d * w }
        return checkCharacters[sum % 11]
    }

    /// Checks `text` (a lower-case `x` counts as `X`); `today` bounds the birth date.
    /// - Returns: nil when the number is valid, else the first problem found.
    public static func problem(in text: String, today: LocalDateTime) -> Problem? {
        let chars = Array(text.uppercased())
        guard chars.count == 18 else { return .wrongLength(chars.count) }
        var digits: [Int] = []
        for (i, ch) in chars.prefix(17).enumerated() {
            guard let d = ch.wholeNumberValue, ch.isASCII else { return .badCharacter(position: i + 1) }
            digits.append(d)
        }
        guard chars[17].isASCII, chars[17].isNumber || chars[17] == "X" else { return .badCharacter(position: 18) }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digits[$1] } }
        let birth = LocalDateTime(year: number(6..<10), month: number(10..<12), day: number(12..<14))
        guard birth.isValid else { return .impossibleBirthDate }
        let todayDate = LocalDateTime(year: today.year, month: today.month, day: today.day)
        guard birth.year >= earliestBirthYear, birth <= todayDate else { return .implausibleBirthDate }
        guard checkCharacter(forFirst17: digits) == chars[17] else { return .checkCharacterMismatch }
        return nil
    }

    /// Whether `text` is a valid resident identity number on `today`.
    public static func isValid(_ text: String, today: LocalDateTime) -> Bool {
        problem(in: text, today: today) == nil
    }

    /// The number with the lower-case `x` written as `X` (the form stored and sent).
    public static func normalized(_ text: String) -> String { text.uppercased() }

    /// The masked form shown in status output and logs: first 4 and last 2 characters kept,
    /// `1101************14`; anything under 10 characters masked entirely.
    public static func masked(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count >= 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(4)) + String(repeating: "*", count: chars.count - 6) + String(chars.suffix(2))
    }
}
