extension GlucoMenAreoDump {
    /// Replays a capture of what a GlucoMen areo sent (the information reply, then the
    /// readings reply) into readings.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(GlucoMenAreoBlockDecoder())
        var dump = GlucoMenAreoDump()
        stream.append(bytes)
        while let block = stream.next() {
            switch dump.consume(block) {
            case .info:
                break
            case let .readings(entries):
                let serial = dump.info?.serial ?? DecodedCapture.unknownSerial
                for entry in entries {
                    switch entry.reading(profileID: profileID, serial: serial) {
                    case let .success(r): out.readings.append(r)
                    case let .failure(p): out.problems.append(p.description)
                    }
                }
            case let .problem(p):
                out.problems.append(p.description)
            }
        }
        out.deviceSerial = dump.info?.serial
        out.deviceModel = model
        out.counters = stream.counters
        out.pendingBytes = stream.pendingCount
        return out
    }
}
