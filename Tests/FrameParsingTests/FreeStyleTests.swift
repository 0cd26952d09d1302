import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// FreeStyle Optium `$xmem` dumps. The notes give the layout (V) but no dump with a checksum,
/// so every dump here is constructed (C) and its checksum computed independently.
@Suite struct FreeStyleTests {
    static let lines = [
        "", "QAGP123-45678", "0.22", "June 15 2024 09:05:30", "003",
        "120  June 15 2024 08:30 G 0x00",
        "085  Jan  04 2024 13:37 G 0x00",
        "110  Jan  01 2024 21:14 G 0x00",
    ]
    /// C: checksum 0x1CB1 computed with python3 over every byte before `0x`.
    static let dump: [[UInt8]] = lines.map { Array(($0 + "\r\n").utf8) } + [Array("0x1CB1  END\r\n".utf8), Array("CMD OK\r\n".utf8)]

    static var verifier: DecoderVerifier<FreeStyleLineDecoder> { DecoderVerifier(FreeStyleLineDecoder()) }

    /// A dump of `records` result lines with a correct checksum.
    static func makeDump(_ records: [String]) -> [UInt8] {
        let body = (["", "QAGP123-45678", "0.22", "June 15 2024 09:05:30", String(repeating: "0", count: 3 - String(records.count).count) + String(records.count)]
                    + records).map { $0 + "\r\n" }.joined()
        let sum = Checksum.sum16(Array(body.utf8))
        return Array(body.utf8) + Array("0x".utf8) + ASCIIHex.encode4(sum) + Array("  END\r\nCMD OK\r\n".utf8)
    }

    @Test func linesClassify() {
        let kinds = Self.verifier.frames(Self.dump.flatMap { $0 }).map(\.kind)
        #expect(kinds.count == 10)
        #expect(kinds[0] == .blank && kinds[1] == .text && kinds[2] == .text)
        #expect(kinds[3] == .clock(LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5, second: 30)))
        #expect(kinds[4] == .count(3))
        #expect(kinds[5] == .record(FreeStyleRecord(time: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30),
                                                    value: 120, type: UInt8(ascii: "G"), marker: 0)))
        #expect(kinds[8] == .end(checksum: 0x1CB1) && kinds[9] == .commandOK)
    }

    @Test func dumpBecomesReadings() {
        #expect(Self.makeDump(Array(Self.lines[5...])) == Self.dump.flatMap { $0 })
        let result = FreeStyleDump.decodeCapture(Self.dump.flatMap { $0 }, profileID: "p")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.deviceSerial == "QAGP123-45678")
        #expect(result.readings.map(\.value) == [ExactDecimal(120), ExactDecimal(85), ExactDecimal(110)])
        #expect(result.readings.map(\.deviceTime.description) == ["2024-06-15T08:30:00", "2024-01-04T13:37:00", "2024-01-01T21:14:00"])
        #expect(result.readings.first?.recordKey == "2024-06-15T08:30|120|G|00|0")
        #expect(result.readings.allSatisfy { $0.unit == "mg/dL" && $0.flags.isEmpty })
    }

    @Test func julyAndEveryMonthName() {
        let months = ["Jan ", "Feb ", "Mar ", "Apr ", "May ", "June", "July", "Aug ", "Sep ", "Oct ", "Nov ", "Dec "]
        let records = months.map { "100  \($0) 10 2023 12:00 G 0x00" }
        let result = FreeStyleDump.decodeCapture(Self.makeDump(records), profileID: "p")
        #expect(result.readings.map(\.deviceTime.month) == Array(1...12))
        #expect(FreeStyleDump.decodeCapture(Self.makeDump(["100  Jul  10 2023 12:00 G 0x00"]), profileID: "p").readings.isEmpty)
    }

    @Test func highKetoneAndUnknownMarkerAreProblemsNotReadings() {
        let result = FreeStyleDump.decodeCapture(Self.makeDump([
            "HI   June 15 2024 08:30 G 0x00", "003  June 15 2024 08:31 K 0x00", "100  June 15 2024 08:32 G 0x01",
            "101  June 15 2024 08:33 G 0x00",
        ]), profileID: "p")
        #expect(result.readings.map(\.value) == [ExactDecimal(101)])
        #expect(result.problems.count == 3)
        #expect(result.problems[0].contains("HI") && result.problems[1].contains("ketone") && result.problems[2].contains("marker"))
    }

    @Test func badChecksumOrCountDropsTheWholeDump() {
        var dump = Self.dump
        dump[7][2] = UInt8(ascii: "9")                   // 110 becomes 119
        let bad = dump.flatMap { $0 }
        let r1 = FreeStyleDump.decodeCapture(bad, profileID: "p")
        #expect(r1.readings.isEmpty && r1.problems.count == 1 && r1.problems[0].contains("checksum"))
        let short = Self.makeDump(Array(Self.lines[5...])).split(separator: 0x0A, omittingEmptySubsequences: false)
        var lines = short.map { Array($0) + [0x0A] }
        lines.remove(at: 6)                               // drop a result line, fix nothing
        let r2 = FreeStyleDump.decodeCapture(lines.flatMap { $0 }.dropLast(), profileID: "p")
        #expect(r2.readings.isEmpty && r2.problems.count == 1)
    }

    @Test func lowIsNotGuessed() {
        // LO is not documented: a "LO " line stands where a result should and the dump is dropped.
        let result = FreeStyleDump.decodeCapture(Self.makeDump(["LO   June 15 2024 08:30 G 0x00"]), profileID: "p")
        #expect(result.readings.isEmpty && result.problems.first?.contains("unexpected line") == true)
    }

    @Test func memoryDumpOnlyIsTransmittable() {
        #expect(FreeStyleCommand.mayTransmit(Array("$xmem\r\n".utf8)))
        #expect(FreeStyleCommand.mayTransmit(Array("$colq\r\n".utf8)))
        #expect(!FreeStyleCommand.mayTransmit(Array("$tim,06,15,24,08,30\r\n".utf8)))
        for other in ["$coly", "$cksm", "$dtim", "$vrom", "$temp", "$xmem"] {
            #expect(!FreeStyleCommand.mayTransmit(Array((other + "\r\n\r\n").utf8)))
        }
    }

    @Test func anySplitGivesTheSameLines() {
        var noisy: [UInt8] = [0x00, 0xFF] + Self.dump.flatMap { $0 }
        noisy.insert(contentsOf: [0x07, 0x41], at: 60)
        #expect(Self.verifier.splitFailures(noisy, randomSplits: 150).isEmpty)
        #expect(Self.verifier.garbageFailures().isEmpty)
    }

    @Test func tenPercentGarbageLosesNoShapedLine() {
        // Records, clock, END and CMD OK have a fixed shape, so noise before them is removed.
        // Serial, version and blank lines have none; a noisy dump fails its checksum anyway.
        let clean = Self.verifier.frames(Self.dump.flatMap { $0 })
        let shaped = clean.filter { if case .record = $0.kind { return true }; if case .end = $0.kind { return true }; return false }
        for seed: UInt64 in 1...20 {
            let noisy = Self.verifier.frames(DecoderVerifier<FreeStyleLineDecoder>.withGarbage(Self.dump, fraction: 0.10, seed: seed))
            let got = noisy.filter { if case .record = $0.kind { return true }; if case .end = $0.kind { return true }; return false }
            #expect(got.map(\.text) == shaped.map(\.text), "seed \(seed)")
        }
    }
}
