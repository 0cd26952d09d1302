import FrameParsing

/// libFuzzer target for `Ultra2LineDecoder`: the generic stream and decoder invariants, then
/// Ultra 2's own: every line's text is 1–96 bytes without CR or LF, starts with a capital
/// letter, `?` or `@`, and sums to the checksum it carried; a record line is a `P "` line of 54
/// characters (45 for the original OneTouch Ultra); and
/// the dump assembly takes every line without trapping. The control flag is unused.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let lines = DecoderInvariants.check(Ultra2LineDecoder(), input, fastPathIsComplete: true)
    var dump = Ultra2Dump()
    for line in lines {
        let text = line.text.array
        DecoderInvariants.expect(!text.isEmpty && text.count <= InlineBytes.capacity && !text.contains(0x0D) && !text.contains(0x0A)
                                 && ((0x41...0x5A).contains(text[0]) || text[0] == 0x3F || text[0] == 0x40)
                                 && Checksum.sum16(text) == line.checksum, "line \(Hex.string(text)) is not well formed")
        if case .record = line.kind {
            // 54 characters (Ultra 2) or 45 (the original OneTouch Ultra: no meal, no comment).
            DecoderInvariants.expect((text.count == 54 || text.count == 45) && text.starts(with: Array("P \"".utf8)),
                                     "record from \(line.text.text())")
        }
        if case let .entry(entry) = dump.consume(line) {
            _ = entry.reading(profileID: "fuzz", serial: dump.serial ?? "unknown")
        }
        _ = (line.serial, line.displayUnit)
    }
    return 0
}

/// Seeds from the Ultra 2 test vectors: the Tidepool dump (header and three records), the
/// clock and `T` replies, constructed control-solution and parity records, a CR-only copy and
/// a noisy copy.
func fuzzSeeds() -> [[UInt8]] {
    let dump = ["P 003,\"GMF600DCY\",\"MG/DL \" 05A6\r\n",
                "P \"SAT\",\"03/21/15\",\"16:45:24   \",\"  081 \",\"N\",\"03\", 00 09B6\r\n",
                "P \"SAT\",\"03/21/15\",\"16:42:11   \",\"  105 \",\"B\",\"02\", 00 099F\r\n",
                "P \"SAT\",\"03/21/15\",\"16:39:46   \",\"  176 \",\"N\",\"02\", 00 09C1\r\n"].map { Array($0.utf8) }
    let other = Array("T 0054\rT \"SAT\",\"08/03/13\",\"22:12:00   \" 0608\r".utf8)
        + Ultra2Line.encode("F \"SAT\",\"08/03/13\",\"22:12:00   \"") + Ultra2Line.encode("@ \"GMF600DCY\"")
        + Ultra2Line.encode("SU?,\"MG/DL \"") + Ultra2Line.encode("?P2.04.00")
        + Ultra2Line.encode("P \"SAT\",\"03/21/15\",\"16:45:24   \",\"C 081 \",\"A\",\"11\", 00")
        + Ultra2Line.encode("P \"SAT\",\"03/21/15\",\"16:45:24   \",\"  081?\",\"N\",\"00\", 00")
    var bad = dump[1]
    bad[20] = UInt8(ascii: "9")
    let noisy = Array("\u{0}zz".utf8) + dump[0] + bad + Array("Pq".utf8) + dump[2] + dump[3]
    let crOnly = dump.flatMap { $0.dropLast() }
    return [FuzzInput.seed(dump.flatMap { $0 }), FuzzInput.seed(other), FuzzInput.seed(noisy), FuzzInput.seed(crOnly)]
}
