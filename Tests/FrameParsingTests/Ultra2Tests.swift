import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// OneTouch Ultra 2 "DM" reply lines. V = seen in a public source (checksums recomputed).
@Suite struct Ultra2Tests {
    /// The Tidepool dump vectors (V): header and three records, each `text CCCC` CR LF.
    static let dump: [[UInt8]] = [
        "P 003,\"GMF600DCY\",\"MG/DL \" 05A6\r\n",
        "P \"SAT\",\"03/21/15\",\"16:45:24   \",\"  081 \",\"N\",\"03\", 00 09B6\r\n",
        "P \"SAT\",\"03/21/15\",\"16:42:11   \",\"  105 \",\"B\",\"02\", 00 099F\r\n",
        "P \"SAT\",\"03/21/15\",\"16:39:46   \",\"  176 \",\"N\",\"02\", 00 09C1\r\n",
    ].map { Array($0.utf8) }

    static var verifier: DecoderVerifier<Ultra2LineDecoder> { DecoderVerifier(Ultra2LineDecoder()) }

    @Test func vectorsDecode() throws {
        let lines = Self.verifier.frames(Self.dump.flatMap { $0 })
        #expect(lines.count == 4)
        #expect(lines.first?.kind == .dumpHeader(count: 3))
        #expect(lines.first?.serial == "GMF600DCY")
        #expect(lines.first?.displayUnit == "mg/dL")
        guard case let .record(r) = try #require(lines.dropFirst().first).kind else {
            Issue.record("not a record")
            return
        }
        #expect(r == Ultra2Record(time: LocalDateTime(year: 2015, month: 3, day: 21, hour: 16, minute: 45, second: 24), mgdL: 81,
                                  controlSolution: false, parityError: false, meal: UInt8(ascii: "N"), comment: 3))
    }

    @Test func clockAndOtherRepliesWithGUVectors() {
        let lines = Self.verifier.frames(Array("T 0054\rT \"SAT\",\"08/03/13\",\"22:12:00   \" 0608\r".utf8))   // V
        #expect(lines.map(\.kind) == [.other, .other])
        let clock = Self.verifier.frames(Ultra2Line.encode("F \"SAT\",\"08/03/13\",\"22:12:00   \""))
        #expect(clock.first?.kind == .clock(LocalDateTime(year: 2013, month: 8, day: 3, hour: 22, minute: 12)))
        #expect(Self.verifier.frames(Ultra2Line.encode("@ \"GMF600DCY\"")).first?.serial == "GMF600DCY")
        #expect(Self.verifier.frames(Ultra2Line.encode("SU?,\"MMOL/L\"")).first?.displayUnit == "mmol/L")
    }

    @Test func dumpBecomesReadingsWithFlags() {
        let result = Ultra2Dump.decodeCapture(Self.dump.flatMap { $0 }, profileID: "p")
        #expect(result.problems.isEmpty)
        #expect(result.deviceSerial == "GMF600DCY")
        #expect(result.readings.map(\.value) == [ExactDecimal(81), ExactDecimal(105), ExactDecimal(176)])
        #expect(result.readings.map(\.flags) == [[.mildExercise], [.beforeMeal, .tooMuchFood], [.tooMuchFood]])
        #expect(result.readings.map(\.recordKey).first == "2015-03-21T16:45:24|81|-N|3|0")
        #expect(result.readings.allSatisfy { $0.unit == "mg/dL" && $0.code == "41653-7" })
        #expect(result.readings.first?.raw == Array(Self.dump[1].dropLast(2)))
    }

    @Test func controlSolutionAndParityError() {
        let control = Ultra2Line.encode("P \"SAT\",\"03/21/15\",\"16:45:24   \",\"C 081 \",\"A\",\"11\", 00")   // C
        let parity = Ultra2Line.encode("P \"SAT\",\"03/21/15\",\"16:45:24   \",\"  081?\",\"N\",\"00\", 00")   // C
        let result = Ultra2Dump.decodeCapture(control + parity, profileID: "p")
        #expect(result.readings.map(\.flags) == [[.afterMeal, .controlSolution, .otherComment]])
        #expect(result.problems.count == 1 && result.problems[0].contains("parity"))
    }

    @Test func zeroLogAndSetClockCanNeverBeTransmitted() {
        #expect(!Ultra2Command.mayTransmit([0x11, 0x0D] + Array("DMZ".utf8) + [0x0D]))
        #expect(!Ultra2Command.mayTransmit([0x11, 0x0D] + Array("DMT08/03/13 22:12:00".utf8) + [0x0D]))
        #expect(!Ultra2Command.mayTransmit(Array("DMP".utf8)))
        for c in Ultra2Command.allCases { #expect(Ultra2Command.mayTransmit(c.bytes)) }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") where ![UInt8(ascii: "P"), UInt8(ascii: "F")].contains(c) {
            #expect(!Ultra2Command.mayTransmit([0x11, 0x0D, 0x44, 0x4D, c, 0x0D]))
        }
    }

    @Test func badChecksumAndGarbageResynchronise() {
        var noisy = Array("\u{0}zz".utf8) + Self.dump[0]
        var bad = Self.dump[1]; bad[20] = UInt8(ascii: "9")                       // corrupted digit
        noisy += bad + Array("Pq".utf8) + Self.dump[2] + Self.dump[3]
        let (lines, counters) = Self.verifier.frames([noisy])
        #expect(lines.map(\.checksum) == [0x05A6, 0x099F, 0x09C1])
        #expect(counters.badChecksums >= 1)
        #expect(Self.verifier.splitFailures(noisy, randomSplits: 150).isEmpty)
    }

    @Test func lineEndingsCROnlyOrCRLF() {
        let crOnly = Self.dump.map { Array($0.dropLast()) }.flatMap { $0 }
        #expect(Self.verifier.frames(crOnly) == Self.verifier.frames(Self.dump.flatMap { $0 }))
    }

    @Test func randomGarbageKeepsPendingBounded() {
        #expect(Self.verifier.garbageFailures().isEmpty)
    }

    @Test func tenPercentGarbageLosesNoIntactLine() {
        let clean = Self.verifier.frames(Self.dump.flatMap { $0 })
        for seed: UInt64 in 1...20 {
            let capture = DecoderVerifier<Ultra2LineDecoder>.withGarbage(Self.dump, fraction: 0.10, seed: seed)
            #expect(Self.verifier.frames(capture) == clean, "seed \(seed)")
        }
    }
}
