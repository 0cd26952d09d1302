extension FreeStyleDump {
    /// Replays a capture of what a FreeStyle Optium sent into readings.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(FreeStyleLineDecoder())
        var dump = FreeStyleDump()
        stream.append(bytes)
        while let line = stream.next() {
            switch dump.consume(line) {
            case let .dump(serial, _, _, entries):
                for entry in entries {
                    switch entry.reading(profileID: profileID, serial: serial) {
                    case let .success(r): out.readings.append(r)
                    case let .failure(p): out.problems.append(p.description)
                    }
                }
            case let .problem(p):
                out.problems.append(p.description)
            case .none:
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
