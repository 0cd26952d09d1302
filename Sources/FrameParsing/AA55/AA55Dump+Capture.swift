public import PocGateCore

extension AA55Dump {
    /// Replays what a kiosk's measurement board sent (kiosk→host frames) into readings. The
    /// frames carry no time, so each reading is stamped with the time its bytes were received:
    /// `chunks` are the reads in order, each with its receive time (a two-way capture's record
    /// times); a frame gets the time of the read that completed it.
    public static func decodeCapture(_ chunks: [(receivedAt: LocalDateTime, bytes: [UInt8])], profileID: String) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(AA55FrameDecoder())
        var dump = AA55Dump(profileID: profileID)
        for chunk in chunks {
            stream.append(chunk.bytes)
            while let frame = stream.next() {
                dump.consume(frame, receivedAt: chunk.receivedAt, reading: { out.readings.append($0) },
                             problem: { out.problems.append($0.description) })
            }
        }
        out.deviceModel = model
        out.counters = stream.counters
        out.pendingBytes = stream.pendingCount
        return out
    }

    /// Replays `bytes` received at one time, `receivedAt` (a plain capture holds no receive
    /// times: the caller says when it was made).
    public static func decodeCapture(_ bytes: [UInt8], profileID: String, receivedAt: LocalDateTime) -> DecodedCapture {
        decodeCapture([(receivedAt, bytes)], profileID: profileID)
    }
}
