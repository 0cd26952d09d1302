import Testing
import FrameParsing
import PocGateCore

/// The public TD-42xx test vectors (shared protocol notes; V = seen in a source, C = constructed).
@Suite struct TaiDocVectorTests {
    @Test(arguments: [
        (TaiDocCommand.connect, "51 22 00 00 00 00 A3 16"),        // V
        (.readModel, "51 24 00 00 00 00 A3 18"),                    // C
        (.readClock, "51 23 00 00 00 00 A3 17"),                    // C
        (.readRecordCount, "51 2B 00 00 00 00 A3 1F"),              // C
        (.readRecordTime, "51 25 00 00 00 00 A3 19"),               // V
        (.readRecordValue, "51 26 00 00 00 00 A3 1A"),              // V
        (.readSerialLow, "51 27 00 00 00 00 A3 1B"),                // C
        (.readSerialHigh, "51 28 00 00 00 00 A3 1C"),               // C
        (.powerOff, "51 50 00 00 00 00 A3 44"),                     // V
    ])
    func requestsMatchVectors(command: TaiDocCommand, hex: String) {
        #expect(Hex.string(TaiDocFrame.request(command).bytes) == hex)
    }

    @Test func recordRequestCarriesIndexLittleEndian() {
        #expect(Hex.string(TaiDocFrame.recordRequest(.readRecordTime, index: 1).bytes) == "51 25 01 00 00 00 A3 1A")
        #expect(Hex.string(TaiDocFrame.recordRequest(.readRecordValue, index: 0x0102).bytes) == "51 26 02 01 00 00 A3 1D")
    }

    @Test(arguments: [
        ("21 24 0E 15", "2018-01-01T21:14:00"),  // V
        ("21 26 0E 15", "2019-01-01T21:14:00"),  // V
        ("04 27 25 0D", "2019-08-04T13:37:00"),  // V
        ("CF 30 1E 08", "2024-06-15T08:30:00"),  // C
    ])
    func dateTimeVectors(payload: String, expected: String) throws {
        let parsed = Hex.parse(payload)
        let b = try #require(parsed)
        #expect(TaiDocPayload.dateTime((b[0], b[1], b[2], b[3]))?.description == expected)
    }

    @Test func invalidDateIsRejected() {
        // month 0
        #expect(TaiDocPayload.dateTime((0x01, 0x30, 0, 0)) == nil)
    }

    @Test func clockReplyDecodes() throws {
        var stream = FrameStream(TaiDocFrameDecoder())
        stream.append(try #require(Hex.parse("51 23 04 27 25 0D A5 76")))  // C
        let next = stream.next()
        let frame = try #require(next)
        var dump = TaiDocDump()
        #expect(dump.consume(frame) == .clock(LocalDateTime(year: 2019, month: 8, day: 4, hour: 13, minute: 37)))
    }

    @Test func valueReplyBeforeMeal() throws {
        var stream = FrameStream(TaiDocFrameDecoder())
        stream.append(try #require(Hex.parse("51 25 CF 30 1E 08 A5 \(Hex.byte(Checksum.sum8(Hex.parse("51 25 CF 30 1E 08 A5")!)))")))
        stream.append(try #require(Hex.parse("51 26 78 00 00 40 A5 D4")))  // C: 120 mg/dL before meal
        var dump = TaiDocDump()
        _ = dump.consume(TaiDocFrame(command: 0x24, payload: (0x77, 0x42, 0, 0), direction: .meterToHost))
        let timeFrame = stream.next()
        let valueFrame = stream.next()
        #expect(dump.consume(try #require(timeFrame)) == .none)
        guard case let .record(record) = dump.consume(try #require(valueFrame)) else {
            Issue.record("no record")
            return
        }
        let readings = try record.readings(profileID: "taidoc-td4277", serial: "S1", model: "TD-4277").get()
        #expect(readings.count == 1)
        let reading = try #require(readings.first)
        #expect(reading.value == ExactDecimal(120))
        #expect(reading.unit == "mg/dL")
        #expect(reading.code == "41653-7")
        #expect(reading.flags == [.beforeMeal])
        #expect(reading.deviceTime.description == "2024-06-15T08:30:00")
        #expect(reading.recordKey == "2024-06-15T08:30|120|40|0")
        #expect(reading.raw.count == 16)
    }

    @Test func modelAndSerial() {
        #expect(TaiDocPayload.model((0x77, 0x42, 0, 0)) == "4277")
        #expect(TaiDocPayload.serial(high: (0x04, 0x03, 0x02, 0x01), low: (0x08, 0x07, 0x06, 0x05)) == "0102030405060708")
    }

    @Test func flagsFromValueByte() {
        #expect(TaiDocPayload.flags(TaiDocPayload.value((120, 0, 0, 0x80))) == [.afterMeal])
        #expect(TaiDocPayload.flags(TaiDocPayload.value((120, 0, 0, 0xC0))) == [.controlSolution])
        #expect(TaiDocPayload.flags(TaiDocPayload.value((0x59, 0x02, 0, 0))) == [.aboveRange])  // 601
        #expect(TaiDocPayload.flags(TaiDocPayload.value((19, 0, 0, 0x40))) == [.beforeMeal, .belowRange])
        // Analyte bits 5..2 = 7 (ketone) is not glucose and must not become a glucose reading.
        #expect(TaiDocPayload.value((10, 0, 0, 0x1C)).analyte == 7)
    }

    @Test func identicalRecordsGetDistinctKeys() throws {
        var dump = TaiDocDump()
        _ = dump.consume(TaiDocFrame(command: 0x24, payload: (0x77, 0x42, 0, 0), direction: .meterToHost))
        let time = TaiDocFrame(command: 0x25, payload: (0xCF, 0x30, 0x1E, 0x08), direction: .meterToHost)
        let value = TaiDocFrame(command: 0x26, payload: (0x78, 0, 0, 0), direction: .meterToHost)
        var keys: [String] = []
        for _ in 0..<3 {
            _ = dump.consume(time)
            if case let .record(r) = dump.consume(value) { keys.append(r.recordKey) }
        }
        #expect(keys == ["2024-06-15T08:30|120|00|0", "2024-06-15T08:30|120|00|1", "2024-06-15T08:30|120|00|2"])
    }
}
