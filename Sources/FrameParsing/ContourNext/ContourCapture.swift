public import PocGateCore

/// `pocgate replay` of a Contour Next capture: the meter's input reports back to back (64 bytes
/// each, as hidraw returns them), de-framed into the E1381 stream and read by the ASTM
/// receiver exactly as the live session's ASTM session reads it. As the session does, the
/// stream before the first ENQ (the meter's reply to the start EOT: an EOT and a header frame
/// it sends again inside the transfer) is skipped, not read as a frame outside a transfer.
public struct ContourCaptureStream: CaptureStreamDecoder {
    private var astm: ASTMTransfer.CaptureStream
    private var partial: [UInt8] = []
    private var started = false
    /// Stream bytes skipped before the first ENQ (the start exchange).
    public private(set) var startBytesSkipped = 0
    /// Reports whose length byte claimed more than they hold.
    public private(set) var malformedReports = 0

    public init(profileID: String, analytes: AnalyteTable, charset: ASTMCharset = .utf8) {
        astm = ASTMTransfer.CaptureStream(profileID: profileID, analytes: analytes, charset: charset)
        partial.reserveCapacity(ContourReport.size)
    }

    public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
        var stream: [UInt8] = []
        stream.reserveCapacity(bytes.count)
        var i = 0
        // Complete a report begun by the previous piece, then take whole reports in place.
        if !partial.isEmpty {
            let need = ContourReport.size - partial.count
            let take = min(need, bytes.count)
            partial += bytes[0..<take]
            i = take
            if partial.count == ContourReport.size {
                append(ContourReport.payload(of: partial[...]), to: &stream)
                partial.removeAll(keepingCapacity: true)
            }
        }
        while bytes.count - i >= ContourReport.size {
            append(ContourReport.payload(of: bytes[i..<(i + ContourReport.size)]), to: &stream)
            i += ContourReport.size
        }
        if i < bytes.count { partial += bytes[i...] }
        if !started {
            guard let enq = stream.firstIndex(of: ASTMControl.enq.rawValue) else {
                startBytesSkipped += stream.count
                return
            }
            startBytesSkipped += enq
            started = true
            stream.removeFirst(enq)
        }
        if !stream.isEmpty { astm.feed(stream, receivedAt: receivedAt, emit: emit) }
    }

    public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
        if malformedReports > 0 {
            emit(.problem("\(malformedReports) HID report(s) claimed more bytes than a report holds; only what fits was read"))
        }
        var summary = astm.finish(emit: emit)
        summary.counters.malformed += malformedReports
        summary.pendingBytes += partial.count
        return summary
    }

    private mutating func append(_ payload: ContourReport.Payload, to stream: inout [UInt8]) {
        if payload.malformed { malformedReports += 1 }
        stream += payload.bytes
    }
}

extension ContourCaptureStream {
    /// Replays a whole capture of the meter's input reports.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String, analytes: AnalyteTable,
                                     charset: ASTMCharset = .utf8) -> DecodedCapture {
        var stream = ContourCaptureStream(profileID: profileID, analytes: analytes, charset: charset)
        return stream.collect(bytes)
    }
}
