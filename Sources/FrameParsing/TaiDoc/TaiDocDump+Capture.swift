extension TaiDocDump {
    /// Replays a capture of what a TaiDoc meter sent (meter→host frames) into readings.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(TaiDocFrameDecoder(direction: .meterToHost))
        var dump = TaiDocDump()
        stream.append(bytes)
        while let frame = stream.next() {
            switch dump.consume(frame) {
            case let .record(record):
                let model = dump.model.map { "TD-\($0)" } ?? "unknown"
                switch record.reading(profileID: profileID, serial: dump.serial ?? DecodedCapture.unknownSerial, model: model) {
                case let .success(r): out.readings.append(r)
                case let .failure(p): out.problems.append("\(p) [\(Hex.string(record.raw))]")
                }
            case let .recordProblem(p):
                out.problems.append(p.description)
            default:
                break
            }
        }
        out.deviceSerial = dump.serial
        out.deviceModel = dump.model.map { "TD-\($0)" }
        out.deviceClock = dump.clock
        out.counters = stream.counters
        return out
    }
}
