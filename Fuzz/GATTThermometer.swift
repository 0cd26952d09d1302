import FrameParsing
import PocGateCore

/// libFuzzer target for the Temperature Measurement codec: the input is one value. Checks:
/// nothing traps; a decoded value keeps its bytes and maps to the same reading twice; a
/// reading is 8310-5 in Cel or [degF] with a real date; every prefix is decoded or refused as
/// a truncation.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let value = Array(UnsafeBufferPointer(start: data, count: size))
    guard let record = try? GATTTemperatureRecord.decode(value) else { return 0 }
    DecoderInvariants.expect(record.raw == value, "record lost its bytes")
    let a = record.reading(profileID: "fuzz", serial: "s", model: "m")
    DecoderInvariants.expect(a == record.reading(profileID: "fuzz", serial: "s", model: "m"), "the same value read twice differs")
    if case let .success(r) = a {
        DecoderInvariants.expect(r.code == "8310-5" && (r.unit == "Cel" || r.unit == "[degF]") && r.deviceTime.isValid, "reading \(r)")
    }
    for cut in 0..<value.count {
        do throws(GATTDecodeError) { _ = try GATTTemperatureRecord.decode(Array(value.prefix(cut))) } catch {
            guard case .truncated = error else { DecoderInvariants.expect(false, "prefix refused as \(error)"); continue }
        }
    }
    return 0
}

/// Seeds: Celsius with type, Fahrenheit, FLOAT NaN.
func fuzzSeeds() -> [[UInt8]] {
    ["06 6D 01 00 FF EA 07 0C 07 08 1E 0F 06", "03 DA 03 00 FF EA 07 0C 07 08 1E 0F", "02 FF FF 7F 00 EA 07 0C 07 08 1E 0F"]
        .map { Hex.parse($0)! }
}
