import Testing
import FrameParsing
import PocGateCore

/// Current Time (0x2A2B), Date Time (0x2A08) and Device Information: GATT Specification
/// Supplement sections "Current Time" (Exact Time 256, adjust reason), "Day of Week", "Date
/// Time", "System ID", Current Time Service 1.1 and Device Information Service 1.1.
@Suite struct GATTTimeAndDeviceInformationTests {
    @Test func currentTimeGivesTheClockOffset() throws {
        let t = try GATTCurrentTime.decode(Hex.parse("EA 07 0C 07 08 1E 0F 01 80 01")!)
        #expect(t.dateTime.localDateTime == LocalDateTime(year: 2026, month: 12, day: 7, hour: 8, minute: 30, second: 15))
        #expect(t.dayOfWeek == 1)   // 7 December 2026 is a Monday
        #expect(t.fractions256 == 128)
        #expect(t.adjustReason == 1)
        #expect(t.clockOffsetSeconds(gatewayTime: LocalDateTime(year: 2026, month: 12, day: 7, hour: 8, minute: 30, second: 0)) == 15)
        #expect(t.clockOffsetSeconds(gatewayTime: LocalDateTime(year: 2026, month: 12, day: 7, hour: 9, minute: 30, second: 15)) == -3600)
        #expect(throws: GATTDecodeError.self) { try GATTCurrentTime.decode(Hex.parse("EA 07 0C 07 08 1E 0F 08 00 00")!) }
        #expect(throws: GATTDecodeError.self) { try GATTCurrentTime.decode(Hex.parse("EA 07 0C 07 08 1E 0F 01 80")!) }
        let unknown = try GATTCurrentTime.decode(Hex.parse("00 00 00 00 00 00 00 00 00 00")!)
        #expect(unknown.clockOffsetSeconds(gatewayTime: LocalDateTime(year: 2026, month: 1, day: 1)) == nil)
    }

    @Test func dateTimeUnknownFieldsAreNoDate() throws {
        #expect(try GATTDateTime.decode(Hex.parse("EA 07 0C 07 08 1E 0F")!).description == "2026-12-07T08:30:15")
        #expect(try GATTDateTime.decode(Hex.parse("00 00 0C 07 08 1E 0F")!).localDateTime == nil)
        #expect(try GATTDateTime.decode(Hex.parse("EA 07 0C 00 08 1E 0F")!).localDateTime == nil)
        #expect(try GATTDateTime.decode(Hex.parse("EA 07 0C 07 18 00 00")!).localDateTime == nil)   // hour 24
        #expect(throws: GATTDecodeError.self) { try GATTDateTime.decode([0xEA, 0x07]) }
        #expect(throws: GATTDecodeError.self) { try GATTDateTime.decode([UInt8](repeating: 1, count: 8)) }
    }

    /// Strings are UTF-8; NUL padding dropped; control characters escaped, never cut at a NUL.
    @Test func deviceInformationStrings() throws {
        #expect(GATTDeviceInformation.string(Array("TD-4277".utf8) + [0, 0, 0], what: "model").text == "TD-4277")
        #expect(GATTDeviceInformation.string(Array("TD-4277".utf8) + [0, 0, 0], what: "model").problem == nil)
        let hidden = GATTDeviceInformation.string(Array("AB".utf8) + [0] + Array("CD\n".utf8), what: "serial")
        #expect(hidden.text == "AB\\x00CD\\n")
        #expect(hidden.problem != nil)
        let long = GATTDeviceInformation.string([UInt8](repeating: 0x41, count: 512), what: "serial")
        #expect(long.text.count == DeviceText.maximumIdentityLength)
        #expect(GATTDeviceInformation.string(Array("血糖仪".utf8), what: "model").text == "血糖仪")
    }

    /// System ID: 40-bit manufacturer identifier, then the 24-bit OUI, little-endian.
    @Test func systemIDSplitsManufacturerAndOUI() throws {
        let id = try GATTDeviceInformation.SystemID.decode(Hex.parse("12 34 56 78 9A 1F 09 00")!)
        #expect(id.manufacturerIdentifier == 0x9A_7856_3412)
        #expect(id.organizationallyUniqueIdentifier == 0x00_091F)
        #expect(id.description == "00:09:1F/9A78563412")
        #expect(throws: GATTDecodeError.self) { try GATTDeviceInformation.SystemID.decode([1, 2, 3]) }
    }
}
