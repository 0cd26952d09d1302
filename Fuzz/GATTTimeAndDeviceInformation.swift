import FrameParsing
import PocGateCore

/// libFuzzer target for Current Time, Date Time, System ID and the Device Information
/// strings: the input is one value. Checks: nothing traps; a Current Time's day of week is
/// 0…7 and its clock offset exists exactly when its date is real; a Date Time decodes only
/// from seven bytes; a Device Information string is at most the identity length, without a
/// raw control character.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let value = Array(UnsafeBufferPointer(start: data, count: size))
    if let t = try? GATTCurrentTime.decode(value) {
        DecoderInvariants.expect(t.dayOfWeek <= 7, "day of week \(t.dayOfWeek)")
        let offset = t.clockOffsetSeconds(gatewayTime: LocalDateTime(year: 2026, month: 12, day: 7, hour: 8))
        DecoderInvariants.expect((offset != nil) == (t.dateTime.localDateTime != nil), "offset without a date, or a date without one")
    }
    if (try? GATTDateTime.decode(value)) != nil { DecoderInvariants.expect(value.count == 7, "Date Time of \(value.count) bytes") }
    _ = try? GATTDeviceInformation.SystemID.decode(value)
    let s = GATTDeviceInformation.string(value, what: "serial").text
    DecoderInvariants.expect(s.count <= DeviceText.maximumIdentityLength, "string of \(s.count) characters kept")
    DecoderInvariants.expect(!s.unicodeScalars.contains(where: DeviceText.needsEscape), "raw control character kept")
    return 0
}

/// Seeds: a Current Time, a System ID, a padded model string.
func fuzzSeeds() -> [[UInt8]] {
    [Hex.parse("EA 07 0C 07 08 1E 0F 01 80 01")!, Hex.parse("12 34 56 78 9A 1F 09 00")!, Array("TD-4277".utf8) + [0, 0, 0]]
}
