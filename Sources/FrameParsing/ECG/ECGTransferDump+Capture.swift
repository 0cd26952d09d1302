/// Replays what a cart sent in pocgate's framed ECG transfer format (`ecg-waveform`).
public enum ECGTransferDump {
    /// The model written into readings when the frame names none.
    public static let model = "12-lead ECG cart"

    /// The readings of every good frame in `bytes`, in order; frames that pass the CRC but
    /// cannot become an ECG are reported as problems.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(ECGTransferFrameDecoder())
        stream.append(bytes)
        while let frame = stream.next() {
            switch frame.record() {
            case let .success(record):
                let serial = record.deviceSerial ?? DecodedCapture.unknownSerial
                out.deviceSerial = record.deviceSerial ?? out.deviceSerial
                out.readings += record.readings(profileID: profileID, serial: serial, model: model, raw: frame.headerBytes)
            case let .failure(problem):
                out.problems.append(problem.description)
            }
        }
        out.deviceModel = model
        out.counters = stream.counters
        out.pendingBytes = stream.pendingCount
        return out
    }
}
