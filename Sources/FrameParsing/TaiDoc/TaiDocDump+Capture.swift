extension TaiDocDump {
    /// Replays a capture of what a TaiDoc device sent (meter→host frames) into readings; the
    /// records of a model `models` does not list, or of a type it may not send, are problems.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String, models: TaiDocModels = .glucoseMeters) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(TaiDocFrameDecoder(direction: .meterToHost))
        var dump = TaiDocDump(models: models)
        stream.append(bytes)
        while let frame = stream.next() {
            switch dump.consume(frame) {
            case let .record(record):
                let model = dump.model.map { "TD-\($0)" } ?? "unknown"
                switch record.readings(profileID: profileID, serial: dump.serial ?? DecodedCapture.unknownSerial, model: model) {
                case let .success(r): out.readings += r
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
        out.pendingBytes = stream.pendingCount
        return out
    }
}
