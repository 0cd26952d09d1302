import Daemon
/// How long and how much `pocgate capture` records before it ends by itself: a device that
/// never stops talking (an HL7 kiosk sending visits all day) must not fill the disk or keep the
/// tool running for ever. Whichever limit comes first ends the capture; what was recorded up to
/// it is kept.
public struct CaptureLimits: Sendable, Equatable {
    /// The most seconds a capture runs, session and listening together (`--max-seconds`).
    public var maxSeconds: Int
    /// The most bytes recorded from and to the device together (`--max-bytes`): reads stop at
    /// it; a reply the session writes just then may pass it by its own length.
    public var maxBytes: Int
    /// The most readings kept in memory to print at the end; later ones are only counted.
    public var maxReadingsPrinted: Int

    /// 10 minutes, 64 MiB, 10,000 readings.
    public static let standard = CaptureLimits(maxSeconds: 600, maxBytes: 64 << 20, maxReadingsPrinted: 10_000)
    /// The accepted range of `--max-seconds`: 1 s to 24 h.
    public static let secondsRange = 1...86_400
    /// The accepted range of `--max-bytes`: 1 KiB to 1 GiB.
    public static let bytesRange = 1_024...(1 << 30)

    public init(maxSeconds: Int, maxBytes: Int, maxReadingsPrinted: Int = 10_000) {
        self.maxSeconds = maxSeconds
        self.maxBytes = maxBytes
        self.maxReadingsPrinted = maxReadingsPrinted
    }
}

/// What a capture has used of its `CaptureLimits`, and which limit ended it.
package final class CaptureBudget {
    package let limits: CaptureLimits
    private let deadline: ContinuousClock.Instant
    private(set) var bytes = 0
    /// Why the capture stopped early, once a limit is reached.
    private(set) var reached: String?

    package init(_ limits: CaptureLimits) {
        self.limits = limits
        deadline = ContinuousClock.now + .seconds(limits.maxSeconds)
    }

    /// Counts `count` recorded bytes.
    package func add(_ count: Int) {
        bytes += count
        if reached == nil, bytes >= limits.maxBytes {
            reached = "stopped at the capture limit of \(limits.maxBytes) bytes (--max-bytes)"
        }
    }

    /// Whether the capture must end now.
    package var exhausted: Bool {
        if reached == nil, ContinuousClock.now >= deadline {
            reached = "stopped at the capture limit of \(limits.maxSeconds) s (--max-seconds)"
        }
        return reached != nil
    }
}
