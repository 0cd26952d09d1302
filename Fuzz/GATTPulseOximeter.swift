import FrameParsing
import PocGateCore

/// libFuzzer target for the PLX Spot-Check Measurement codec (and the RACP responses the
/// oximeter indicates): the input is one value. Checks: nothing traps; a decoded value keeps
/// its bytes and maps to the same readings twice; readings are 59408-5 (%) then 8867-4
/// (/min) with a real date, none when the device clock is not set; every prefix is decoded or
/// refused as a truncation.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let value = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? GATTRecordAccessControlPoint.decodeResponse(value)
    guard let record = try? GATTSpotCheckRecord.decode(value) else { return 0 }
    DecoderInvariants.expect(record.raw == value, "record lost its bytes")
    let a = record.readings(profileID: "fuzz", serial: "s", model: "m")
    DecoderInvariants.expect(a == record.readings(profileID: "fuzz", serial: "s", model: "m"), "the same value read twice differs")
    if case let .success(readings) = a {
        DecoderInvariants.expect(!record.clockNotSet, "readings from a device whose clock is not set")
        DecoderInvariants.expect(readings[0].code == "59408-5" && readings[0].unit == "%", "saturation \(readings[0])")
        for r in readings.dropFirst() { DecoderInvariants.expect(r.code == "8867-4" && r.unit == "/min", "pulse \(r)") }
        for r in readings { DecoderInvariants.expect(r.deviceTime.isValid, "reading \(r) has no real date") }
    }
    for cut in 0..<value.count {
        do throws(GATTDecodeError) { _ = try GATTSpotCheckRecord.decode(Array(value.prefix(cut))) } catch {
            guard case .truncated = error else { DecoderInvariants.expect(false, "prefix refused as \(error)"); continue }
        }
    }
    return 0
}

/// Seeds: the plain record, every optional field, demonstration data, clock not set.
func fuzzSeeds() -> [[UInt8]] {
    ["01 62 00 48 00 EA 07 0C 07 08 1E 0F", "0F 62 00 48 00 EA 07 0C 07 08 1E 0F 80 00 00 00 00 37 F0",
     "03 62 00 48 00 EA 07 0C 07 08 1E 0F 00 04", "11 62 00 48 00 EA 07 0C 07 08 1E 0F", "06 00 01 01"].map { Hex.parse($0)! }
}
