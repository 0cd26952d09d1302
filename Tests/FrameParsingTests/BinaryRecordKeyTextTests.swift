import FrameParsing
import PocGateCore
import Testing

/// The binary codecs write record keys and provenance bytes from fixed-size values into
/// reused buffers. A key that changed by one character would store every reading of a device
/// again (the store de-duplicates by serial + key), so each is checked against its text as the
/// stored readings carry it, and the provenance bytes against the wire layout.
struct BinaryRecordKeyTextTests {
    /// A meter of each TaiDoc layout, with a model reply before each record.
    static let models = TaiDocModels(["4277": [.glucose], "3261": [.glucose, .bloodPressure], "4261": [.thermometer],
                                      "6401": [.multiAnalyte], "4276": [.glucoseCodeNumber]])

    /// The keys of the records `values` (time reply, value reply) of model `model`, in order.
    static func taiDocKeys(model: (UInt8, UInt8), _ values: [((UInt8, UInt8, UInt8, UInt8), (UInt8, UInt8, UInt8, UInt8))]) -> [String] {
        var dump = TaiDocDump(models: models)
        _ = dump.consume(TaiDocFrame(command: 0x24, payload: (model.0, model.1, 0, 0), direction: .meterToHost))
        var keys: [String] = []
        for (time, value) in values {
            _ = dump.consume(TaiDocFrame(command: 0x25, payload: time, direction: .meterToHost))
            if case let .record(r) = dump.consume(TaiDocFrame(command: 0x26, payload: value, direction: .meterToHost)) {
                keys.append(r.recordKey)
            }
        }
        return keys
    }

    /// Clinical risk: readings stored before this change are stored again under a new key (a
    /// duplicate glucose value on the patient's chart) if the glucose key's text moved.
    @Test func taiDocGlucoseKeysKeepTheirStoredTextAndCountRepeats() {
        // 2024-06-15 08:30 (`CF 30`), 2010-01-01 00:00 (`21 14`), 2127-12-31 23:59 (`9F FF`).
        let keys = Self.taiDocKeys(model: (0x77, 0x42), [
            ((0xCF, 0x30, 30, 8), (120, 0, 0, 0x40)),
            ((0x21, 0x14, 0, 0), (0x59, 0x02, 0, 0xC0)),
            ((0x9F, 0xFF, 59, 23), (0xFF, 0xFF, 0, 0x0F)),
            ((0xCF, 0x30, 30, 8), (120, 0, 0, 0x40)),
        ])
        #expect(keys == ["2024-06-15T08:30|120|40|0", "2010-01-01T00:00|601|C0|0", "2127-12-31T23:59|65535|0F|0",
                         "2024-06-15T08:30|120|40|1"])
    }

    /// Clinical risk: as above, for the other layouts, whose keys carry every value and flag
    /// byte in uppercase hex; a glucose record of a multi-analyte meter keeps the glucose key,
    /// and a code-number meter's glucose record counts with plain glucose records.
    @Test func taiDocLayoutKeysKeepTheirStoredText() {
        #expect(Self.taiDocKeys(model: (0x61, 0x32), [((0xCF, 0x30, 30 | 0x80, 8), (120, 93, 80, 0x4A))])
            == ["blood-pressure|2024-06-15T08:30|785D504A|9E08|0"])
        #expect(Self.taiDocKeys(model: (0x61, 0x42), [((0xCF, 0x30, 30, 8), (0x6F, 0x01, 0, 0))])
            == ["thermometer|2024-06-15T08:30|6F010000|1E08|0"])
        #expect(Self.taiDocKeys(model: (0x01, 0x64), [((0xCF, 0x30, 30, 8), (90, 0, 0, 0)),
                                                      ((0xCF, 0x30, 30, 8), (90, 0, 0, 7 << 2))])
            == ["2024-06-15T08:30|90|00|0", "multi-analyte|2024-06-15T08:30|5A00001C|1E08|0"])
        #expect(Self.taiDocKeys(model: (0x76, 0x42), [((0xCF, 0x30, 30, 8), (100, 0, 0, 0x05)),
                                                      ((0xCF, 0x30, 30, 8), (100, 0, 0, 0x05))])
            == ["2024-06-15T08:30|100|05|0", "2024-06-15T08:30|100|05|1"])
        // A model the profile does not list: its record keeps its bytes under `undecoded`.
        #expect(Self.taiDocKeys(model: (0x99, 0x99), [((0xCF, 0x30, 30, 8), (0xAB, 0xCD, 0xEF, 0x01))])
            == ["undecoded|2024-06-15T08:30|ABCDEF01|1E08|0"])
    }

    /// Clinical risk: a second meter read in the same dump (another model and serial) has its
    /// readings filed under the first meter's serial and model, now that the texts are built
    /// once per device and reused while the bytes stay the same.
    @Test func taiDocModelAndSerialTextsFollowTheDeviceAnswering() {
        var dump = TaiDocDump(models: Self.models)
        func reply(_ command: UInt8, _ p: (UInt8, UInt8, UInt8, UInt8)) -> TaiDocDumpEvent {
            dump.consume(TaiDocFrame(command: command, payload: p, direction: .meterToHost))
        }
        #expect(reply(0x24, (0x77, 0x42, 0, 0)) == .model("4277"))
        _ = reply(0x28, (0x04, 0x03, 0x02, 0x01))
        #expect(reply(0x27, (0x08, 0x07, 0x06, 0x05)) == .serial("0102030405060708"))
        #expect(reply(0x24, (0x77, 0x42, 0, 0)) == .model("4277"))
        #expect(reply(0x27, (0x08, 0x07, 0x06, 0x05)) == .serial("0102030405060708"))
        #expect(reply(0x24, (0x61, 0x32, 0, 0)) == .model("3261"))
        #expect(reply(0x27, (0x09, 0x07, 0x06, 0x05)) == .serial("0102030405060709"))
        #expect(reply(0x28, (0x04, 0x03, 0x02, 0xA1)) == .serial("A102030405060709"))
        #expect(dump.model == "3261" && dump.serial == "A102030405060709")
    }

    /// Clinical risk: a record's provenance bytes are not the 16 bytes the meter sent (the
    /// audit trail of a stored value would point at other bytes).
    @Test func taiDocRecordRawIsTheTimeAndValueFramesOnTheWire() throws {
        let time = TaiDocFrame(command: 0x25, payload: (0xCF, 0x30, 30, 8), direction: .meterToHost)
        let value = TaiDocFrame(command: 0x26, payload: (120, 0, 0, 0x40), direction: .meterToHost)
        #expect(TaiDocFrame.bytes(time, value) == time.bytes + value.bytes)
        let head: [UInt8] = [0x51, 0x25, 0xCF, 0x30, 30, 8, 0xA5]
        let sum: UInt8 = head.reduce(0, &+)
        #expect(time.bytes == head + [sum])
    }

    /// Clinical risk: a kiosk reading's provenance bytes differ from the frame the board sent
    /// (the frame's bytes are now written in one pass, CRC by the slice-by-4 tables).
    @Test func aa55FrameBytesAreTheWireLayoutWithItsCRC() throws {
        for length in 1...InlineBytes.capacity {
            let body = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let frame = try #require(AA55Frame(token: 0x53, body: body))
            let head: [UInt8] = [0xAA, 0x55, 0x53, UInt8(length + 1)] + body
            #expect(frame.bytes == head + [CRC8.maxim.checksum(head)])
        }
    }

    /// Clinical risk: as for TaiDoc, a kiosk's readings stored again under new keys. The key is
    /// `kind|shown|unit|receive time|occurrence`.
    @Test func aa55KeysKeepTheirStoredText() throws {
        let at = LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5, second: 7)
        var dump = AA55Dump(profileID: "aa55-health-kiosk")
        var keys: [String] = []
        func feed(_ token: UInt8, _ body: [UInt8]) throws {
            let frame = try #require(AA55Frame(token: token, body: body))
            dump.consume(frame, receivedAt: at, reading: { keys.append($0.recordKey) }, problem: { _ in })
        }
        try feed(0xFF, [0x02, 0x10, 0x20, 0x00])           // version, current board (hundredths)
        try feed(0x43, [0x01, 0x00, 120, 0, 80, 72])       // 120/80, no mean, pulse 72
        try feed(0x43, [0x01, 0x80, 135, 100, 85, 0])      // 135/85/100, irregular, no pulse
        try feed(0x53, [0x00, 98, 72, 0, 15, 0x00])        // SpO2 98 %, pulse 72
        try feed(0x54, [0x00, 0x00])                       // measurement over
        try feed(0x74, [0x00, 0x00, 0x0E, 0x74])           // 37.00 Cel
        try feed(0xE2, [0x01, 0x00, 0x00, 0x82])           // glucose 8.2 mmol/L
        try feed(0x43, [0x01, 0x00, 120, 0, 80, 72])       // the first panel again
        #expect(keys == [
            "blood-pressure|120/80/-|mm[Hg]|2024-06-15T09:05:07|0", "heart-rate|72|nibp|/min|2024-06-15T09:05:07|0",
            "blood-pressure|135/85/100|mm[Hg]|2024-06-15T09:05:07|0",
            "oxygen-saturation|98|%|2024-06-15T09:05:07|0", "heart-rate|72|spo2|/min|2024-06-15T09:05:07|0",
            "body-temperature|37.00|Cel|2024-06-15T09:05:07|0", "glucose|8.2|mmol/L|2024-06-15T09:05:07|0",
            "blood-pressure|120/80/-|mm[Hg]|2024-06-15T09:05:07|1", "heart-rate|72|nibp|/min|2024-06-15T09:05:07|1",
        ])
    }
}
