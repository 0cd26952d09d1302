import FrameParsing
import PocGateCore

/// libFuzzer target for `GlucoMenAreoBlockDecoder`: the generic stream and decoder invariants,
/// then the areo's own: every block re-encodes (`[` line, content lines, CRC-8/MAXIM line, `]`
/// line) to a block of at most the maximum length that decodes to itself, no content line
/// holds a LF or is longer than the line bound, and the dump assembly takes every block without
/// trapping; every reading it makes is glucose in mg/dL or mmol/L with a LOINC code. The
/// control flag is unused.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let blocks = DecoderInvariants.check(GlucoMenAreoBlockDecoder(), input, fastPathIsComplete: true)
    var dump = GlucoMenAreoDump()
    for block in blocks {
        DecoderInvariants.expect(!block.lines.isEmpty, "block without content lines")
        for line in block.lines {
            DecoderInvariants.expect(!line.contains(0x0A) && line.count <= GlucoMenAreoBlockDecoder.maximumLineLength,
                                     "content line \(Hex.string(line)) holds a LF or is too long")
        }
        let wire = GlucoMenAreoBlock.encode(lines: block.lines)
        DecoderInvariants.expect(wire.count <= GlucoMenAreoBlockDecoder.maximumBlockLength, "block longer than the bound")
        var again = FrameStream(GlucoMenAreoBlockDecoder())
        again.append(wire)
        DecoderInvariants.expect(again.next() == block, "block does not re-encode to itself")
        switch dump.consume(block) {
        case let .readings(entries):
            for entry in entries {
                if case let .success(r) = entry.reading(profileID: "fuzz", serial: dump.info?.serial ?? "unknown") {
                    DecoderInvariants.expect(r.kind == .glucose && (r.unit == "mg/dL" || r.unit == "mmol/L") && !r.code.isEmpty,
                                             "reading \(r.value) \(r.unit) from \(Hex.string(entry.raw))")
                }
            }
        case .info, .problem:
            break
        }
    }
    return 0
}

/// Seeds from the areo test vectors (checksums from PyPI crcmod): the information reply, a
/// readings reply, the empty-memory reply, a reply with other types and markings, and a noisy
/// copy with an abandoned block.
func fuzzSeeds() -> [[UInt8]] {
    func wire(_ lines: [String], _ crc: String) -> [UInt8] {
        Array(("[\r\n" + lines.map { $0 + "\r\n" }.joined() + crc + "\r\n]\r\n").utf8)
    }
    let info = wire(["AREO,01,00,  GM1234567 ,V1.03"], "E5")
    let readings = wire(["Glu,120,mg/dL,02,240615,0830", "Glu,98,mg/dL,04,240614,2115", "Glu,5.6,mmol/L,00,240101,0005"], "A2")
    let empty: [UInt8] = [0x5B, 0x0D, 0x0A, 0x90, 0x3D, 0x0D, 0x0A] + Array("A5\r\n]\r\n".utf8)
    let mixed = wire(["Glu,101,mg/dL,01,240612,1200", "Ket,0.4,mmol/L,00,240613,0700", "Glu,87,mg/dL,08,240611,0600",
                      "Glu,110,mg/dL,00,240610,1900"], "80")
    let noisy: [UInt8] = [0xA2, 0x00, 0x5B, 0x41] + Array("[\r\nGlu,1".utf8) + info + [0xFF, 0x80] + readings
    return [FuzzInput.seed(info + readings), FuzzInput.seed(empty), FuzzInput.seed(info + mixed), FuzzInput.seed(noisy)]
}
