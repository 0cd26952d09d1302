/// The bounds on one profile file: a technician's profile, a careless copy or a hostile file in
/// a watched directory costs bounded memory and time, and every bound broken is an error at the
/// place that breaks it. The values are in docs/OPERATIONS.md ("Profile and capture limits");
/// the largest shipped profile uses a small fraction of each.
public enum ProfileLimits {
    /// The largest profile file read, checked with `fstat` before any byte is read.
    public static let fileBytes = 256 * 1024
    /// Record types in `records`.
    public static let records = 256
    /// Fields in one record type.
    public static let fieldsPerRecord = 64
    /// Entries under `readings`.
    public static let readings = 256
    /// Commands under `commands`.
    public static let commands = 64
    /// Commands whose bytes hold the loop index (`i.lo`, `i.hi`): each may send up to 65,536
    /// different frames, and every one is checked against the writes (`profile validate`).
    public static let indexedCommands = 8
    /// Steps in `session.script`, counting the steps inside every `for_each`.
    public static let scriptSteps = 128
    /// How deep `for_each` loops nest.
    public static let scriptDepth = 4
    /// Named values (`values:`) of one field.
    public static let valueNames = 256
    /// The longest value or name quoted back in a message; longer ones are cut with "…" and their length in bytes.
    public static let quotedText = 80

    /// `text` cut to `limit` characters (`quotedText` unless given), for a message.
    public static func quoted(_ text: some StringProtocol, limit: Int = quotedText) -> String {
        text.count <= limit ? String(text) : String(text.prefix(limit)) + "… (\(text.utf8.count) bytes)"
    }

    /// `names` joined for a message, at most ten of them, then how many more.
    public static func list(_ names: [String]) -> String {
        let shown = names.prefix(10).map { quoted($0) }.joined(separator: ", ")
        return names.count > 10 ? "\(shown) and \(names.count - 10) more" : shown
    }
}
