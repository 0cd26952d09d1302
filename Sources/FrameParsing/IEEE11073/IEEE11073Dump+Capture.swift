/// Replays IEEE 11073-20601 captures.
public enum IEEE11073Dump {
    /// Replays a capture of what an agent sent (agent → manager APDUs: association,
    /// configuration, reports, release) through the manager state machine a live session
    /// uses; the answers the manager would send are dropped.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID)
        return stream.collect(bytes)
    }
}
