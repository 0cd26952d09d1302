import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// pocgate's framed ECG transfer (constructed format, C): frames built by
/// `ECGTransferFrame.bytes`, CRCs cross-checked with a bitwise CRC-16/CCITT-FALSE.
@Suite struct ECGTransferTests {
    static let twelveLeads = ECGTestSignal.leads()
    static let time = LocalDateTime(year: 2026, month: 3, day: 14, hour: 9, minute: 26, second: 53)
    static let measurementWords: [Int16] = [72, 160, 92, 380, 416, 54, 48, 41]

    static func frame(_ leads: [[Int32]], scales: [UInt32]? = nil, patient: String = "VC-2026-00042",
                      words: [Int16] = measurementWords, time: LocalDateTime = time) -> ECGTransferFrame {
        let codes = ECGLeadCode.standardTwelve
        return ECGTransferFrame(sampleRate: 500, acquired: time, patientID: Array(patient.utf8), serial: Array("ECG1200-0042".utf8),
                                leads: leads.enumerated().map { i, s in
                                    .init(code: codes[i], nanovoltsPerCount: scales?[i] ?? 5000, samples: s.map { Int16($0) })
                                }, measurementWords: words)
    }

    @Test func layoutAndCRC() {
        let bytes = Self.frame(Self.twelveLeads).bytes
        #expect(bytes.count == 22 + 13 + 1 + 12 + 12 + 48 + 2 * 12 * 5000 + 16 + 2)
        #expect(Array(bytes.prefix(4)) == Array("PGEC".utf8))
        #expect(Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 == bytes.count)
        let crc = SCPTestEncoder.crc(bytes.dropLast(2))
        #expect(bytes[bytes.count - 2] == UInt8(crc & 0xFF) && bytes[bytes.count - 1] == UInt8(crc >> 8))
    }

    @Test func twelveLeadsTenSecondsRoundTripBitExact() throws {
        let frames = DecoderVerifier(ECGTransferFrameDecoder()).frames(Self.frame(Self.twelveLeads).bytes)
        #expect(frames.count == 1)
        let record = try #require(try? frames.first?.record().get())
        #expect(record.waveform.leads.map(\.name) == ECGTestSignal.names)
        #expect(record.waveform.leads.map(\.samples) == Self.twelveLeads)
        #expect(record.waveform.factor.description == "5")
        #expect(record.waveform.periodMillis.description == "2")
        #expect(record.patientID == "VC-2026-00042" && record.deviceSerial == "ECG1200-0042")
        #expect(record.acquired == Self.time)
    }

    @Test func sameStreamAsByteByByte() {
        let bytes = Self.frame(Self.twelveLeads).bytes
        let verifier = DecoderVerifier(ECGTransferFrameDecoder())
        #expect(verifier.frames(bytes.map { [$0] }).frames == verifier.frames(bytes))
    }

    @Test func scales() throws {
        let short = Self.twelveLeads.map { Array($0.prefix(10)) }
        let micro = try Self.frame(short, scales: [UInt32](repeating: 2500, count: 12)).record().get()
        #expect(micro.waveform.factor.description == "2.5" && micro.waveform.leads[0].samples == short[0])
        // Leads at 5 µV and 2.5 µV share 2.5 µV: the 5 µV lead's counts double, values unchanged.
        var mixed = [UInt32](repeating: 2500, count: 12)
        mixed[0] = 5000
        let m = try Self.frame(short, scales: mixed).record().get()
        #expect(m.waveform.factor.description == "2.5")
        #expect(m.waveform.leads[0].samples == short[0].map { $0 * 2 })
        #expect(m.waveform.leads[1].samples == short[1])
        #expect(Self.frame(short, scales: [0] + [UInt32](repeating: 1, count: 11)).record() == .failure(.zeroScale(lead: "I")))
        #expect(Self.frame(short, scales: [4_000_000_000] + [UInt32](repeating: 1, count: 11)).record()
                == .failure(.scaleOutOfRange(lead: "I")))
    }

    @Test func measurementsBecomeReadings() {
        let result = ECGTransferDump.decodeCapture(Self.frame(Self.twelveLeads).bytes, profileID: "cart")
        #expect(result.problems.isEmpty)
        let r = result.readings
        #expect(r.map(\.kind) == [.ecgWaveform, .ecgHeartRate, .prInterval, .qrsDuration, .qtInterval, .qtcInterval, .pAxis, .qrsAxis, .tAxis])
        #expect(r.map(\.value.description) == ["12", "72", "160", "92", "380", "416", "54", "48", "41"])
        #expect(r.map(\.unit) == ["uV", "/min", "ms", "ms", "ms", "ms", "deg", "deg", "deg"])
        #expect(r.allSatisfy { $0.patientID == "VC-2026-00042" && $0.deviceTime == Self.time && $0.deviceSerial == "ECG1200-0042" })
        #expect(r[0].code == "11524-6" && r[0].waveform?.leads.count == 12 && r[0].waveform?.samplesPerLead == 5000)
        #expect(r[0].raw == Self.frame(Self.twelveLeads).headerBytes)
        #expect(r[1].recordKey.hasPrefix("ecg|2026-03-14T09:26:53|") && r[1].recordKey.hasSuffix("|ecg-heart-rate|72"))
    }

    @Test func negativeAxesAndNotMeasured() throws {
        let words: [Int16] = [0x7FFF, 0x7FFF, 88, 400, 0x7FFF, 0x7FFF, -45, 170]
        let m = try Self.frame(Self.twelveLeads.map { Array($0.prefix(5)) }, words: words).record().get().measurements
        #expect(m == ECGMeasurements(qrsDuration: 88, qtInterval: 400, qrsAxis: -45, tAxis: 170))
    }

    @Test func recordProblems() {
        let short = Self.twelveLeads.map { Array($0.prefix(5)) }
        #expect(Self.frame(short, time: LocalDateTime(year: 2026, month: 13, day: 1)).record() == .failure(.invalidTime("2026-13-01T00:00:00")))
        var bad = Self.frame(short)
        bad.patientID = [0xFF, 0xFE]
        #expect(bad.record() == .failure(.patientIDNotUTF8))
    }

    @Test func badCRCIsSkippedAndTheNextFrameFound() {
        let short = Self.twelveLeads.map { Array($0.prefix(30)) }
        var damaged = Self.frame(short).bytes
        damaged[100] ^= 0x01
        let good = Self.frame(short, patient: "VC-2026-00043")
        let (frames, counters) = DecoderVerifier(ECGTransferFrameDecoder()).frames([damaged + good.bytes])
        #expect(frames == [good])
        #expect(counters.badChecksums == 1)
    }

    @Test func malformedHeadersAreRejectedEarly() {
        let bytes = Self.frame(Self.twelveLeads.map { Array($0.prefix(3)) }).bytes
        for (offset, value) in [(8, UInt8(2)), (9, 0), (9, 13), (10, 0x07), (12, 0), (21, 65), (4, 0)] {
            var b = bytes
            b[offset] = value
            let (frames, counters) = DecoderVerifier(ECGTransferFrameDecoder()).frames([b])
            #expect(frames.isEmpty && counters.rejectedFrames >= 1, "byte \(offset) = \(value)")
        }
        // The header alone decides: a bad header is refused before its body arrives.
        var b = bytes
        b[9] = 13
        var stream = FrameStream(ECGTransferFrameDecoder())
        stream.append(Array(b.prefix(22)))
        #expect(stream.next() == nil && stream.counters.malformed == 1)
    }

    @Test func randomSplitsGiveTheSameFrames() {
        let frames = (0..<3).map { k in Self.frame(Self.twelveLeads.map { Array($0[(k * 20)..<(k * 20 + 20)]) }, patient: "VC-\(k)").bytes }
        let stream = DecoderVerifier<ECGTransferFrameDecoder>.withGarbage(frames, fraction: 0.1)
        let verifier = DecoderVerifier(ECGTransferFrameDecoder())
        #expect(verifier.frames(stream).count == 3)
        #expect(verifier.splitFailures(stream, randomSplits: 100, maxChunk: 64).isEmpty)
    }

    @Test func garbageKeepsThePendingBufferBounded() {
        #expect(DecoderVerifier(ECGTransferFrameDecoder()).garbageFailures().isEmpty)
    }
}
