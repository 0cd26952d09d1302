extension LifeScanDump {
    /// Replays a LifeScan conversation capture (both directions, in line order) into readings.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(LifeScanFrameDecoder())
        var dump = LifeScanDump()
        stream.append(bytes)
        while let frame = stream.next() {
            switch dump.consume(frame) {
            case let .record(record):
                let serial = dump.serial ?? DecodedCapture.unknownSerial
                switch record.reading(profileID: profileID, serial: serial, model: record.dialect.modelName) {
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
        out.deviceModel = dump.dialect?.modelName
        out.deviceClock = dump.clock
        out.counters = stream.counters
        out.pendingBytes = stream.pendingCount
        return out
    }
}
