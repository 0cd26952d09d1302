import FrameParsing
import PocGateCore

/// libFuzzer target for the interpreted `DeclarativeFrameDecoder`: the generic stream and
/// decoder invariants, then the profile language's own: every frame starts with the start
/// bytes, fits the maximum, carries a checksum that matches its covered range, satisfies its
/// record's rules and `frame.require`, and the record → reading mapper takes every frame
/// without trapping. The control flag picks the spec: false = length field + CRC-8/MAXIM
/// (the Carewell NIBP profile's frames, with its blood-pressure mapping), true = byte-stuffed,
/// terminated frames with a little-endian CRC-16/KERMIT.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let plan = input.flag ? FuzzSpecs.stuffedPlan : FuzzSpecs.lengthPlan
    let frames = DecoderInvariants.check(plan.decoder, input, fastPathIsComplete: true)
    var dump = DeclarativeDump(plan: plan)
    let checksum = CompiledChecksum(plan.spec.frame.checksum!)
    for frame in frames {
        let bytes = frame.bytes.array
        let spec = plan.spec
        DecoderInvariants.expect(bytes.count <= spec.frame.maximumLength && bytes.starts(with: spec.frame.start),
                                 "frame \(Hex.string(bytes)) does not start right or is too long")
        let check = bytes.withUnsafeBytes { checksum.evaluate($0) }
        DecoderInvariants.expect(check != nil && check!.expected == check!.carried, "frame \(Hex.string(bytes)) has a wrong checksum")
        let rules = spec.records[frame.record].rules + spec.frame.require
        DecoderInvariants.expect(rules.allSatisfy { r in
            let o = r.offset < 0 ? bytes.count + r.offset : r.offset
            return o >= 0 && o < bytes.count && bytes[o] & r.mask == r.value
        }, "frame \(Hex.string(bytes)) breaks its record's rules")
        _ = dump.consume(frame, profileID: "fuzz")
    }
    return 0
}

enum FuzzSpecs {
    static let lengthPlan = DeclarativePlan(DeclarativeSpec(
        frame: FrameSpec(start: [0xAA, 0x55], length: .field(LengthField(offset: 3, size: 1, order: .big, counts: .from(4))),
                         maximumLength: 64, checksum: ChecksumSpec(family: .crc8Maxim, from: 0, to: -2, position: -1)),
        records: [
            RecordSpec(name: "handshake", rules: [ByteRule(offset: 2, value: 0xFF), ByteRule(offset: 4, value: 0x01)]),
            RecordSpec(name: "result", rules: [ByteRule(offset: 2, value: 0x43), ByteRule(offset: 4, value: 0x01)], fields: [
                FieldSpec(name: "systolic", offset: 5, size: 2, type: .uint),
                FieldSpec(name: "diastolic", offset: 7, size: 2, type: .uint),
                FieldSpec(name: "pulse", offset: 11, size: 1, type: .uint),
                FieldSpec(name: "irregular", offset: 12, size: 1, type: .uint, mask: 1, names: [1: "irregular-heartbeat"]),
                FieldSpec(name: "measured", offset: 13, size: 5, type: .dateTime(.bcd("YYMMDDhhmm"))),
            ]),
            RecordSpec(name: "info", rules: [ByteRule(offset: 2, value: 0xFF), ByteRule(offset: 4, value: 0x02)],
                       fields: [FieldSpec(name: "serial", offset: 5, size: 8, type: .ascii)]),
        ],
        readings: [
            ReadingSpec(trigger: 1, kind: .bloodPressure, unit: .fixed("mm[Hg]"), value: nil, time: FieldRef(record: 1, field: 4),
                        flags: [FieldRef(record: 1, field: 3)],
                        components: [.init(kind: .systolicPressure, value: FieldRef(record: 1, field: 0), unit: .fixed("mm[Hg]")),
                                     .init(kind: .diastolicPressure, value: FieldRef(record: 1, field: 1), unit: .fixed("mm[Hg]"))]),
            ReadingSpec(trigger: 1, kind: .heartRate, unit: .fixed("/min"), value: FieldRef(record: 1, field: 2),
                        time: FieldRef(record: 1, field: 4), highAbove: ExactDecimal(200)),
        ],
        device: DeviceIdentitySpec(serial: TextTemplate(parts: [.field(FieldRef(record: 2, field: 0))]))))

    static let stuffedPlan = DeclarativePlan(DeclarativeSpec(
        frame: FrameSpec(start: [0x7E], length: .terminated, maximumLength: 40, terminator: [0x7F],
                         escape: .xor(byte: 0x7D, mask: 0x20),
                         checksum: ChecksumSpec(family: .crc16Kermit, from: 1, to: -4, position: -3, order: .little)),
        records: [RecordSpec(name: "value", rules: [ByteRule(offset: 1, value: 0x01)], fields: [
            FieldSpec(name: "glucose", offset: 2, size: 2, type: .uint, order: .little, scale: ExactDecimal(mantissa: 1, scale: 1)),
            FieldSpec(name: "when", offset: 4, size: 6, type: .dateTime(.binary("YYMMDDhhmmss"))),
        ])],
        readings: [ReadingSpec(trigger: 0, kind: .glucose, unit: .fixed("mmol/L"), value: FieldRef(record: 0, field: 0),
                               time: FieldRef(record: 0, field: 1), highAbove: ExactDecimal(mantissa: 333, scale: 1))],
        device: DeviceIdentitySpec()))
}

/// Seeds: Carewell-style frames (handshake, a result, noise, a bad CRC) and stuffed frames.
func fuzzSeeds() -> [[UInt8]] {
    func crc8(_ d: [UInt8]) -> UInt8 {
        var c: UInt8 = 0
        for b in d { c ^= b; for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x8C : c >> 1 } }
        return c
    }
    func carewell(_ token: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let body = [0xAA, 0x55, token, UInt8(payload.count + 1)] + payload
        return body + [crc8(body)]
    }
    let result = carewell(0x43, [0x01, 0x00, 0x80, 0x00, 0x54, 0x00, 0x63, 0x48, 0x01, 0x24, 0x08, 0x15, 0x09, 0x05])
    var bad = result
    bad[bad.count - 1] ^= 0x55
    let stream = carewell(0xFF, [0x01]) + carewell(0xFF, [0x02] + Array("CW240815".utf8)) + [0x00, 0xAA] + result + bad + result
    func stuffed(_ payload: [UInt8]) -> [UInt8] {
        var body: [UInt8] = [0x7E] + payload + [0, 0, 0x7F]
        CompiledChecksum(FuzzSpecs.stuffedPlan.spec.frame.checksum!).fill(&body)
        var wire: [UInt8] = [0x7E]
        for b in body[1..<(body.count - 1)] {
            if b == 0x7D || b == 0x7E || b == 0x7F { wire += [0x7D, b ^ 0x20] } else { wire.append(b) }
        }
        return wire + [0x7F]
    }
    let s = stuffed([0x01, 0x7E, 0x00, 25, 3, 2, 7, 45, 0]) + [0x11] + stuffed([0x01, 0x7D, 0x01, 25, 3, 2, 7, 46, 30])
    return [FuzzInput.seed(stream), FuzzInput.seed(s, flag: true), FuzzInput.seed(stream + s), FuzzInput.seed(s + stream, flag: true)]
}
