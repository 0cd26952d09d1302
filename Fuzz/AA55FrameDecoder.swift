import FrameParsing
import PocGateCore

/// libFuzzer target for `AA55FrameDecoder`: the generic stream and decoder invariants, then the
/// kiosk's own: every frame re-encodes to `AA 55 token len body crc` with the length rule and
/// CRC-8/MAXIM over everything before the CRC, the transmit policy answers without trapping,
/// and the dump turns every frame into readings or problems without trapping, each reading
/// with a LOINC code. The control flag picks the board generation fed first (older or current).
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let frames = DecoderInvariants.check(AA55FrameDecoder(), input, fastPathIsComplete: true)
    var dump = AA55Dump(profileID: "fuzz")
    let time = LocalDateTime(year: 2026, month: 1, day: 1)
    let version = AA55Frame(token: 0xFF, body: input.flag ? [0x02, 0x11, 0x21] : [0x02, 0x11, 0x21, 0x01])!
    _ = dump.consume(version, receivedAt: time)
    for frame in frames {
        let bytes = frame.bytes
        let n = bytes.count
        DecoderInvariants.expect(n == frame.body.count + 5 && n >= 6 && bytes[0] == 0xAA && bytes[1] == 0x55
                                 && Int(bytes[3]) == n - 4 && bytes[n - 1] == CRC8.maxim.checksum(bytes[0..<(n - 1)]),
                                 "frame \(Hex.string(bytes)) is not well formed")
        _ = AA55Command.mayTransmit(bytes)
        let out = dump.consume(frame, receivedAt: time)
        for r in out.readings {
            DecoderInvariants.expect(!r.code.isEmpty && r.deviceTime == time, "reading \(r.recordKey) has no code or another time")
        }
    }
    return 0
}

/// Seeds from the kiosk test vectors: the published frames, a constructed session of every
/// result message, and a noisy copy with a false start and a bad CRC.
func fuzzSeeds() -> [[UInt8]] {
    let f = { (token: UInt8, body: [UInt8]) in AA55Frame(token: token, body: body)!.bytes }
    let published = ["AA 55 FF 02 01 CA", "AA 55 42 04 01 00 4A C1", "AA 55 43 07 01 00 77 00 4D 51 BE",
                     "AA 55 E2 05 01 C2 00 93 96", "AA 55 E0 02 02 3D"].flatMap { Hex.parse($0)! }
    let session = f(0xE0, [0x02, 0x02]) + f(0x43, [0x01, 0x80, 0x8C, 0x66, 0x52, 0x5A]) + f(0x43, [0x02, 0x03])
        + f(0x53, [0x01, 98, 74, 0, 16, 0x00]) + f(0x54, [0x01, 0x00]) + f(0x74, [0x01, 0x00, 0x0E, 0x42])
        + f(0xE2, [0x01, 0x00, 0x00, 0x82]) + f(0xE2, [0x01, 0x01, 0x00, 0x82]) + f(0xE2, [0x02, 0x00, 0x00, 0x35])
        + f(0xE2, [0x03, 0x00, 0x00, 0x52]) + f(0xE2, [0x01, 0x20, 0x00, 0x00])
    var bad = f(0x74, [0x01, 0x00, 0x0E, 0x60])
    bad[bad.count - 1] ^= 0x5A
    let noisy: [UInt8] = [0x00, 0xAA, 0x13, 0xAA, 0x55, 0x43] + bad + session + [0xAA, 0x55, 0xE2, 0x40]
    return [FuzzInput.seed(published), FuzzInput.seed(session), FuzzInput.seed(noisy, flag: true)]
}
