import Foundation
import Testing
import FrameParsing
import PocGateCore

/// The shipped ECG captures are exactly what the test encoders write for the synthetic
/// 12-lead signal, so anyone can regenerate them: run this suite with
/// `POCGATE_WRITE_ECG_CAPTURES=1` and the files are rewritten in place.
@Suite struct ECGCaptureTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let scpCapture = repo + "/DeviceProfiles/generic/ecg-12-lead-cart/captures/resting-12-lead.bin"
    static let transferCapture = repo + "/DeviceProfiles/generic/ecg-pgec-transfer/captures/resting-12-lead.bin"

    /// One SCP-ECG record (default Huffman table, second differences) and, after a burst of
    /// line noise, the same cart's next ECG of another patient 14 minutes later.
    static var scpBytes: [UInt8] {
        let first = SCPTestEncoder(samples: ECGTestSignal.leads())
        var second = SCPTestEncoder(samples: ECGTestSignal.leads(count: 5000, seed: 0x0BAD_CAFE))
        second.patientID = "VC-2026-00043"
        second.time = (9, 40, 12)
        second.measurements = .init(pOnset: 96, pOffset: 200, qrsOnset: 250, qrsOffset: 346, tOffset: 642,
                                    pAxis: 60, qrsAxis: -12, tAxis: 35, ventricularRate: 71, qtc: 420)
        return first.bytes + [0x00, 0xFF, 0x00, 0x53, 0x43] + second.bytes
    }

    static var transferBytes: [UInt8] {
        ECGTransferTests.frame(ECGTestSignal.leads()).bytes
    }

    @Test(arguments: [(scpCapture, 0), (transferCapture, 1)])
    func shippedCaptureIsTheEncodersOutput(_ path: String, _ which: Int) throws {
        let expected = which == 0 ? Self.scpBytes : Self.transferBytes
        if ProcessInfo.processInfo.environment["POCGATE_WRITE_ECG_CAPTURES"] == "1" {
            try Data(expected).write(to: URL(fileURLWithPath: path))
        }
        let shipped = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(shipped == expected)
        #expect(shipped.count < 300_000)
    }
}
