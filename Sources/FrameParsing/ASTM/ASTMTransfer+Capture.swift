public import PocGateCore

extension ASTMTransfer {
    /// Replays a capture of what an ASTM device sent (ENQ, frames, EOT) into readings, through
    /// the receiver a live session runs. A frame the decoder rejects is what the session would
    /// NAK; the device's retransmission that follows is taken in its place.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String, analytes: AnalyteTable,
                                     charset: ASTMCharset = .utf8) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID, analytes: analytes, charset: charset)
        return stream.collect(bytes)
    }
}
