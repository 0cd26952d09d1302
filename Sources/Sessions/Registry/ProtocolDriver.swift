public import DeviceProfiles
public import FrameParsing

/// Everything pocgate knows how to do with one protocol family, declared by the family in its
/// own folder (`Families/<name>/…Driver.swift`) and listed once in `ProtocolRegistry`. Nothing
/// outside the registry switches over families: replay, live sessions, bridge probing and
/// profile checks all ask the driver.
public struct ProtocolDriver: Sendable {
    /// The id, line settings, conversation and docs page the profile layer needs.
    public var traits: FamilyTraits
    /// Decodes a capture of what the device sent into readings, through the same decoder and
    /// dump assembly the live session uses (`pocgate replay`, `profile test`).
    public var decodeCapture: @Sendable (ReplayInput, DeviceProfile) -> DecodedCapture
    /// The same decoding as `decodeCapture`, fed piece by piece as the capture is read, so
    /// `pocgate replay` holds neither the capture nor its readings in memory. Nil for a family
    /// without one: replay then reads the whole capture and uses `decodeCapture`.
    public var streamCapture: (@Sendable (DeviceProfile) -> any CaptureStreamDecoder)?
    /// Starts a live session on a link; nil for a replay-only family, and the factory itself
    /// may answer nil for a profile without one (a declarative profile with no script).
    public var makeSession: (@Sendable (SessionContext) -> (any LiveSession)?)?
    /// The read-only identification exchange that tells this family's device behind a shared
    /// USB bridge id; nil when the family has none pocgate may send.
    public var probe: (@Sendable (DeviceProfile) -> IdentificationProbe?)?

    public init(traits: FamilyTraits,
                decodeCapture: @escaping @Sendable (ReplayInput, DeviceProfile) -> DecodedCapture,
                streamCapture: (@Sendable (DeviceProfile) -> any CaptureStreamDecoder)? = nil,
                makeSession: (@Sendable (SessionContext) -> (any LiveSession)?)? = nil,
                probe: (@Sendable (DeviceProfile) -> IdentificationProbe?)? = nil) {
        self.traits = traits
        self.decodeCapture = decodeCapture
        self.streamCapture = streamCapture
        self.makeSession = makeSession
        self.probe = probe
    }

    /// The family's id.
    public var family: ProtocolFamily { traits.family }
}
