import FrameParsing
import PocGateCore

/// libFuzzer target for the Weight Measurement codec: the input is one value. Checks: nothing
/// traps; a decoded value keeps its bytes and maps to the same readings twice; the weight
/// comes first, in kg or [lb_av] as the flag says, then BMI and height when sent; every
/// reading is coded with a real date; every prefix is decoded or refused as a truncation.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let value = Array(UnsafeBufferPointer(start: data, count: size))
    guard let record = try? GATTWeightRecord.decode(value) else { return 0 }
    DecoderInvariants.expect(record.raw == value, "record lost its bytes")
    let a = record.readings(profileID: "fuzz", serial: "s", model: "m")
    DecoderInvariants.expect(a == record.readings(profileID: "fuzz", serial: "s", model: "m"), "the same value read twice differs")
    if case let .success(readings) = a {
        DecoderInvariants.expect(readings[0].code == "29463-7" && readings[0].unit == (record.imperial ? "[lb_av]" : "kg"), "weight \(readings[0])")
        for r in readings {
            DecoderInvariants.expect(r.kind.loincCode(unit: r.unit) == r.code && r.deviceTime.isValid, "reading \(r) is not coded")
        }
    }
    for cut in 0..<value.count {
        do throws(GATTDecodeError) { _ = try GATTWeightRecord.decode(Array(value.prefix(cut))) } catch {
            guard case .truncated = error else { DecoderInvariants.expect(false, "prefix refused as \(error)"); continue }
        }
    }
    return 0
}

/// Seeds: SI with BMI and height, imperial, measurement unsuccessful.
func fuzzSeeds() -> [[UInt8]] {
    ["0E 14 37 EA 07 0C 07 08 1E 0F 01 E1 00 EA 06", "0B B4 3C EA 07 0C 07 08 1E 0F E1 00 BE 02", "02 FF FF EA 07 0C 07 08 1E 0F"]
        .map { Hex.parse($0)! }
}
