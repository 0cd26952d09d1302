/// What an emulated meter has seen since it was created.
public struct EmulatorCounters: Sendable, Hashable {
    /// Valid host frames the meter answered.
    public var framesAnswered = 0
    /// Candidate frames (starting with 0x51) dropped for a wrong direction byte or checksum.
    public var badFramesIgnored = 0
    /// Bytes skipped while scanning for the next 0x51, bad frames' start bytes included.
    public var garbageBytesSkipped = 0
    /// Valid frames left unanswered: unknown command, record index out of range, or a reply
    /// that could not be written because nobody read the line.
    public var unansweredFrames = 0
    /// Frames that would have changed the meter (0x52 clear memory, 0x33 set clock). A correct
    /// host never sends them; the meter never honours them.
    public var violations = 0

    /// All counters at zero.
    public init() {}
}
