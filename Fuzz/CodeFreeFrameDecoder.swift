import FrameParsing

/// libFuzzer target for `CodeFreeFrameDecoder`: the generic stream and decoder invariants,
/// then CodeFree's own: every frame has the decoder's direction and re-encodes to a frame with
/// a consistent length, XOR and end byte, host frames agree with the transmit policy's
/// parse, and the dump assembly takes every meter frame without trapping. The control flag
/// picks the direction.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let direction: CodeFreeFrame.Direction = input.flag ? .hostToMeter : .meterToHost
    let frames = DecoderInvariants.check(CodeFreeFrameDecoder(direction: direction), input, fastPathIsComplete: true)
    var dump = CodeFreeDump()
    for frame in frames {
        let bytes = frame.bytes
        let n = bytes.count
        DecoderInvariants.expect(frame.direction == direction && n == frame.message.count + 5 && n >= 6
                                 && bytes[0] == CodeFreeFrame.start && bytes[1] == direction.rawValue && Int(bytes[2]) == n - 3
                                 && bytes[n - 1] == CodeFreeFrame.end && bytes[n - 2] == Checksum.xor8(bytes[3..<(n - 2)]),
                                 "frame \(Hex.string(bytes)) is not well formed")
        switch direction {
        case .hostToMeter:
            _ = CodeFreeCommand.mayTransmit(bytes)
        case .meterToHost:
            if case let .entry(entry) = dump.consume(frame) {
                _ = entry.reading(profileID: "fuzz", serial: "unknown")
            }
        }
    }
    return 0
}

/// Seeds from the CodeFree test vectors: the published challenge, the host commands, a
/// constructed session (record count, two records, disconnect) and a noisy copy of it.
func fuzzSeeds() -> [[UInt8]] {
    let meter = { (m: [UInt8]) in CodeFreeFrame(direction: .meterToHost, message: m)!.bytes }
    let record0: [UInt8] = [0x13, 0x00, 24, 6, 15, 8, 30, 0x00, 120, 0x10, 1, 2, 3, 4, 5, 6, 7]
    let record1: [UInt8] = [0x13, 0x00, 19, 8, 4, 13, 37, 0x00, 85, 0x20, 1, 2, 3, 4, 5, 6, 7]
    let session = Hex.parse("53 20 04 10 30 20 AA")! + meter([0x30, 0x00, 0x02] + [UInt8](repeating: 0xAA, count: 19))
        + meter(record0) + meter(record1) + meter([0x10, 0x70])
    let host = CodeFreeCommand.allCases.flatMap(\.bytes)
    var badXOR = meter(record0)
    badXOR[badXOR.count - 2] ^= 0x40
    let noisy: [UInt8] = [0x00, 0x53, 0xFF, 0x53, 0x20, 0x80] + badXOR + session + [0x53, 0x20, 0x13, 0x00]
    return [FuzzInput.seed(session), FuzzInput.seed(host, flag: true), FuzzInput.seed(noisy), FuzzInput.seed(noisy + host, flag: true)]
}
