public import PocGateCore

/// `pocgate replay` for HL7 v2 over MLLP: the bytes a device sent, through the same MLLP
/// decoder and ORU interpretation the live session uses. MLLP release 2 commit blocks
/// (`0x06`/`0x15` alone) are not messages and are passed over.
public enum HL7Capture {
    /// Replays `bytes` into readings; rejected messages and unusable results are problems.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String, analytes: AnalyteTable = .empty) -> DecodedCapture {
        var stream = Stream(profileID: profileID, analytes: analytes)
        return stream.collect(bytes)
    }
}
