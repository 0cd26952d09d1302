import FrameParsing
import PocGateCore

/// libFuzzer target for the Glucose profile's codecs: the input is one characteristic value,
/// decoded as a Glucose Measurement, a Glucose Measurement Context (alone and as the context
/// of the measurement) and a Record Access Control Point response. Checks: nothing traps; a
/// decoded value keeps its bytes; the same value decodes to the same reading and key twice
/// (BlueZ hands values over more than once); every reading is coded with a real date; every
/// prefix of a decoded value is decoded or refused as a truncation; the assembler gives one
/// outcome per value (one for a measurement and its context); the RACP allow-list passes
/// only "report" and "report number" requests.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let value = Array(UnsafeBufferPointer(start: data, count: size))
    let context = try? GATTGlucoseContext.decode(value)
    if let c = context { DecoderInvariants.expect(c.raw == value, "context lost its bytes") }
    if let m = try? GATTGlucoseRecord.decode(value) {
        DecoderInvariants.expect(m.raw == value, "measurement lost its bytes")
        for c in [nil, context] {
            let a = m.reading(context: c, profileID: "fuzz", serial: "s", model: "m")
            let b = m.reading(context: c, profileID: "fuzz", serial: "s", model: "m")
            DecoderInvariants.expect(a == b, "the same value read twice differs")
            if case let .success(r) = a {
                DecoderInvariants.expect(r.recordKey == m.recordKey, "reading key is not the record's")
                DecoderInvariants.expect(r.kind.codedUnits.contains(r.unit) && !r.code.isEmpty && r.deviceTime.isValid,
                                         "reading \(r) is not coded")
            }
        }
        for cut in 0..<value.count {
            do throws(GATTDecodeError) { _ = try GATTGlucoseRecord.decode(Array(value.prefix(cut))) } catch {
                guard case .truncated = error else { DecoderInvariants.expect(false, "prefix refused as \(error)"); continue }
            }
        }
    }
    // The assembler: the value as a measurement, then as a context, then the end. Each value
    // gives one outcome, except a measurement and its own context, which give one together.
    var assembler = GATTGlucoseAssembler(profileID: "fuzz", serial: "s", model: "m")
    let outcomes = assembler.measurement(value) + assembler.context(value) + assembler.finish()
    let paired = (try? GATTGlucoseRecord.decode(value))?.contextFollows == true && context != nil
    DecoderInvariants.expect(outcomes.count == (paired ? 1 : 2), "\(outcomes.count) outcomes, paired \(paired)")
    if let response = try? GATTRecordAccessControlPoint.decodeResponse(value) { _ = response.description }
    if GATTRecordAccessControlPoint.mayTransmit(value) {
        DecoderInvariants.expect((value[0] == 0x01 || value[0] == 0x04) && (value.count == 2 || value.count == 5),
                                 "RACP allow-list passed \(Hex.string(value))")
    }
    return 0
}

/// Seeds: the Accu-Chek Guide's and another meter's published notifications, a mol/L record,
/// a context with every field, RACP requests and responses.
func fuzzSeeds() -> [[UInt8]] {
    ["1B 0F 00 E8 07 01 1E 05 3A 1B 53 01 6F B0 F8 00 00", "03 06 00 E4 07 04 0D 10 26 0A 00 00 78 B0 F1",
     "06 02 01 EA 07 0C 07 08 1E 00 38 C0 11", "DF 10 00 00 01 32 D0 02 52 10 0E 32 01 05 A0 41 F0",
     "01 03 01 10 00", "05 00 28 00", "06 00 01 06"].map { Hex.parse($0)! }
}
