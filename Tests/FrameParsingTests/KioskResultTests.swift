import Testing
import FrameParsing
import PocGateCore

/// Kiosk results into readings: blood pressure, SpO2, thermometer and strip-meter values, with
/// the unit bit, the HI/LO/no-record bits and the meter kind that names test 03.
@Suite struct KioskResultTests {
    static let t0 = LocalDateTime(year: 2026, month: 11, day: 24, hour: 9, minute: 15, second: 7)

    static func frame(_ token: UInt8, _ body: [UInt8]) -> AA55Frame { AA55Frame(token: token, body: body)! }
    static func wire(_ hex: String) -> AA55Frame {
        var s = FrameStream(AA55FrameDecoder())
        s.append(Hex.parse(hex)!)
        return s.next()!
    }

    /// Feeds frames to a fresh dump, all received at `t0`.
    static func run(_ frames: [AA55Frame]) -> AA55Outcome {
        var dump = AA55Dump(profileID: "k")
        var all = AA55Outcome()
        for f in frames {
            let o = dump.consume(f, receivedAt: t0)
            all.readings += o.readings
            all.problems += o.problems
        }
        return all
    }

    // MARK: blood pressure

    @Test func publishedBloodPressureResultIsOnePanelAndOnePulse() throws {
        // V: `aa 55 43 07 01 00 77 00 4d 51 be` = 119/77 mmHg, mean not reported, pulse 81.
        let out = Self.run([Self.wire("AA 55 43 07 01 00 77 00 4D 51 BE")])
        #expect(out.problems.isEmpty)
        try #require(out.readings.count == 2)
        let bp = out.readings[0]
        #expect(bp.kind == .bloodPressure && bp.code == "85354-9" && bp.unit == "mm[Hg]")
        #expect(bp.value == ExactDecimal(119))
        #expect(bp.components.map(\.kind) == [.systolicPressure, .diastolicPressure])
        #expect(bp.components.map(\.value) == [ExactDecimal(119), ExactDecimal(77)])
        #expect(bp.components.map(\.code) == ["8480-6", "8462-4"])
        #expect(bp.flags.isEmpty)
        #expect(bp.deviceTime == Self.t0)
        #expect(bp.recordKey == "blood-pressure|119/77/-|mm[Hg]|2026-11-24T09:15:07|0")
        let pulse = out.readings[1]
        #expect(pulse.kind == .heartRate && pulse.unit == "/min" && pulse.value == ExactDecimal(81) && pulse.code == "8867-4")
    }

    @Test func meanAndIrregularHeartbeatAreCarried() throws {
        // C: s1 = 0x80 (irregular bit), s0 = 140, mean 102, dia 82, pulse 90.
        let out = Self.run([Self.frame(0x43, [0x01, 0x80, 0x8C, 0x66, 0x52, 0x5A])])
        try #require(out.readings.count == 2)
        #expect(out.readings[0].components.map(\.value) == [ExactDecimal(140), ExactDecimal(82), ExactDecimal(102)])
        #expect(out.readings[0].components.last?.code == "8478-0")
        #expect(out.readings.allSatisfy { $0.flags == [.irregularHeartbeat] })
    }

    @Test func cuffPressureIsNotAReading() {
        // V: `AA 55 42 04 01 00 4A C1` is 74 mmHg of cuff pressure during inflation.
        let f = Self.wire("AA 55 42 04 01 00 4A C1")
        #expect(AA55Message(f) == .cuffPressure(74))
        #expect(Self.run([f]) == AA55Outcome())
    }

    @Test func errorsAndImplausibleValuesAreProblems() {
        let out = Self.run([Self.frame(0x43, [0x02, 0x03]), Self.frame(0x43, [0x01, 0x7F, 0x00, 0, 80, 70]),
                            Self.frame(0x43, [0x02, 0x0D])])
        #expect(out.readings.isEmpty)
        #expect(out.problems.count == 3)
        #expect(out.problems[0].description.hasPrefix("blood-pressure error 3: air leak"))
        #expect(out.problems[2].description.contains("code not documented"))
    }

    // MARK: SpO2

    @Test func spo2SettlesOnTheLastValidParametersWhenTheMeasurementEnds() throws {
        let live = [Self.frame(0x52, [0x01, 0x10, 0x22]),
                    Self.frame(0x53, [0x01, 96, 70, 0, 12, 0x00]),
                    Self.frame(0x53, [0x01, 98, 0x2C, 0x01, 16, 0x00])]      // pulse 300, little-endian
        #expect(Self.run(live).readings.isEmpty, "live parameters are not readings")
        let out = Self.run(live + [Self.frame(0x54, [0x01, 0x00])])
        try #require(out.readings.count == 2)
        #expect(out.readings[0].kind == .oxygenSaturation && out.readings[0].unit == "%" && out.readings[0].value == ExactDecimal(98))
        #expect(out.readings[0].code == "59408-5")
        #expect(out.readings[1].kind == .heartRate && out.readings[1].value == ExactDecimal(300))
        // The probe coming off also ends the measurement; a second end emits nothing more.
        let off = Self.run([Self.frame(0x53, [0x01, 97, 75, 0, 10, 0x00]), Self.frame(0x53, [0x01, 0, 0, 0, 0, 0x02]),
                            Self.frame(0x54, [0x01, 0x00])])
        #expect(off.readings.map(\.value) == [ExactDecimal(97), ExactDecimal(75)])
    }

    // MARK: thermometer

    @Test func temperatureScaleFollowsTheBoardGeneration() throws {
        let result = Self.frame(0x74, [0x01, 0x00, 0x0E, 0x42])                          // 3650
        #expect(Self.run([result]).problems.first.map { "\($0)" }?.contains("cannot be told") == true)
        let current = Self.run([Self.frame(0xFF, [0x02, 0x11, 0x21, 0xAB, 0xCD]), result])
        try #require(current.readings.count == 1)
        #expect(current.readings[0].value.description == "36.50" && current.readings[0].unit == "Cel" && current.readings[0].code == "8310-5")
        let older = Self.run([Self.frame(0xFF, [0x02, 0x11, 0x21]), Self.frame(0x74, [0x01, 0x01, 0x03, 0xDD])])
        #expect(older.readings.map(\.value.description) == ["98.9"])
        #expect(older.readings.map(\.unit) == ["[degF]"])
        let high = Self.run([Self.frame(0xFF, [0x02, 0x11, 0x21, 0xAB]), Self.frame(0x74, [0x01, 0x04, 0, 0])])
        #expect(high.readings.isEmpty && high.problems == [.temperatureOutOfRange(code: 2, hex: "AA 55 74 05 01 04 00 00 \(Hex.byte(CRC8.maxim.checksum([0xAA, 0x55, 0x74, 0x05, 0x01, 0x04, 0x00, 0x00])))")])
    }

    // MARK: strip meter

    /// Clinical risk: the same two data bytes `00 82` are 8.2 mmol/L as BCD and 130 mg/dL as a
    /// big-endian integer. Decoding by the wrong rule is off by a factor of about 18
    /// (8.2 mmol/L ≈ 148 mg/dL): a hyperglycaemic 8.2 read as "8.2 mg/dL" looks like severe
    /// hypoglycaemia, and 130 mg/dL read as "130 mmol/L" is not survivable. The unit bit alone
    /// must choose the decoding, and the unit written must be the one that bit names.
    @Test func unitBitChoosesBCDMillimolesOrBigEndianMilligrams() throws {
        let out = Self.run([Self.frame(0xE2, [0x01, 0x00, 0x00, 0x82]), Self.frame(0xE2, [0x01, 0x01, 0x00, 0x82]),
                            Self.frame(0xE2, [0x01, 0x00, 0x01, 0x08]), Self.frame(0xE2, [0x01, 0x01, 0x01, 0x08])])
        #expect(out.problems.isEmpty)
        #expect(out.readings.map(\.value.description) == ["8.2", "130", "10.8", "264"])
        #expect(out.readings.map(\.unit) == ["mmol/L", "mg/dL", "mmol/L", "mg/dL"])
        #expect(out.readings.map(\.code) == ["14743-9", "41653-7", "14743-9", "41653-7"])
        #expect(out.readings.allSatisfy { $0.kind == .glucose })
    }

    @Test func bcdWithANibbleAboveNineIsRefused() {
        let out = Self.run([Self.frame(0xE2, [0x01, 0x00, 0x00, 0x8A])])
        #expect(out.readings.isEmpty && out.problems.count == 1)
    }

    @Test func uricAcidIsSentTenTimesLarger() {
        let out = Self.run([Self.frame(0xE2, [0x02, 0x01, 0x00, 0x38]), Self.frame(0xE2, [0x02, 0x00, 0x00, 0x35])])
        #expect(out.readings.map(\.value.description) == ["5.6", "350"])
        #expect(out.readings.map(\.unit) == ["mg/dL", "umol/L"])
        #expect(out.readings.map(\.code) == ["3084-1", "14933-6"])
    }

    @Test func test03NeedsTheMeterKind() {
        let chol = Self.frame(0xE2, [0x03, 0x00, 0x00, 0x52])
        let unknown = Self.run([chol])
        #expect(unknown.readings.isEmpty && unknown.problems.count == 1)
        let beneCheck = Self.run([Self.frame(0xE0, [0x02, 0x02]), chol, Self.frame(0xE2, [0x03, 0x01, 0x00, 0xC8])])
        #expect(beneCheck.readings.map(\.kind) == [.cholesterol, .cholesterol])
        #expect(beneCheck.readings.map(\.value.description) == ["5.2", "200"])
        #expect(beneCheck.readings.map(\.code) == ["14647-2", "2093-3"])
        let lepu = Self.run([Self.frame(0xE0, [0x02, 0x04]), Self.frame(0xE2, [0x03, 0x00, 0x00, 0x05]),
                             Self.frame(0xE2, [0x03, 0x01, 0x00, 0x05])])
        #expect(lepu.readings.map(\.kind) == [.ketone])
        #expect(lepu.readings.map(\.value.description) == ["0.5"])
        #expect(lepu.problems.count == 1, "ketone in mg/dL is not documented")
        let other = Self.run([Self.frame(0xE0, [0x02, 0x01]), chol])
        #expect(other.readings.isEmpty && other.problems.count == 1)
    }

    @Test func noRecordHiAndLoGiveNoValue() {
        // V: `AA 55 E2 05 01 C2 00 93 96` (Yicheng): bit 7 set, no stored record; nothing at all.
        let none = Self.wire("AA 55 E2 05 01 C2 00 93 96")
        #expect(Self.run([none]) == AA55Outcome())
        let lo = Self.run([Self.frame(0xE2, [0x01, 0x10, 0x00, 0x82])])
        let hi = Self.run([Self.frame(0xE2, [0x01, 0x21, 0x02, 0x58])])
        let three = Self.run([Self.frame(0xE2, [0x01, 0x30, 0x00, 0x00])])
        #expect(lo.readings.isEmpty && hi.readings.isEmpty && three.readings.isEmpty)
        #expect(lo.problems.first?.description.contains("LO") == true)
        #expect(hi.problems.first?.description.contains("HI") == true)
        #expect(three.problems.first?.description.contains("undocumented") == true)
    }

    // MARK: identity

    @Test func identicalResultsAtTheSameTimeGetDistinctKeys() {
        let g = Self.frame(0xE2, [0x01, 0x00, 0x00, 0x56])
        let out = Self.run([g, g])
        #expect(out.readings.map(\.recordKey) == ["glucose|5.6|mmol/L|2026-11-24T09:15:07|0", "glucose|5.6|mmol/L|2026-11-24T09:15:07|1"])
        var dump = AA55Dump(profileID: "k")
        let a = dump.consume(g, receivedAt: Self.t0).readings[0].recordKey
        let b = dump.consume(g, receivedAt: LocalDateTime(year: 2026, month: 11, day: 24, hour: 9, minute: 16)).readings[0].recordKey
        #expect(a != b && b.hasSuffix("|0"))
    }

    /// Clinical risk: a reading dated 2000-01-01 (or any made-up time). The board's frames carry
    /// no time, so replay stamps each reading with the time its bytes were received: the read
    /// that completed its frame, even when the frame arrived in two reads a minute apart.
    @Test func replayStampsEachReadingWithTheTimeItsFrameWasReceived() {
        let bytes = Self.frame(0xE2, [0x01, 0x00, 0x00, 0x56]).bytes
        let r = AA55Dump.decodeCapture(bytes, profileID: "k", receivedAt: Self.t0)
        #expect(r.readings.map(\.deviceTime) == [Self.t0])
        #expect(r.readings.map(\.deviceSerial) == ["unknown"])
        let t1 = LocalDateTime(year: 2026, month: 11, day: 24, hour: 9, minute: 16)
        let t2 = LocalDateTime(year: 2026, month: 11, day: 24, hour: 9, minute: 17)
        let chunks = [(Self.t0, bytes), (t1, Array(bytes.prefix(3))), (t2, Array(bytes.dropFirst(3)))]
        #expect(AA55Dump.decodeCapture(chunks, profileID: "k").readings.map(\.deviceTime) == [Self.t0, t2])
    }
}
