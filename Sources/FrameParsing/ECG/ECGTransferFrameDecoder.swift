import PocGateCore

/// Finds `ECGTransferFrame`s in a byte stream: resynchronises on the next `P` after garbage,
/// checks every header field before waiting for the (up to 240 KB) body, so a false start is
/// rejected as soon as its header is in, and checks the CRC once the whole frame is there.
/// While a frame is incomplete each call costs a few comparisons, not a CRC pass.
public struct ECGTransferFrameDecoder: FrameDecoder, Sendable {
    public init() {}

    public var maximumFrameLength: Int { ECGTransferFrame.maximumLength }

    /// The run of frames at the start of `bytes`: `decode` in a loop that stops at the first
    /// answer other than a frame.
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (ECGTransferFrame) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, body)
    }

    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<ECGTransferFrame> {
        let magic = ECGTransferFrame.magic
        guard let first = b.first else { return .needMore }
        guard first == magic[0] else {
            var n = 1
            while n < b.count && b[n] != magic[0] { n += 1 }
            return .skip(count: n, because: .garbage)
        }
        for i in 1..<min(4, b.count) where b[i] != magic[i] {
            return .skip(count: 1, because: .garbage)
        }
        let fixed = ECGTransferFrame.fixedHeaderLength
        guard b.count >= fixed else { return .needMore }
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        let declared = u16(4) | u16(6) << 16
        guard b[8] == ECGTransferFrame.version else { return .skip(count: 1, because: .malformed("format version is not 1")) }
        let leads = Int(b[9])
        guard leads >= 1 && leads <= ECGTransferFrame.maximumLeads else {
            return .skip(count: 1, because: .malformed("lead count outside 1...12"))
        }
        let rate = u16(10)
        guard ECGTransferFrame.isSupportedRate(rate) else {
            return .skip(count: 1, because: .malformed("sample rate is not a whole number of microseconds"))
        }
        let samples = u16(12)
        guard samples >= 1 && samples <= ECGTransferFrame.maximumSamplesPerLead else {
            return .skip(count: 1, because: .malformed("samples per lead outside 1...10000"))
        }
        let patientLength = Int(b[21])
        guard patientLength <= ECGTransferFrame.maximumPatientIDLength else {
            return .skip(count: 1, because: .malformed("patient ID longer than 64 bytes"))
        }
        guard declared <= ECGTransferFrame.maximumLength else { return .skip(count: 1, because: .oversized) }
        let serialAt = fixed + patientLength
        guard b.count > serialAt else { return .needMore }
        let serialLength = Int(b[serialAt])
        guard serialLength <= ECGTransferFrame.maximumSerialLength else {
            return .skip(count: 1, because: .malformed("serial longer than 32 bytes"))
        }
        let total = ECGTransferFrame.length(leads: leads, samplesPerLead: samples, patientIDLength: patientLength, serialLength: serialLength)
        guard declared == total else { return .skip(count: 1, because: .malformed("frame length does not match the header's counts")) }
        guard b.count >= total else { return .needMore }
        let crc = CCITTFalse.checksum(UnsafeRawBufferPointer(rebasing: b[0..<(total - 2)]))
        let carried = UInt16(b[total - 2]) | UInt16(b[total - 1]) << 8
        guard crc == carried else { return .skip(count: 1, because: .badChecksum(expected: UInt32(crc), actual: UInt32(carried))) }
        return .frame(Self.parse(b, leads: leads, samples: samples, patientLength: patientLength, serialLength: serialLength, rate: rate),
                      consumed: total)
    }

    /// The fields of a frame whose header and CRC are already checked.
    static func parse(_ b: UnsafeRawBufferPointer, leads: Int, samples: Int, patientLength: Int, serialLength: Int, rate: Int) -> ECGTransferFrame {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        let time = LocalDateTime(year: u16(14), month: Int(b[16]), day: Int(b[17]), hour: Int(b[18]), minute: Int(b[19]), second: Int(b[20]))
        var at = ECGTransferFrame.fixedHeaderLength
        let patient = Array(b[at..<(at + patientLength)])
        at += patientLength + 1
        let serial = Array(b[at..<(at + serialLength)])
        at += serialLength
        let codes = Array(b[at..<(at + leads)])
        at += leads
        var scales: [UInt32] = []
        for _ in 0..<leads {
            scales.append(UInt32(u16(at)) | UInt32(u16(at + 2)) << 16)
            at += 4
        }
        var out: [ECGTransferFrame.Lead] = []
        out.reserveCapacity(leads)
        for lead in 0..<leads {
            let values = [Int16](unsafeUninitializedCapacity: samples) { buffer, count in
                for i in 0..<samples {
                    buffer[i] = Int16(bitPattern: UInt16(b[at + 2 * i]) | UInt16(b[at + 2 * i + 1]) << 8)
                }
                count = samples
            }
            at += 2 * samples
            out.append(ECGTransferFrame.Lead(code: codes[lead], nanovoltsPerCount: scales[lead], samples: values))
        }
        var words: [Int16] = []
        for i in 0..<8 { words.append(Int16(bitPattern: UInt16(u16(at + 2 * i)))) }
        return ECGTransferFrame(sampleRate: rate, acquired: time, patientID: patient, serial: serial, leads: out, measurementWords: words)
    }
}
