import FrameParsing
import PocGateCore

/// libFuzzer target for `IEEE11073APDUDecoder`: the generic stream and decoder invariants,
/// then 11073's own: every APDU has a known choice, a zero low byte and a length that fills
/// it, within the bound; the message parse and the manager state machine take every APDU
/// without trapping; every answer the manager builds passes the transmit allow-list (the
/// manager can only answer); every reading has an exact value and a coded unit. The control
/// flag picks a small APDU bound (64 bytes) to exercise the oversize path.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let decoder = IEEE11073APDUDecoder(maximumAPDULength: input.flag ? 64 : IEEE11073APDUDecoder.defaultMaximumAPDULength)
    let apdus = DecoderInvariants.check(decoder, input, fastPathIsComplete: true)
    var manager = IEEE11073Manager(profileID: "fuzz")
    for apdu in apdus {
        let b = apdu.bytes
        DecoderInvariants.expect(b.count >= 6 && b.count <= decoder.maximumAPDULength && b[0] == apdu.type.leadByte && b[1] == 0
                                 && Int(b[2]) << 8 | Int(b[3]) == b.count - 4, "APDU \(Hex.string(b)) is not well formed")
        _ = try? IEEE11073Message(apdu)
        let step = manager.consume(apdu)
        for response in step.responses {
            DecoderInvariants.expect(IEEE11073Response.mayTransmit(response), "manager built a non-answer \(Hex.string(response))")
        }
        for reading in step.readings {
            DecoderInvariants.expect(reading.kind.loincCode(unit: reading.unit) == reading.code, "reading \(reading) is not coded")
        }
    }
    return 0
}

/// Seeds from the 11073 vectors: the published blood-pressure AARQ, report and release, a
/// glucose session with an extended configuration (configuration report, fixed and variable
/// reports), and a noisy copy.
func fuzzSeeds() -> [[UInt8]] {
    typealias A = IEEE11073AgentAPDUs
    let aarq = Hex.parse("""
        E2 00 00 32 80 00 00 00 00 01 00 2A 50 79 00 26 80 00 00 00 A0 00 80 00 00 00 40 00 00 00
        00 80 00 00 00 08 11 22 33 44 55 66 77 07 02 BC 84 80 01 01 00 00 00 00
        """)!
    let report = Hex.parse("""
        E7 00 00 52 00 50 00 01 01 01 00 4A 00 00 FF FF FF FF 0D 1F 00 40 F0 00 00 01 00 01 00 38 00 42 00 03 00 32
        00 01 00 12 00 03 00 06 00 71 00 47 00 55 20 10 07 21 15 35 53 00 00 02 00 0A 00 47 20 10 07 21 15 35 53 00
        00 03 00 0A 00 00 20 10 07 21 15 35 53 00
        """)!
    let rlrq: [UInt8] = [0xE4, 0x00, 0x00, 0x02, 0x00, 0x00]
    let time = A.time(LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30, second: 5))
    let config = IEEE11073Configuration(id: 0x4000, objects: [
        .init(handle: 1, typeCode: 29112, unitCode: 4722, valueMap: [(attribute: 2636, length: 2), (attribute: 2448, length: 8)]),
    ])
    let glucose = A.associationRequest(configID: 0x4000, systemID: [0, 9, 0x1F, 0xFF, 0xFE, 0x80, 0x12, 0x34])
        + A.confirmedEventReport(invokeID: 1, eventType: 0x0D1C, info: A.configurationInfo(reportID: 0x4000, config))
        + A.confirmedEventReport(invokeID: 2, eventType: 0x0D1D, info: A.fixedScanInfo(reportNumber: 0, [(1, [0xF0, 0x38] + time)]))
        + A.confirmedEventReport(invokeID: 3, eventType: 0x0D1E, info: A.variableScanInfo(reportNumber: 1, [
            (1, [(2646, A.float(mantissa: 725, exponent: -2)), (2448, time)]),
        ])) + rlrq
    let bp = aarq + report + rlrq + A.abort(reason: 2)
    let noisy: [UInt8] = [0x00, 0xE7, 0x00, 0x0F, 0xFF, 0xE2, 0x01] + bp + [0x13] + glucose + [0xE7, 0x00, 0x00]
    return [FuzzInput.seed(bp), FuzzInput.seed(glucose), FuzzInput.seed(noisy), FuzzInput.seed(noisy, flag: true)]
}
