extension Ultra2Dump {
    /// Replays a capture of what an Ultra 2 sent (meter→host lines) into readings.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(Ultra2LineDecoder())
        var dump = Ultra2Dump()
        stream.append(bytes)
        while let line = stream.next() {
            switch dump.consume(line) {
            case let .entry(entry):
                switch entry.reading(profileID: profileID, serial: dump.serial ?? DecodedCapture.unknownSerial) {
                case let .success(r): out.readings.append(r)
                case let .failure(p): out.problems.append(p.description)
                }
            case let .problem(p):
                out.problems.append(p.description)
            default:
                break
            }
        }
        out.deviceSerial = dump.serial
        out.deviceModel = model
        out.deviceClock = dump.clock
        out.counters = stream.counters
        out.pendingBytes = stream.pendingCount
        return out
    }
}
