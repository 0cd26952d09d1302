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

    /// Risk: an original OneTouch Ultra (before the Ultra 2) read as nothing: its record line has
    /// no meal and no comment field. The bytes are a public trace of a real meter (firmware
    /// `P02.00.01`, serial TKF8EA0RT, one record of 91 mg/dL) answering DM@ and DMP, as its
    /// vendor's software read it; every checksum in it verifies.
    @Test func theOriginalOneTouchUltrasRecordLineIsRead() {
        let trace = Array("@ \"TKF8EA0RT\" 031D\r\n".utf8)
            + Array("P 001,\"TKF8EA0RT\",\"MG/DL \" 05CD\r\n".utf8)
            + Array("P \"SAT\",\"08/09/14\",\"17:21:48   \",\"  091 \", 00 0831\r\n".utf8)
        let result = Ultra2Dump.decodeCapture(trace, profileID: "p")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.deviceSerial == "TKF8EA0RT")
        let reading = result.readings.first
        #expect(result.readings.count == 1)
        #expect(reading?.value == ExactDecimal(91) && reading?.unit == "mg/dL" && reading?.code == "41653-7")
        #expect(reading?.deviceTime == LocalDateTime(year: 2014, month: 8, day: 9, hour: 17, minute: 21, second: 48))
        #expect(reading?.flags.isEmpty == true, "no meal or comment was marked")
        // A control-solution result and a parity mark read as on the Ultra 2.
        let control = Ultra2Dump.decodeCapture(
            Ultra2Line.encode("P \"SAT\",\"08/09/14\",\"17:25:00   \",\"C 120?\", 00"), profileID: "p")
        #expect(control.readings.isEmpty && control.problems.count == 1, "\(control.problems)")
        // One character off the 45-character layout is not a record.
        let broken = Ultra2Dump.decodeCapture(Ultra2Line.encode("P \"SAT\",\"08/09/14\",\"17:21:48   \",\"  091 \",  00"), profileID: "p")
        #expect(broken.readings.isEmpty && broken.problems.count == 1)
    }

    /// Risk: a checked line of an unknown shape silently dropped: it is kept with its text.
    @Test func anUnknownLineIsKeptAsAProblem() {
        let result = Ultra2Dump.decodeCapture(Ultra2Line.encode("X 12,\"whatever\""), profileID: "p")
        #expect(result.problems == ["line of unknown shape: X 12,\"whatever\""])
    }
}
