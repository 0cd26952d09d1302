/// Resident identity numbers in tests: a valid-looking one (GB 11643 check digit) to put on
/// the reading path, the form logs must show, and a scan for any that escaped masking.
public enum ResidentIDs {
    /// A constructed number (born 1900, check digit 4).
    public static let sample = "110101190001010014"
    /// `sample` as every log must show it: first 4 and last 2 kept.
    public static let masked = "1101************14"

    /// Every `[0-9]{17}[0-9Xx]` in `text`. Meter serials (16 hex digits) never match.
    public static func unmasked(in text: String) -> [String] {
        text.matches(of: /[0-9]{17}[0-9Xx]/).map { String($0.output) }
    }
}
