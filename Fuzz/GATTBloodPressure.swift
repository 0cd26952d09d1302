import FrameParsing
import PocGateCore

/// libFuzzer target for the Blood Pressure Measurement codec: the input is one value. Checks:
/// nothing traps; a decoded value keeps its bytes and maps to the same readings twice; a
/// panel has systolic and diastolic, a mean only when it is a number, in mm[Hg]; every
/// reading is coded; every prefix is decoded or refused as a truncation.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let value = Array(UnsafeBufferPointer(start: data, count: size))
    guard let record = try? GATTBloodPressureRecord.decode(value) else { return 0 }
    DecoderInvariants.expect(record.raw == value, "record lost its bytes")
    let a = record.readings(profileID: "fuzz", serial: "s", model: "m")
    DecoderInvariants.expect(a == record.readings(profileID: "fuzz", serial: "s", model: "m"), "the same value read twice differs")
    if case let .success(readings) = a {
        let panel = readings[0]
        DecoderInvariants.expect(panel.code == "85354-9" && panel.unit == "mm[Hg]", "panel \(panel) is not coded")
        DecoderInvariants.expect(panel.components.count == (record.meanArterial == .notANumber ? 2 : 3), "panel parts \(panel.components)")
        for r in readings { DecoderInvariants.expect(!r.code.isEmpty && r.deviceTime.isValid, "reading \(r) is not coded") }
    }
    for cut in 0..<value.count {
        do throws(GATTDecodeError) { _ = try GATTBloodPressureRecord.decode(Array(value.prefix(cut))) } catch {
            guard case .truncated = error else { DecoderInvariants.expect(false, "prefix refused as \(error)"); continue }
        }
    }
    return 0
}

/// Seeds: the specification-text vectors (MAP not measured, measured with status bits).
func fuzzSeeds() -> [[UInt8]] {
    ["1E 78 00 50 00 FF 07 EA 07 0C 07 08 1E 0F 48 00 01 04 00", "16 B0 F4 50 00 5D 00 EA 07 0C 07 08 1E 0F 48 00 09 00",
     "03 10 F1 AB F0 FF 07 EA 07 0C 07 08 1E 0F"].map { Hex.parse($0)! }
}
