import FrameParsing

/// libFuzzer target for SCP-ECG: `SCPFrameDecoder`'s stream and decoder invariants on the
/// input as a byte stream, every frame through the full record decoder; then the input taken
/// as one record whose length field, section CRCs and record CRC this target rewrites, so
/// mutations reach the section parsers (pointers, tags, lead definitions, Huffman tables,
/// rhythm data, measurements) instead of stopping at a CRC. Any refusal must be an
/// `SCPProblem`; a trap or an out-of-bounds read is a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let frames = DecoderInvariants.check(SCPFrameDecoder(), input, fastPathIsComplete: true)
    for frame in frames {
        DecoderInvariants.expect(frame.bytes.count >= SCPRecord.minimumLength, "frame shorter than a record header")
        if case let .success((readings, record)) = SCPDump.readings(frame, profileID: "fuzz") {
            DecoderInvariants.expect(readings.first?.waveform == record.waveform, "the waveform reading lost samples")
        }
    }
    let resealed = reseal(Array(input.stream))
    if let record = try? SCPRecord(resealed) {
        DecoderInvariants.expect(record.rhythm.samples.count == record.leads.leads.count, "rhythm leads differ from section 3")
        for (lead, samples) in zip(record.leads.leads, record.rhythm.samples) {
            DecoderInvariants.expect(samples.count == lead.sampleCount, "lead \(lead.name) decoded \(samples.count) of \(lead.sampleCount)")
        }
        _ = record.ecgRecord()
    }
    return 0
}

/// `bytes` with a consistent record length, every in-bounds section CRC (section 0 last) and
/// the record CRC rewritten.
func reseal(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= SCPRecord.minimumLength else { return bytes }
    var r = bytes
    let n = r.count
    r[2] = UInt8(n & 0xFF); r[3] = UInt8(n >> 8 & 0xFF); r[4] = UInt8(n >> 16 & 0xFF); r[5] = UInt8(n >> 24 & 0xFF)
    func u32(_ i: Int) -> Int { Int(r[i]) | Int(r[i + 1]) << 8 | Int(r[i + 2]) << 16 | Int(r[i + 3]) << 24 }
    func fix(_ offset: Int, _ length: Int) {
        guard length >= 16, offset >= 0, offset + length <= n else { return }
        let c = CRC16.ccittFalse.checksum(r[(offset + 2)..<(offset + length)])
        r[offset] = UInt8(c & 0xFF); r[offset + 1] = UInt8(c >> 8)
    }
    let section0 = u32(10)
    if section0 >= 16 && 6 + section0 <= n {
        var p = 6 + 16
        while p + 10 <= 6 + section0 {
            let length = u32(p + 2), index = u32(p + 6)
            if index >= 1 && length >= 16 && index - 1 != 6 { fix(index - 1, length) }
            p += 10
        }
        fix(6, section0)
    }
    let c = CRC16.ccittFalse.checksum(r[2...])
    r[0] = UInt8(c & 0xFF); r[1] = UInt8(c >> 8)
    return r
}

/// Seeds: the hand-built minimal record of the tests (one lead, the standard's Huffman example),
/// variants of it (first difference flag, uncompressed flag, custom table count), a noisy
/// stream of two records, and a record with a broken CRC.
func fuzzSeeds() -> [[UInt8]] {
    let minimal = Hex.parse("""
        6079C200000048FF000042000000141453435045434700004200000007000000010026000000490000000200120000006F00000003001B00\
        0000810000000600270000009C000000A0DA0100260000001414000000000000020300503100190400E807060F1A0300081E05FF0000A356\
        02001200000014140000000000001F4E70CE03001B0000001414000000000000010C010000001C0000000201C80600270000001414000000\
        000000E803D00702000F00FF837FE0E6F1536559B65B964B9600
        """)!
    var firstDifference = minimal
    firstDifference[155 + 16 + 4] = 1
    var customTables = minimal
    customTables[110 + 16] = 1; customTables[110 + 17] = 0
    var badCRC = minimal
    badCRC[0] ^= 0xFF
    let noisy: [UInt8] = [0x53, 0x43, 0x50] + minimal + [0x00] + reseal(firstDifference)
    return [FuzzInput.seed(minimal), FuzzInput.seed(reseal(firstDifference)), FuzzInput.seed(reseal(customTables)),
            FuzzInput.seed(noisy), FuzzInput.seed(badCRC + minimal)]
}
