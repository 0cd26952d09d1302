/// The bounds on capture files the tools decode (`pocgate replay`, `pocgate profile test`,
/// `pocgate profile sketch`): a file above them is refused before it is read, with a message
/// that names the limit. The values are in docs/OPERATIONS.md ("Profile and capture limits").
public enum CaptureFileLimits {
    /// The largest capture `replay` and `profile test` decode: a day of a kiosk's traffic is a
    /// few megabytes, a full meter dump a few kilobytes, a 12-lead ECG record about 120 KiB.
    public static let replayBytes = 64 * 1024 * 1024
    /// The largest capture `profile sketch` reads: its checksum search tries every family over
    /// every frame, and a few hundred frames tell as much as millions.
    public static let sketchBytes = 4 * 1024 * 1024
}
