/// The bounds on capture files the tools decode (`pocgate replay`, `pocgate profile test`,
/// `pocgate profile sketch`). A family that cannot stream (GATT values) is read whole, and a
/// file above `replayBytes` is then refused before it is read, with a message that names the
/// limit; every other family streams, whatever the size. The values are in docs/OPERATIONS.md ("Profile and capture limits").
public enum CaptureFileLimits {
    /// The largest capture `replay` and `profile test` decode: a day of a kiosk's traffic is a
    /// few megabytes, a full meter dump a few kilobytes, a 12-lead ECG record about 120 KiB.
    public static let replayBytes = 64 * 1024 * 1024
    /// The most of a capture `profile sketch` reads: the first bytes the device sent, the rest
    /// left unread. Its frame search holds every candidate frame, so its memory grows with what
    /// it reads (about 85 MB at 1 MiB); 256 KiB is thousands of frames, and a few hundred tell
    /// as much as millions.
    public static let sketchBytes = 256 * 1024
}
