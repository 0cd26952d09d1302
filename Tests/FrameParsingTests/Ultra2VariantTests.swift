import FrameParsing
import PocGateCore
import Testing

/// What real OneTouch Ultra 2 meters send beyond LifeScan's documented happy path. Lines are
/// built from the published line format (text, space, 16-bit sum as 4 hex digits, CR LF).
@Suite struct Ultra2VariantTests {
    static func header(_ count: Int, serial: String) -> [UInt8] {
        Ultra2Line.encode("P \(String(format: "%03d", count)),\"\(serial)\",\"MG/DL \"")
    }

    static let records: [[UInt8]] = [
        Ultra2Line.encode("P \"SAT\",\"03/21/15\",\"16:45:24   \",\"  081 \",\"N\",\"03\", 00"),
        Ultra2Line.encode("P \"SAT\",\"03/21/15\",\"16:42:11   \",\"  105 \",\"B\",\"02\", 00"),
        // Twins: the same second, value, meal and comment twice (two strips in a row).
        Ultra2Line.encode("P \"SAT\",\"03/21/15\",\"16:39:46   \",\"  176 \",\"N\",\"02\", 00"),
        Ultra2Line.encode("P \"SAT\",\"03/21/15\",\"16:39:46   \",\"  176 \",\"N\",\"02\", 00"),
    ]

    /// Risk: a meter whose serial is not 9 characters was unidentified, so its readings had no
    /// device (or the dump header was not recognised at all and the count was lost).
    @Test(arguments: ["A", "GMF600D", "GMF600DCY", "GMF600DCYX12", String(repeating: "Z", count: 30)])
    func serialsOfAnyLengthAreRead(_ serial: String) {
        let header = Ultra2Dump.decodeCapture(Self.header(4, serial: serial) + Self.records.flatMap { $0 }, profileID: "p")
        #expect(header.deviceSerial == serial)
        #expect(header.readings.count == 4 && header.readings.allSatisfy { $0.deviceSerial == serial })
        #expect(header.problems.isEmpty)
        let line = Ultra2Dump.decodeCapture(Ultra2Line.encode("@ \"\(serial)\""), profileID: "p")
        #expect(line.deviceSerial == serial)
    }

    /// An empty serial or one holding a quote is not a serial: the line is kept as a problem.
    @Test func anEmptySerialIsNotAnIdentity() {
        let result = Ultra2Dump.decodeCapture(Ultra2Line.encode("@ \"\""), profileID: "p")
        #expect(result.deviceSerial == nil)
        #expect(result.problems.count == 1)
    }

    /// Risk: a host that sends DMP twice gets the whole dump twice in one session; the twins of
    /// the second copy must get the first copy's keys (stored once), whether or not the second
    /// header survived the line.
    @Test(arguments: [true, false])
    func aDumpSentTwiceGivesEachRecordOneKey(secondHeaderArrives: Bool) {
        let copy = Self.records.flatMap { $0 }
        let bytes = Self.header(4, serial: "GMF600DCY") + copy + (secondHeaderArrives ? Self.header(4, serial: "GMF600DCY") : []) + copy
        let result = Ultra2Dump.decodeCapture(bytes, profileID: "p")
        let keys = result.readings.map(\.recordKey)
        #expect(keys.count == 8)
        #expect(Array(keys.prefix(4)) == Array(keys.suffix(4)), "the second copy made new keys: \(keys)")
        #expect(Set(keys).count == 4, "twins must stay two records, the copy must add none")
    }

    /// Risk: a checked line of an unknown shape silently dropped: it is kept with its text.
    @Test func anUnknownLineIsKeptAsAProblem() {
        let result = Ultra2Dump.decodeCapture(Ultra2Line.encode("X 12,\"whatever\""), profileID: "p")
        #expect(result.problems == ["line of unknown shape: X 12,\"whatever\""])
    }
}
