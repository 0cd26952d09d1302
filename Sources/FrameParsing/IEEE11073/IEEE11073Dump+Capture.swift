/// Replays IEEE 11073-20601 captures.
public enum IEEE11073Dump {
    /// Replays a capture of what an agent sent (agent → manager APDUs: association,
    /// configuration, reports, release) through the manager state machine a live session
    /// uses; the answers the manager would send are dropped.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(IEEE11073APDUDecoder())
        var manager = IEEE11073Manager(profileID: profileID)
        stream.append(bytes)
        while let apdu = stream.next() {
            let step = manager.consume(apdu)
            out.readings += step.readings
            for p in step.problems {
                out.problems.append(p.raw.isEmpty ? p.why : "\(p.why) [\(Hex.string(p.raw))]")
            }
        }
        out.deviceSerial = manager.serial
        out.deviceModel = manager.model
        out.counters = stream.counters
        out.pendingBytes = stream.pendingCount
        return out
    }
}
