public import PocGateCore

/// `pocgate replay` for HL7 v2 over MLLP: the bytes a device sent, through the same MLLP
/// decoder and ORU interpretation the live session uses. MLLP release 2 commit blocks
/// (`0x06`/`0x15` alone) are not messages and are passed over.
public enum HL7Capture {
    /// Replays `bytes` into readings; rejected messages and unusable results are problems.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String, analytes: AnalyteTable = .empty) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(MLLPFrameDecoder())
        stream.append(bytes)
        var index = 0
        while let block = stream.next() {
            if block.isCommitAcknowledgement { continue }
            index += 1
            switch HL7ORU.interpret(payload: block.payload, profileID: profileID, analytes: analytes) {
            case let .failure(rejection):
                out.problems.append("message \(index): \(rejection)")
            case let .success((_, oru)):
                out.readings += oru.readings
                out.problems += oru.problems.map { "message \(index): \($0)" }
                out.problems += oru.identityProblems.map { "message \(index): \($0)" }
                out.deviceSerial = oru.deviceSerial
                out.deviceModel = oru.deviceModel
            }
        }
        out.counters = stream.counters
        out.pendingBytes = stream.pendingCount
        return out
    }
}
