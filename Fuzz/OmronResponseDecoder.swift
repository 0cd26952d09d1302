import FrameParsing

/// libFuzzer target for `OmronResponseDecoder`: the generic stream and decoder invariants
/// (linear cost included), then Omron's own: every answer joins 1 to 6 reports and at most 7
/// bytes each, its reply classification and the dump never trap, a measurement's readings
/// are a coded panel (systolic above diastolic) and a pulse, and the allow-list answers every
/// 9-byte report the input holds without trapping. The control flag reads the input as output
/// reports for the allow-list instead.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let frames = DecoderInvariants.check(OmronResponseDecoder(), input, fastPathIsComplete: true)
    if input.flag {
        let bytes = input.stream
        var i = 0
        while i + 9 <= bytes.count {
            let report = Array(bytes[i..<(i + 9)])
            if OmronCommand.mayTransmit(report) {
                DecoderInvariants.expect(report[0] == 0x00 && (1...7).contains(report[1]),
                                         "allowed report \(Hex.string(report)) has no report id 0 and count 1-7")
            }
            i += 9
        }
        _ = OmronCommand.mayTransmit(Array(bytes.prefix(3)))
    }
    var dump = OmronDump()
    for frame in frames {
        DecoderInvariants.expect(frame.reports >= 1 && frame.reports <= OmronResponse.maximumReports
                                 && frame.bytes.count <= frame.reports * OmronResponse.dataPerReport,
                                 "answer \(frame.bytes) from \(frame.reports) reports is out of bounds")
        if case let .record(record) = dump.consume(frame),
           case let .success(readings) = record.readings(profileID: "fuzz", monitorSerial: "s", model: "m") {
            DecoderInvariants.expect(readings[0].code == "85354-9" && record.systolic > record.diastolic && record.diastolic > 0
                                     && readings.count == (record.pulse > 0 ? 2 : 1),
                                     "measurement \(Hex.string(record.payload)) gave \(readings)")
        }
    }
    return 0
}

/// Seeds from the Omron test vectors: the answers of a captured read (wake-up OK, count, NO,
/// a measurement, END's OK and OFF), empty and over-count reports, and the session's output
/// reports for the allow-list.
func fuzzSeeds() -> [[UInt8]] {
    let session = Hex.parse("02 4F 4B 00 06 00 00 00  07 4F 4B 00 00 10 00 01  01 11 4B 00 00 10 00 01  02 4E 4F 00 00 11 00 02"
        + " 07 4F 4B 00 08 04 15 10  07 0A 2E 00 00 81 4E 4D  03 00 00 AF 00 81 4E 4D  02 4F 4B AF 00 81 4E 4D"
        + " 05 4F 46 46 0D 0A 4E 4D")!
    let noisy = Hex.parse("00 00 00 00 00 00 00 00  08 60 00 00 00 00 00 00  07 4F 4B 00 07 01 03 00")! + session
    let output = (OmronCommand.wake.reports + OmronCommand.readingCount(bank: 1).reports
        + OmronCommand.reading(bank: 0, index: 3).reports + OmronCommand.end.reports).flatMap { $0 }
    return [FuzzInput.seed(session), FuzzInput.seed(noisy), FuzzInput.seed(output, flag: true)]
}
