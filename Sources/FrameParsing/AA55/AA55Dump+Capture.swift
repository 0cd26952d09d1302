public import PocGateCore

extension AA55Dump {
    /// Replays what a kiosk's measurement board sent (kiosk→host frames) into readings. The
    /// frames carry no time, so each reading is stamped with the time its bytes were received:
    /// `chunks` are the reads in order, each with its receive time (a two-way capture's record
    /// times); a frame gets the time of the read that completed it.
    public static func decodeCapture(_ chunks: [(receivedAt: LocalDateTime, bytes: [UInt8])], profileID: String) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID)
        var out = DecodedCapture()
        let take: (CaptureEvent) -> Void = { event in
            switch event {
            case let .reading(r): out.readings.append(r)
            case let .problem(p): out.problems.append(p)
            }
        }
        for chunk in chunks { stream.feed(chunk.bytes, receivedAt: chunk.receivedAt, emit: take) }
        let summary = stream.finish(emit: take)
        out.deviceModel = summary.deviceModel
        out.counters = summary.counters
        out.pendingBytes = summary.pendingBytes
        return out
    }

    /// Replays `bytes` received at one time, `receivedAt` (a plain capture holds no receive
    /// times: the caller says when it was made).
    public static func decodeCapture(_ bytes: [UInt8], profileID: String, receivedAt: LocalDateTime) -> DecodedCapture {
        decodeCapture([(receivedAt, bytes)], profileID: profileID)
    }
}
