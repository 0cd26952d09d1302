public import PocGateCore

extension AA55Dump {
    /// The time stamp replay gives every reading: the frames carry none, and a raw capture
    /// records no receive times. Fixed so that replay output is reproducible.
    public static let replayTime = LocalDateTime(year: 2000, month: 1, day: 1)

    /// Replays a capture of what a kiosk's measurement board sent (kiosk→host frames) into
    /// readings, each stamped `receivedAt` (by default `replayTime`).
    public static func decodeCapture(_ bytes: [UInt8], profileID: String, receivedAt: LocalDateTime = replayTime) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(AA55FrameDecoder())
        var dump = AA55Dump(profileID: profileID)
        stream.append(bytes)
        while let frame = stream.next() {
            let o = dump.consume(frame, receivedAt: receivedAt)
            out.readings += o.readings
            out.problems += o.problems.map(\.description)
        }
        out.deviceModel = model
        out.counters = stream.counters
        return out
    }
}
