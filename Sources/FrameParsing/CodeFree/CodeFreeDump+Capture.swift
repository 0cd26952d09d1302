extension CodeFreeDump {
    /// Replays a capture of what a CodeFree meter sent into readings. The protocol carries no
    /// serial, so readings name the device `unknown`.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(CodeFreeFrameDecoder(direction: .meterToHost))
        var dump = CodeFreeDump()
        stream.append(bytes)
        while let frame = stream.next() {
            switch dump.consume(frame) {
            case let .entry(entry):
                switch entry.reading(profileID: profileID, serial: DecodedCapture.unknownSerial) {
                case let .success(r): out.readings.append(r)
                case let .failure(p): out.problems.append(p.description)
                }
            case let .problem(p):
                out.problems.append(p.description)
            case .challenge, .recordCount, .disconnected:
                break
            }
        }
        out.deviceModel = model
        out.counters = stream.counters
        out.pendingBytes = stream.pendingCount
        return out
    }
}
