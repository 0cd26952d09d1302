import FrameParsing

/// libFuzzer target for `LifeScanFrameDecoder`: the generic stream and decoder invariants,
/// then LifeScan's own: every frame re-encodes to a frame whose length byte counts the whole
/// frame and whose CRC-16/CCITT-FALSE checks, the transmit policy accepts a frame only when it
/// is a known read request, and the dump assembly takes every frame without trapping. The
/// control flag is unused: the frames carry no direction.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let frames = DecoderInvariants.check(LifeScanFrameDecoder(), input, fastPathIsComplete: true)
    var dump = LifeScanDump()
    for frame in frames {
        let bytes = frame.bytes
        let n = bytes.count
        DecoderInvariants.expect(n == frame.message.count + LifeScanFrame.overhead && Int(bytes[1]) == n
                                 && bytes[0] == LifeScanFrame.stx && bytes[n - 3] == LifeScanFrame.etx
                                 && CRC16.ccittFalse.checksum(bytes[0..<(n - 2)]) == UInt16(bytes[n - 2]) | UInt16(bytes[n - 1]) << 8,
                                 "frame \(Hex.string(bytes)) is not well formed")
        if LifeScanRequest.mayTransmit(bytes) {
            DecoderInvariants.expect(frame.message.isEmpty || LifeScanRequest(message: frame.message) != nil,
                                     "transmit policy passes \(Hex.string(bytes)), which is no known request")
        }
        if case let .record(record) = dump.consume(frame) {
            _ = record.reading(profileID: "fuzz", serial: dump.serial ?? "unknown", model: record.dialect.modelName)
        }
    }
    return 0
}

/// Seeds from the LifeScan test vectors: the published link and request frames, the requests
/// pocgate sends, a constructed UltraEasy conversation and a noisy copy of it, and a
/// constructed Verio IQ conversation.
func fuzzSeeds() -> [[UInt8]] {
    let hex = ["02 06 08 03 C2 62", "02 06 06 03 CD 41", "02 09 03 05 0D 02 03 08 9F", "02 09 00 03 27 00 03 26 71",
               "02 09 00 03 20 02 03 D4 92", "02 0C 00 03 31 02 00 00 00 03 ED 4C"]
    let vectors = hex.flatMap { Hex.parse($0)! }
    let le32 = { (v: UInt32) in (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    let reply = { (m: [UInt8]) in LifeScanFrame(link: [], message: [0x05, 0x06] + m)!.bytes }
    let conversation = Hex.parse("02 06 08 03 C2 62")! + LifeScanRequest.readSerial.frame().bytes
        + reply(Array("TEST1234Y".utf8) + [0x00]) + LifeScanRequest.readClock(.ultraEasy).frame().bytes + reply(le32(1_718_440_200))
        + LifeScanRequest.readRecordCount(.ultraEasy).frame().bytes + LifeScanFrame(link: [], message: [0x05, 0x0F, 0x02, 0x00])!.bytes
        + LifeScanRequest.readRecord(.ultraEasy, index: 0).frame().bytes + reply(le32(1_718_440_200) + le32(120))
        + LifeScanRequest.readRecord(.ultraEasy, index: 1).frame().bytes + reply(le32(1_718_440_200) + le32(85))
    var badCRC = Hex.parse("02 09 03 05 0D 02 03 08 9F")!
    badCRC[8] ^= 1
    let noisy: [UInt8] = [0x00, 0x02, 0xFF, 0x02] + badCRC + [0x02, 0x40] + conversation + [0x02, 0x09, 0x03]
    let iqReply = { (m: [UInt8]) in LifeScanFrame(link: [], message: [0x03, 0x06] + m)!.bytes }
    let verioIQ = LifeScanRequest.readVerioIQVersion.frame().bytes + iqReply([0x04] + Array("1.08".utf8) + [0x00])
        + LifeScanRequest.readVerioIQSerial.frame().bytes + iqReply(Array("X4Q7285VT".utf8) + [0x00])
        + LifeScanRequest.readClock(.verio).frame().bytes + iqReply(le32(771_755_400))
        + LifeScanRequest.readRecordCount(.verio).frame().bytes + iqReply([0x02, 0x00])
        + LifeScanRequest.readVerioIQRecord(index: 0).frame().bytes + iqReply(le32(771_755_400) + [0x7B, 0x00, 0x00, 0x01, 0x00, 0x00])
        + LifeScanRequest.readVerioIQRecord(index: 1).frame().bytes + iqReply(le32(771_751_800) + [0x58, 0x00, 0x01, 0x00, 0x00, 0x00])
    return [FuzzInput.seed(vectors), FuzzInput.seed(conversation), FuzzInput.seed(noisy), FuzzInput.seed(verioIQ)]
}
