/// The text half of `FrameSketcher`: recognises a printable line protocol and looks for a hex
/// checksum at the end of its lines.
enum TextSketcher {
    /// Findings when `bytes` are (nearly all) printable text with at least three line ends;
    /// nil for binary captures.
    static func sketch(_ bytes: [UInt8]) -> FrameSketch.TextFindings? {
        guard !bytes.isEmpty else { return nil }
        let printable = bytes.filter { (0x20...0x7E).contains($0) || $0 == 0x0D || $0 == 0x0A || $0 == 0x09 }.count
        guard printable * 10 >= bytes.count * 9 else { return nil }
        let cr = bytes.filter { $0 == 0x0D }.count, lf = bytes.filter { $0 == 0x0A }.count
        let crlf = zip(bytes, bytes.dropFirst()).filter { $0 == 0x0D && $1 == 0x0A }.count
        let lineEnd: String, separator: UInt8
        if crlf >= 3, crlf * 10 >= max(cr, lf) * 9 { lineEnd = "\r\n"; separator = 0x0A }
        else if lf >= 3, lf >= cr { lineEnd = "\n"; separator = 0x0A }
        else if cr >= 3 { lineEnd = "\r"; separator = 0x0D }
        else { return nil }
        let lines = bytes.split(separator: separator).map { Array($0.filter { $0 != 0x0D && $0 != 0x0A }) }.filter { !$0.isEmpty }
        var firsts: [UInt8: Int] = [:]
        for l in lines { firsts[l[0], default: 0] += 1 }
        var punct: [UInt8: Int] = [:]
        for l in lines { for b in l.dropFirst() where Self.isSeparatorCandidate(b) { punct[b, default: 0] += 1 } }
        let leading = firsts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(3).map { Character(Unicode.Scalar($0.key)) }
        let sep = punct.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }.map { Character(Unicode.Scalar($0.key)) }
        return FrameSketch.TextFindings(lineEnd: lineEnd, lines: lines.count, leadingCharacters: leading,
                                        separator: sep, checksum: checksum(lines))
    }

    private static func isSeparatorCandidate(_ b: UInt8) -> Bool {
        [UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "^")].contains(b)
    }

    /// A trailing 2- or 4-digit hex token that is the sum of the text before it, for every line
    /// that ends in such a token (at least three such lines, 90 % of them matching).
    static func checksum(_ lines: [[UInt8]]) -> FrameSketch.TextChecksum? {
        var best: FrameSketch.TextChecksum?
        for digits in [4, 2] {
            let candidates = lines.filter { $0.count > digits + 1 && $0.suffix(digits).allSatisfy { ASCIIHex.digit($0) != nil } }
            guard candidates.count >= 3 else { continue }
            for coverFrom in 0...2 {
                for gap in 0...1 {
                    var matching = 0
                    for l in candidates {
                        let end = l.count - digits - gap
                        guard end > coverFrom else { continue }
                        let carried = l.suffix(digits).reduce(0) { $0 << 4 | Int(ASCIIHex.digit($1)!) }
                        let sum = l[coverFrom..<end].reduce(0) { $0 + Int($1) }
                        if sum & (digits == 4 ? 0xFFFF : 0xFF) == carried { matching += 1 }
                    }
                    guard matching >= 3, matching * 10 >= candidates.count * 9 else { continue }
                    let finding = FrameSketch.TextChecksum(family: digits == 4 ? "sum16" : "sum8", digits: digits,
                                                           coverFrom: coverFrom, gap: gap, matching: matching,
                                                           candidates: candidates.count)
                    if best == nil || matching > best!.matching { best = finding }
                }
            }
        }
        return best
    }
}
