import FrameParsing

/// libFuzzer target for `ASTMFrameDecoder`: the generic stream and decoder invariants, then
/// ASTM's own: a data frame has a number 0…7, at most 240 text bytes without a restricted
/// control byte, a checksum equal to the E1381 sum, and re-encodes to bytes that decode to
/// the same frame; the receiver (assembler, E1394 records, result mapping) takes every event
/// without trapping and only ever answers ACK or NAK. The control flag is unused.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let events = DecoderInvariants.check(ASTMFrameDecoder(), input, fastPathIsComplete: true)
    var receiver = ASTMReceiver(profileID: "fuzz", analytes: FuzzAnalytes.table)
    for event in events {
        if case let .frame(f) = event {
            let text = f.text.array
            DecoderInvariants.expect(f.number <= 7 && text.count <= ASTMFrameText.capacity
                                     && !text.contains { [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0A, 0x15, 0x17].contains($0) }
                                     && ASTMDataFrame.checksum(number: f.number, text: text, isFinal: f.isFinal) == f.checksum,
                                     "frame \(Hex.string(f.bytes)) is not well formed")
            let again = DecoderVerifierLite.decode(ASTMDataFrame.encode(number: f.number, text: text, isFinal: f.isFinal))
            DecoderInvariants.expect(again == event, "re-encoded frame \(Hex.string(f.bytes)) decodes differently")
        }
        if let reply = receiver.take(event, { _ in }) {
            DecoderInvariants.expect(ASTMReply.mayTransmit([reply.rawValue]), "receiver answered \(reply)")
        }
        if let reply = receiver.rejectedFrame() {
            DecoderInvariants.expect(reply == .nak, "rejected frame answered \(reply)")
        }
    }
    _ = ASTMTransfer.decodeCapture(Array(input.stream), profileID: "fuzz", analytes: FuzzAnalytes.table)
    return 0
}

/// One decode of bytes that should be exactly one event.
enum DecoderVerifierLite {
    static func decode(_ bytes: [UInt8]) -> ASTMEvent? {
        bytes.withUnsafeBytes { raw in
            if case let .frame(e, consumed) = ASTMFrameDecoder().decode(raw), consumed == raw.count { return e }
            return nil
        }
    }
}

/// Seeds from the ASTM test vectors: the python-astm frames, the Contour header and result
/// frames, a whole transfer cut into ETB frames with a damaged frame and a resend, custom
/// delimiters with escapes, and a noisy copy.
func fuzzSeeds() -> [[UInt8]] {
    let vectors = ["\u{02}1A|B|C|D\r\u{03}BF\r\n", "\u{02}0H\r\u{03}88\r\n", "\u{02}1foo|1\rb\u{17}A8\r\n", "\u{02}3az|1^2^\u{17}C0\r\n",
                   "\u{02}5R|3|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150\r\u{17}74\r\n", "\u{02}5L|1|N\r\u{03}08\r\n"].map { Array($0.utf8) }
    func transfer(_ records: [String], maxText: Int) -> [UInt8] {
        var out: [UInt8] = [0x05]
        var n: UInt8 = 1
        for (i, r) in records.enumerated() {
            let t = Array(r.utf8) + [0x0D]
            var s = 0
            while s < t.count {
                let e = min(t.count, s + maxText)
                out += ASTMDataFrame.encode(number: n, text: Array(t[s..<e]), isFinal: e == t.count && i == records.count - 1)
                n = (n + 1) & 7
                s = e
            }
        }
        return out + [0x04]
    }
    let contour = transfer(["H|\\^&||7w3LBL|Bayer7390^01.24\\01.04\\09.02.20^7390-2336773^7403-|A=1^U=0^V=10600^Z=1|1714||||||1|201909221304",
                            "P|1", "R|1|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150", "R|2|^^^Glucose|HI|mg/dL^P||C||201505261151", "L|1|N"], maxText: 240)
    var poct = transfer(["H|\\^&|||LipidPro^2.1^LP-0042|||||||P|1|20240615091000", "P|1|PAT-0001", "O|1|S1||^^^TC|R||20240615083000||||Q",
                         "R|1|^^^TC|5.62|mmol/L|3.10-5.20|H\\>||F||||20240615083500", "R|2|^^^UA|<150|umol/L||<||F", "L|1|N"], maxText: 23)
    poct.insert(contentsOf: vectors[2], at: 40)
    let custom = transfer(["H#~*%###Lab*1*S%F%1", "P#1#X%S%Y", "R#1#***Glucose#5.6#mmol/L##L~H##F####202406150830", "L#1"], maxText: 17)
    let noisy = Array("zz\u{0}".utf8) + vectors[0] + [0x02, 0x39] + vectors[4] + Array("\r\n".utf8) + vectors[5]
    return [FuzzInput.seed(vectors.flatMap { $0 }), FuzzInput.seed(contour), FuzzInput.seed(poct), FuzzInput.seed(custom), FuzzInput.seed(noisy)]
}
