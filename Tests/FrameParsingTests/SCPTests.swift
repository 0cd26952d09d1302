import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// SCP-ECG records. The minimal vector below was assembled by hand (python3, `binascii.crc_hqx`
/// for the CRCs) from the standard's layout (C); its lead data are the standard's own Huffman
/// example (prEN 1064 annex, as quoted by pixelmed's HuffmanDecoder test: default table,
/// second differences, with the example's known misprint F5 → F1 and a final 00 byte).
/// Everything else is written by `SCPTestEncoder`, independent of the decoder.
@Suite struct SCPTests {
    static let minimal = Hex.parse("""
        6079C200000048FF000042000000141453435045434700004200000007000000010026000000490000000200120000006F00000003001B00\
        0000810000000600270000009C000000A0DA0100260000001414000000000000020300503100190400E807060F1A0300081E05FF0000A356\
        02001200000014140000000000001F4E70CE03001B0000001414000000000000010C010000001C0000000201C80600270000001414000000\
        000000E803D00702000F00FF837FE0E6F1536559B65B964B9600
        """)!
    static let standardExample: [Int32] = [13, 14, 15, 14, 16, 18, 19, 20, 22, 22, 23, 23, 23, 22, 22, 20, 17, 15, 12, 8, 6, 3, 1, 0,
                                           -2, -2, -3, -3]

    static let twelveLeads = ECGTestSignal.leads()

    @Test func minimalVectorDecodes() throws {
        #expect(Self.minimal.count == 194)
        let record = try SCPRecord(Self.minimal)
        #expect(record.pointerList.map(\.id) == [0, 1, 2, 3, 6])
        #expect(record.patient.patientID == "P1")
        #expect(record.huffmanTables == [SCPHuffmanTable.default])
        #expect(record.leads.leads.map(\.name) == ["II"])
        #expect(record.rhythm.differenceMode == 2 && record.rhythm.amplitudeMultiplier == 1000 && !record.rhythm.bimodal)
        #expect(record.rhythm.samples == [Self.standardExample])
        let ecg = try record.ecgRecord().get()
        #expect(ecg.acquired == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30, second: 5))
        #expect(ecg.waveform.factor.description == "1" && ecg.waveform.periodMillis.description == "2")
        #expect(ecg.measurements == ECGMeasurements())
    }

    @Test func twelveLeadsTenSecondsRoundTripBitExact() throws {
        let encoder = SCPTestEncoder(samples: Self.twelveLeads)
        let bytes = encoder.bytes
        #expect(bytes.count < 300_000)
        let record = try SCPRecord(bytes)
        #expect(record.rhythm.samples == Self.twelveLeads)
        let ecg = try record.ecgRecord().get()
        #expect(ecg.waveform.leads.map(\.name) == ECGTestSignal.names)
        #expect(ecg.waveform.leads.allSatisfy { $0.samples.count == 5000 })
        #expect(ecg.waveform.leads.map(\.samples) == Self.twelveLeads)
        #expect(ecg.waveform.factor.description == "5")
        #expect(ecg.waveform.periodMillis.description == "2")
        #expect(ecg.waveform.unit == "uV")
        #expect(ecg.patientID == "VC-2026-00042")
        #expect(ecg.deviceSerial == "ECG1200-0042" && ecg.deviceModel == "PGC12")
        #expect(ecg.acquired == LocalDateTime(year: 2026, month: 3, day: 14, hour: 9, minute: 26, second: 53))
    }

    @Test(arguments: [0, 1, 2])
    func everyDifferenceModeAndCompression(_ difference: Int) throws {
        let leads = Self.twelveLeads.map { Array($0.prefix(600)) }
        for compression in [SCPTestEncoder.Compression.none, .defaultTable, .customCopyOfDefault, .switchingTables] {
            var encoder = SCPTestEncoder(samples: leads)
            encoder.difference = difference
            encoder.compression = compression
            let record = try SCPRecord(encoder.bytes)
            #expect(record.rhythm.samples == leads, "difference \(difference), \(compression)")
        }
    }

    @Test func extremeValuesUseTheEscapes() throws {
        let lead: [Int32] = [0, 8, -8, 9, -9, 127, -128, 128, -129, 32767, -32768, 0, 5, -5, 300, -300]
        for difference in [0, 1, 2] {
            var encoder = SCPTestEncoder(samples: [lead])
            encoder.leadCodes = [2]
            encoder.difference = difference
            // Second differences of this lead exceed 16 bits, which SCP cannot carry; keep to modes that fit.
            let diffs = encoder.differences(of: lead)
            guard diffs.allSatisfy({ $0 >= -32768 && $0 <= 32767 }) else { continue }
            #expect(try SCPRecord(encoder.bytes).rhythm.samples == [lead])
        }
    }

    @Test func scaleAndIntervalBecomeExactDecimals() throws {
        var encoder = SCPTestEncoder(samples: [Array(Self.twelveLeads[1].prefix(100))])
        encoder.leadCodes = [2]
        encoder.amplitudeMultiplier = 2500
        encoder.intervalMicros = 1000
        let ecg = try SCPRecord(encoder.bytes).ecgRecord().get()
        #expect(ecg.waveform.factor.description == "2.5")
        #expect(ecg.waveform.periodMillis.description == "1")
        encoder.amplitudeMultiplier = 4880
        encoder.intervalMicros = 4000
        let other = try SCPRecord(encoder.bytes).ecgRecord().get()
        #expect(other.waveform.factor.description == "4.88")
        #expect(other.waveform.periodMillis.description == "4")
    }

    @Test func measurementsBecomeReadings() throws {
        let frame = SCPFrame(bytes: SCPTestEncoder(samples: Self.twelveLeads).bytes)
        let (readings, _) = try SCPDump.readings(frame, profileID: "cart").get()
        #expect(readings.map(\.kind) == [.ecgWaveform, .ecgHeartRate, .prInterval, .qrsDuration, .qtInterval, .qtcInterval,
                                         .pAxis, .qrsAxis, .tAxis])
        #expect(readings.map(\.value.description) == ["12", "72", "160", "92", "380", "416", "54", "48", "41"])
        #expect(readings.map(\.unit) == ["uV", "/min", "ms", "ms", "ms", "ms", "deg", "deg", "deg"])
        #expect(readings.map(\.code) == ["11524-6", "8867-4", "8625-6", "8633-0", "8634-8", "8636-3", "8626-4", "8632-2", "8638-9"])
        #expect(readings.allSatisfy { $0.patientID == "VC-2026-00042" && $0.deviceSerial == "ECG1200-0042" })
        #expect(readings.allSatisfy { $0.deviceTime == LocalDateTime(year: 2026, month: 3, day: 14, hour: 9, minute: 26, second: 53) })
        #expect(readings[0].waveform?.samplesPerLead == 5000)
        #expect(readings.dropFirst().allSatisfy { $0.waveform == nil })
        #expect(Set(readings.map(\.recordKey)).count == readings.count)
        #expect(readings[0].recordKey.hasSuffix("|ecg-waveform|" + readings[0].waveform!.digest))
        #expect(!readings[0].recordKey.contains("VC-2026"))
    }

    @Test func missingMeasurementMarkersAreLeftOut() throws {
        var encoder = SCPTestEncoder(samples: [Array(Self.twelveLeads[1].prefix(50))])
        encoder.leadCodes = [2]
        encoder.measurements = .init(pOnset: 29999, pOffset: 29999, qrsOnset: 260, qrsOffset: 352, tOffset: 19999,
                                     pAxis: 999, qrsAxis: -30, tAxis: 999, ventricularRate: 0, qtc: 29999)
        let m = try SCPRecord(encoder.bytes).ecgRecord().get().measurements
        #expect(m == ECGMeasurements(qrsDuration: 92, qrsAxis: -30))
        encoder.measurements = nil
        let none = try SCPRecord(encoder.bytes).ecgRecord().get()
        #expect(none.readings(profileID: "p", serial: "s", model: "m", raw: []).map(\.kind) == [.ecgWaveform])
    }

    // MARK: refusals

    static let small: SCPTestEncoder = {
        var e = SCPTestEncoder(samples: SCPTests.twelveLeads.map { Array($0.prefix(40)) })
        e.measurements = .init()
        return e
    }()

    static func problem(_ bytes: [UInt8]) -> SCPProblem? {
        do { _ = try SCPRecord(bytes); return nil } catch { return error }
    }

    @Test func badRecordCRC() {
        var bytes = Self.small.bytes
        bytes[bytes.count - 1] ^= 0x01
        guard case .recordCRC? = Self.problem(bytes) else { Issue.record("expected a record CRC problem"); return }
    }

    @Test func badSectionCRC() {
        let (bytes, sections) = Self.small.build()
        var damaged = bytes
        damaged[sections[6]!.offset + 20] ^= 0x40
        let problem = Self.problem(SCPTestEncoder.seal(damaged))
        #expect(problem == .sectionCRC(id: 6, computed: SCPTestEncoder.crc(damaged[(sections[6]!.offset + 2)..<(sections[6]!.offset + sections[6]!.length)]),
                                        carried: UInt16(damaged[sections[6]!.offset]) | UInt16(damaged[sections[6]!.offset + 1]) << 8))
    }

    @Test func truncatedRecordAndSections() {
        let bytes = Self.small.bytes
        for cut in [0, 5, 21, 100, bytes.count - 1] {
            #expect(Self.problem(Array(bytes.prefix(cut))) != nil, "cut \(cut)")
        }
        // A section 6 whose lead byte counts run past its end (CRCs resealed so only the counts are wrong).
        let (whole, sections) = Self.small.build()
        var lying = whole
        let lengths = sections[6]!.offset + 16 + 6
        lying[lengths] = 0xFF; lying[lengths + 1] = 0x7F
        let problem = Self.problem(SCPTestEncoder.resealSection(lying, offset: sections[6]!.offset, length: sections[6]!.length))
        guard case .truncated? = problem else { Issue.record("expected truncated, got \(String(describing: problem))"); return }
    }

    @Test func pointerOutsideTheFile() {
        let (bytes, _) = Self.small.build()
        var moved = bytes
        // Pointer 6 is the 7th 10-byte pointer in section 0's body (ids 0…11): its index at +6.
        let index = 6 + 16 + 6 * 10 + 6
        moved[index] = 0xF0; moved[index + 1] = 0xFF; moved[index + 2] = 0; moved[index + 3] = 0
        let problem = Self.problem(SCPTestEncoder.resealSection(moved, offset: 6, length: 16 + 120))
        guard case let .pointerOutside(id, _, _, _)? = problem, id == 6 else {
            Issue.record("expected pointerOutside, got \(String(describing: problem))"); return
        }
    }

    @Test func pointerToTheWrongSection() {
        let (bytes, sections) = Self.small.build()
        var moved = bytes
        let index = 6 + 16 + 6 * 10 + 6
        let to3 = sections[3]!.offset + 1
        moved[index] = UInt8(to3 & 0xFF); moved[index + 1] = UInt8(to3 >> 8)
        let problem = Self.problem(SCPTestEncoder.resealSection(moved, offset: 6, length: 16 + 120))
        guard case .sectionHeaderMismatch(id: 6, found: 3, _, _)? = problem else {
            Issue.record("expected a header mismatch, got \(String(describing: problem))"); return
        }
    }

    @Test func unsupportedFeaturesAreRefusedByName() {
        var bimodal = Self.small
        bimodal.bimodal = true
        #expect(Self.problem(bimodal.bytes) == .unsupported("bimodal compression (section 6 flag set)"))
        var reference = Self.small
        reference.referenceBeatSubtracted = true
        #expect(Self.problem(reference.bytes) == .unsupported("reference beat subtraction (section 3 flag bit 0; sections 4 and 5)"))
        var badDifference = Self.small
        badDifference.difference = 3
        guard case .malformed(section: 6, _)? = Self.problem(badDifference.bytes) else { Issue.record("difference 3 accepted"); return }
    }

    @Test func missingSectionsAndTime() throws {
        var noTime = Self.small
        noTime.time = nil
        let record = try SCPRecord(noTime.bytes)
        guard case .failure(.noAcquisitionTime) = record.ecgRecord() else { Issue.record("missing time accepted"); return }
        var badDate = Self.small
        badDate.date = (2026, 2, 30)
        guard case .failure(.noAcquisitionTime) = try SCPRecord(badDate.bytes).ecgRecord() else { Issue.record("30 February accepted"); return }
    }

    @Test func huffmanDataTooShortIsALeadProblem() {
        let (bytes, sections) = Self.small.build()
        var lying = bytes
        // Shrink lead I's byte count to 1: its samples cannot all be decoded.
        let lengths = sections[6]!.offset + 16 + 6
        lying[lengths] = 1; lying[lengths + 1] = 0
        let problem = Self.problem(SCPTestEncoder.resealSection(lying, offset: sections[6]!.offset, length: sections[6]!.length))
        guard case .leadData(lead: "I", _)? = problem else { Issue.record("expected a lead problem, got \(String(describing: problem))"); return }
    }

    @Test func randomDamageNeverCrashes() {
        let bytes = Self.small.bytes
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var refused = 0
        for _ in 0..<3000 {
            var damaged = bytes
            for _ in 0..<(1 + next() % 4) { damaged[next() % damaged.count] = UInt8(next() & 0xFF) }
            // Reseal so the damage reaches the section parsers, not only the record CRC.
            if next() % 2 == 0 { damaged = SCPTestEncoder.seal(damaged) }
            if (try? SCPRecord(damaged)) == nil { refused += 1 }
        }
        #expect(refused > 0)
    }

    // MARK: stream

    @Test func streamFindsRecordsAmongNoise() {
        let a = Self.small.bytes
        var other = Self.small
        other.patientID = "VC-2026-00043"
        let b = other.bytes
        let stream = [0x00, 0x53, 0x43] + a + [0xFF, 0x10, 0x53, 0x43, 0x50, 0x45, 0x43, 0x47] + b + [0x13]
        let verifier = DecoderVerifier(SCPFrameDecoder())
        #expect(verifier.frames(stream).map(\.bytes) == [a, b])
        #expect(verifier.splitFailures(Self.smallest.bytes + [0x55] + Self.smallest.bytes, randomSplits: 100).isEmpty)
    }

    static let smallest: SCPTestEncoder = {
        var e = SCPTestEncoder(samples: [[1, 2, 3, 4]])
        e.leadCodes = [2]
        e.measurements = nil
        return e
    }()

    @Test func streamSkipsABadCRCAndRecovers() {
        var bad = Self.small.bytes
        bad[200] ^= 0xFF
        let good = Self.small.bytes
        let (frames, counters) = DecoderVerifier(SCPFrameDecoder()).frames([bad + good])
        #expect(frames.map(\.bytes) == [good])
        #expect(counters.badChecksums == 1)
    }

    /// A record whose length field was damaged upward (+64 KiB) holds no record sent after
    /// it: the next whole record comes out of the bytes already received, however they were
    /// split, and the damaged one counts as malformed. A cart never resends, so waiting for
    /// 64 KiB that may never come would lose the good record at the next restart.
    @Test func aDamagedLengthDoesNotHoldBackTheNextRecord() {
        var bad = Self.small.bytes
        bad[4] &+= 1
        let good = Self.smallest.bytes
        var stream = FrameStream(SCPFrameDecoder())
        stream.append(bad + good)
        #expect(stream.next()?.bytes == good)
        #expect(stream.counters.malformed == 1 && stream.counters.badChecksums == 0)
        let verifier = DecoderVerifier(SCPFrameDecoder())
        #expect(verifier.frames(bad + good).map(\.bytes) == [good])
        #expect(verifier.splitFailures(bad + good + [0x00] + good, randomSplits: 60).isEmpty)
        // A sound record holding nothing of the kind is untouched.
        #expect(verifier.frames(good + good).count == 2)
    }

    @Test func garbageKeepsThePendingBufferBounded() {
        #expect(DecoderVerifier(SCPFrameDecoder()).garbageFailures(rounds: 500).isEmpty)
    }

    @Test func captureAdapterReportsRefusals() {
        var bimodal = Self.small
        bimodal.bimodal = true
        let result = SCPDump.decodeCapture(bimodal.bytes + Self.small.bytes, profileID: "cart")
        #expect(result.readings.count == 9)
        #expect(result.problems.count == 1 && result.problems[0].contains("bimodal"))
        #expect(result.deviceSerial == "ECG1200-0042")
    }
}
