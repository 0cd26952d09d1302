import FrameParsing
import PocGateCore

/// libFuzzer target for `ECGTransferFrameDecoder` (pocgate's framed ECG transfer): the generic
/// stream and decoder invariants, then the format's own: every frame re-encodes to exactly
/// the bytes it was decoded from (header, samples, measurements, CRC), all leads have the
/// header's sample count, and turning it into an ECG record and readings never traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let frames = DecoderInvariants.check(ECGTransferFrameDecoder(), input, fastPathIsComplete: true)
    for frame in frames {
        let bytes = frame.bytes
        var again = FrameStream(ECGTransferFrameDecoder())
        again.append(bytes)
        DecoderInvariants.expect(again.next() == frame && again.pendingCount == 0,
                                 "frame does not re-encode to itself (\(bytes.count) bytes)")
        let counts = Set(frame.leads.map(\.samples.count))
        DecoderInvariants.expect(counts.count == 1 && frame.leads.count <= 12, "leads disagree on their sample count")
        if case let .success(record) = frame.record() {
            let readings = record.readings(profileID: "fuzz", serial: "unknown", model: "fuzz", raw: frame.headerBytes)
            DecoderInvariants.expect(readings.first?.waveform?.leads.count == frame.leads.count, "waveform lost a lead")
        }
    }
    return 0
}

/// Seeds: small frames (1 and 12 leads, a few samples), a noisy stream with a damaged CRC,
/// and a frame with mixed scales and an invalid time.
func fuzzSeeds() -> [[UInt8]] {
    let time = LocalDateTime(year: 2026, month: 3, day: 14, hour: 9, minute: 26, second: 53)
    func frame(leads: Int, samples: Int, scale: (Int) -> UInt32 = { _ in 5000 }, time: LocalDateTime = time) -> [UInt8] {
        let codes: [UInt8] = [1, 2, 61, 62, 63, 64, 3, 4, 5, 6, 7, 8]
        return ECGTransferFrame(sampleRate: 500, acquired: time, patientID: Array("VC-1".utf8), serial: Array("S1".utf8),
                                leads: (0..<leads).map { l in
                                    .init(code: codes[l], nanovoltsPerCount: scale(l), samples: (0..<samples).map { Int16(($0 * 37 + l * 11) % 300 - 150) })
                                }, measurementWords: [72, 160, 92, 380, 416, 54, -30, 0x7FFF]).bytes
    }
    let one = frame(leads: 1, samples: 8)
    let twelve = frame(leads: 12, samples: 6)
    var damaged = twelve
    damaged[40] ^= 0x20
    let odd = frame(leads: 3, samples: 4, scale: { UInt32(2500 * ($0 + 1)) }, time: LocalDateTime(year: 2026, month: 2, day: 30))
    let noisy: [UInt8] = [0x50, 0x47, 0x00, 0x50] + damaged + one + [0x50, 0x47, 0x45, 0x43, 0x01] + twelve
    return [FuzzInput.seed(one), FuzzInput.seed(twelve), FuzzInput.seed(noisy), FuzzInput.seed(odd + one)]
}
