public import PocGateCore

/// Replays what a cart sent as SCP-ECG records (`scp-ecg`): one file, or several back to
/// back, possibly with line noise between them.
public enum SCPDump {
    /// The model written into readings when section 1 names none.
    public static let model = "12-lead ECG cart (SCP-ECG)"

    /// The readings of every record in `bytes`; refused records are reported as problems.
    /// The capture stream fed once.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID)
        return stream.collect(bytes)
    }

    /// The readings of one record, or why it was refused. A record whose device field names no
    /// serial is filed under `fallbackSerial` (a live session's port identity).
    public static func readings(_ frame: SCPFrame, profileID: String,
                                fallbackSerial: String = DecodedCapture.unknownSerial) -> Result<([Reading], ECGRecord), SCPProblem> {
        let record: SCPRecord
        do { record = try SCPRecord(frame.bytes) } catch { return .failure(error) }
        switch record.ecgRecord() {
        case let .success(ecg):
            let readings = ecg.readings(profileID: profileID, serial: ecg.deviceSerial ?? fallbackSerial,
                                        model: ecg.deviceModel ?? model, raw: record.patientSectionBytes)
            return .success((readings, ecg))
        case let .failure(p):
            return .failure(p)
        }
    }
}
