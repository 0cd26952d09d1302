/// Replays what a cart sent in pocgate's framed ECG transfer format (`ecg-waveform`).
public enum ECGTransferDump {
    /// The model written into readings when the frame names none.
    public static let model = "12-lead ECG cart"

    /// The readings of every good frame in `bytes`, in order; frames that pass the CRC but
    /// cannot become an ECG are reported as problems. The capture stream fed once.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID)
        return stream.collect(bytes)
    }
}
