import FrameParsing

/// libFuzzer target for `FreeStyleLineDecoder`: the generic stream and decoder invariants,
/// then FreeStyle's own: every line's text is at most 96 printable bytes (tabs allowed), a
/// blank line has no text, and the dump assembly takes every line without trapping. The
/// control flag is unused.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let lines = DecoderInvariants.check(FreeStyleLineDecoder(), input, fastPathIsComplete: true)
    var dump = FreeStyleDump()
    for line in lines {
        let text = line.text.array
        DecoderInvariants.expect(text.count <= InlineBytes.capacity && text.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x09 },
                                 "line \(Hex.string(text)) holds a byte no line holds")
        switch line.kind {
        case .blank: DecoderInvariants.expect(text.isEmpty, "blank line with text \(Hex.string(text))")
        case .record: DecoderInvariants.expect(text.count == 30, "record from \(line.text.text())")
        default: break
        }
        if case let .dump(serial, _, _, entries) = dump.consume(line) {
            for entry in entries { _ = entry.reading(profileID: "fuzz", serial: serial) }
        }
    }
    return 0
}

/// Seeds from the FreeStyle test vectors: the constructed `$xmem` dump (checksum 0x1CB1),
/// a dump with `HI`, ketone and July results, a LF-only copy and a noisy copy.
func fuzzSeeds() -> [[UInt8]] {
    let lines = ["", "QAGP123-45678", "0.22", "June 15 2024 09:05:30", "003", "120  June 15 2024 08:30 G 0x00",
                 "085  Jan  04 2024 13:37 G 0x00", "110  Jan  01 2024 21:14 G 0x00"]
    let dump = Array((lines.map { $0 + "\r\n" }.joined() + "0x1CB1  END\r\nCMD OK\r\n").utf8)
    let records = ["HI   July 10 2023 12:00 G 0x00", "012  Dec  31 2023 23:59 K 0x00", "100  July 10 2023 12:00 G 0x01"]
    let body = Array((["", "QAGP123-45678", "0.22", "July 10 2023 12:00:00", "003"] + records).map { $0 + "\r\n" }.joined().utf8)
    let other = body + Array("0x".utf8) + ASCIIHex.encode4(Checksum.sum16(body)) + Array("  END\r\nCMD OK\r\n".utf8)
    let lfOnly = dump.filter { $0 != 0x0D }
    let noisy: [UInt8] = [0x00, 0x7F, 0x41] + dump[0..<40] + [0xFF, 0x0A] + Array("xx120  June 15 2024 08:30 G 0x00\r\n".utf8) + dump
    return [FuzzInput.seed(dump), FuzzInput.seed(other), FuzzInput.seed(lfOnly), FuzzInput.seed(noisy)]
}
