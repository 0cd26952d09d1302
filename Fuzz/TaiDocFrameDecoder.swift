import FrameParsing

/// libFuzzer target for `TaiDocFrameDecoder`: the generic stream and decoder invariants,
/// then TaiDoc's own: every frame re-encodes to a checked 8-byte frame of the decoder's
/// direction, the transmit policy agrees with the command table, and the dump assembly and
/// every record layout (glucose, blood pressure, thermometer, multi-analyte) take every meter
/// reply without trapping. Control bit 7 picks the direction.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let direction: TaiDocFrame.Direction = input.flag ? .hostToMeter : .meterToHost
    let frames = DecoderInvariants.check(TaiDocFrameDecoder(direction: direction), input, fastPathIsComplete: true)
    // Every layout reachable: the seed's 4277 as a 2-in-1, and one model per other layout.
    var dump = TaiDocDump(models: TaiDocModels(["4277": [.glucose, .bloodPressure], "3128": [.bloodPressure],
                                                "1242": [.thermometer], "0006": [.multiAnalyte]]))
    for frame in frames {
        let bytes = frame.bytes
        DecoderInvariants.expect(frame.direction == direction && bytes.count == TaiDocFrame.length
                                 && bytes[7] == Checksum.sum8(bytes[0..<7]), "frame \(Hex.string(bytes)) is not well formed")
        switch direction {
        case .hostToMeter:
            let sendable = TaiDocCommand(rawValue: frame.command)?.isSendable ?? false
            DecoderInvariants.expect(TaiDocCommand.mayTransmit(bytes) == sendable, "transmit policy disagrees for \(Hex.string(bytes))")
        case .meterToHost:
            if case let .record(record) = dump.consume(frame) {
                _ = record.readings(profileID: "fuzz", serial: dump.serial ?? "unknown", model: dump.model ?? "unknown")
            }
        }
    }
    return 0
}

/// Seeds from the TaiDoc test vectors: the request vectors, the clock and value replies, a
/// dump like `DeviceProfiles/taidoc/td4277/captures/vectors.bin`, and a noisy reply stream.
func fuzzSeeds() -> [[UInt8]] {
    let requests = TaiDocCommand.allCases.map { TaiDocFrame.request($0).bytes }
    let clock: [UInt8] = [0x51, 0x23, 0x04, 0x27, 0x25, 0x0D, 0xA5, 0x76]
    let value: [UInt8] = [0x51, 0x26, 0x78, 0x00, 0x00, 0x40, 0xA5, 0xD4]
    let reply = { (c: UInt8, p: (UInt8, UInt8, UInt8, UInt8)) in TaiDocFrame(command: c, payload: p, direction: .meterToHost).bytes }
    let dump = reply(0x22, (0, 0, 0, 0)) + reply(0x24, (0x77, 0x42, 0, 0)) + reply(0x28, (4, 3, 2, 1)) + reply(0x27, (8, 7, 6, 5))
        + clock + reply(0x2B, (1, 0, 0, 0)) + reply(0x25, (0xCF, 0x30, 0x1E, 0x08)) + value
    var badChecksum = value
    badChecksum[7] &+= 1
    let noisy: [UInt8] = [0x00, 0xFF, 0x51, 0x13] + clock + badChecksum + value + TaiDocFrame.request(.readRecordValue).bytes
        + [0x51, 0x51] + dump + [0x51, 0x26, 0x00]
    return [FuzzInput.seed(requests.flatMap { $0 }, flag: true), FuzzInput.seed(clock + value),
            FuzzInput.seed(dump), FuzzInput.seed(noisy), FuzzInput.seed(noisy, flag: true)]
}
