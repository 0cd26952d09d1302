import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// GlucoMen areo reply blocks. The layout is public (glucometerutils' driver, untested there);
/// every block here is constructed (C). Each checksum was computed independently with PyPI
/// `crcmod` 1.7, `mkPredefinedCrcFun("crc-8-maxim")`, over every byte before the checksum line,
/// and is hard-coded.
@Suite struct GlucoMenAreoTests {
    static func wire(_ lines: [String], checksum: String) -> [UInt8] {
        Array(("[\r\n" + lines.map { $0 + "\r\n" }.joined() + checksum + "\r\n]\r\n").utf8)
    }

    static let infoLines = ["AREO,01,00,  GM1234567 ,V1.03"]
    static let readingLines = ["Glu,120,mg/dL,02,240615,0830", "Glu,98,mg/dL,04,240614,2115", "Glu,5.6,mmol/L,00,240101,0005"]
    static let mixedLines = ["Glu,101,mg/dL,01,240612,1200", "Ket,0.4,mmol/L,00,240613,0700", "Glu,87,mg/dL,08,240611,0600",
                             "Glu,110,mg/dL,00,240610,1900"]
    /// crcmod: E5, A2, 80; the empty-memory block (`90 3D`) A5.
    static let info = wire(infoLines, checksum: "E5")
    static let readings = wire(readingLines, checksum: "A2")
    static let mixed = wire(mixedLines, checksum: "80")
    static let empty: [UInt8] = [0x5B, 0x0D, 0x0A, 0x90, 0x3D, 0x0D, 0x0A] + Array("A5\r\n]\r\n".utf8)

    static var verifier: DecoderVerifier<GlucoMenAreoBlockDecoder> { DecoderVerifier(GlucoMenAreoBlockDecoder()) }

    static func events(_ bytes: [UInt8]) -> [GlucoMenAreoEvent] {
        var dump = GlucoMenAreoDump()
        return verifier.frames(bytes).map { dump.consume($0) }
    }

    /// Risk: a checksum computed over the wrong bytes (without the `[` line, with the checksum
    /// line) accepting damaged replies or refusing every good one.
    @Test func checksumsMatchTheIndependentVectors() {
        for (block, crc) in [(Self.info, 0xE5), (Self.readings, 0xA2), (Self.mixed, 0x80), (Self.empty, 0xA5)] as [([UInt8], UInt8)] {
            let frames = Self.verifier.frames(block)
            #expect(frames.count == 1 && frames.first?.checksum == crc)
            #expect(CRC8.maxim.checksum(block.prefix(block.count - 7)) == crc)
        }
        #expect(GlucoMenAreoBlock.encode(lines: Self.infoLines.map { Array($0.utf8) }) == Self.info)
        #expect(GlucoMenAreoBlock.encode(lines: [GlucoMenAreoBlock.noReadingsLine]) == Self.empty)
    }

    @Test func informationGivesSerialWithoutSpacesAndFirmware() {
        #expect(Self.events(Self.info) == [.info(GlucoMenAreoInfo(serial: "GM1234567", firmware: "V1.03"))])
    }

    /// Risk: a unit converted or lost at the codec (the unit policy decides), a meal mark lost.
    @Test func readingsKeepTheirUnitAndMealFlags() {
        let capture = GlucoMenAreoDump.decodeCapture(Self.info + Self.readings, profileID: "p")
        #expect(capture.problems.isEmpty && capture.deviceSerial == "GM1234567")
        let r = capture.readings
        #expect(r.map(\.value) == [ExactDecimal(120), ExactDecimal(98), ExactDecimal(mantissa: 56, scale: 1)])
        #expect(r.map(\.unit) == ["mg/dL", "mg/dL", "mmol/L"])
        #expect(r.map(\.code) == ["41653-7", "41653-7", "14743-9"])
        #expect(r.map(\.flags) == [[.beforeMeal], [.afterMeal], []])
        #expect(r[0].deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
        #expect(r.allSatisfy { $0.deviceSerial == "GM1234567" && $0.kind == .glucose && $0.deviceModel == "GlucoMen areo" })
    }

    @Test func emptyMemoryIsNoReadings() {
        #expect(Self.events(Self.info + Self.empty).last == .readings([]))
        let capture = GlucoMenAreoDump.decodeCapture(Self.info + Self.empty, profileID: "p")
        #expect(capture.readings.isEmpty && capture.problems.isEmpty)
    }

    /// Risk: a ketone (or unknown) result read as glucose; a check mark or exercise mark guessed
    /// into a flag that says something else.
    @Test func otherTypesAndUnmappedMarkingsAreKeptAsProblems() {
        let capture = GlucoMenAreoDump.decodeCapture(Self.info + Self.mixed, profileID: "p")
        #expect(capture.readings.map(\.value) == [ExactDecimal(110)])
        #expect(capture.problems.count == 3)
        #expect(capture.problems[0].contains("check mark") && capture.problems[0].contains("Glu,101"))
        #expect(capture.problems[1].contains("other than Glu") && capture.problems[1].contains("Ket,0.4"))
        #expect(capture.problems[2].contains("exercise") && capture.problems[2].contains("Glu,87"))
    }

    /// Risk: a reply damaged on the line stored. The block is skipped whole and counted.
    @Test func aBlockWithABadChecksumIsSkippedAndCounted() {
        var bad = Self.readings
        bad[bad.count - 7] = UInt8(ascii: "B")   // carried "B2" instead of "A2"
        let (frames, counters) = Self.verifier.frames([bad + Self.info])
        #expect(frames.count == 1 && GlucoMenAreoInfo.parse(frames[0]) != nil)
        #expect(counters.badChecksums == 1)
        var flipped = Self.readings
        flipped[8] = UInt8(ascii: "9")   // a value digit changed, the checksum kept
        #expect(Self.verifier.frames(flipped).isEmpty)
    }

    @Test func garbageEchoAndAbandonedBlocksResync() {
        let noise: [UInt8] = [0xA2, 0x00, 0xFF, 0x5B, 0x41, 0x5D, 0x0D, 0x0A]
        let abandoned = Array("[\r\nGlu,120,mg/dL,00,240615,08".utf8) + Array("\r\n".utf8)
        let frames = Self.verifier.frames(noise + abandoned + Self.info + noise + Self.readings)
        #expect(frames.count == 2)
        #expect(frames.map(\.lines.count) == [1, 3])
    }

    @Test func randomSplitsGiveTheSameBlocks() {
        let stream = DecoderVerifier<GlucoMenAreoBlockDecoder>.withGarbage([Self.info, Self.readings, Self.empty, Self.mixed], avoiding: [0x5B])
        #expect(Self.verifier.splitFailures(stream).isEmpty)
        #expect(Self.verifier.garbageFailures().isEmpty)
    }

    /// Risk: a replug duplicating readings. Keys depend only on the content; twins differ by n.
    @Test func recordKeysAreStableAndTwinsStayApart() {
        let twin = Self.wire(["Glu,120,mg/dL,02,240615,0830", "Glu,120,mg/dL,02,240615,0830"], checksum: "F3")
        let first = GlucoMenAreoDump.decodeCapture(Self.info + Self.readings + twin, profileID: "p")
        let again = GlucoMenAreoDump.decodeCapture(Self.info + Self.readings + twin, profileID: "p")
        #expect(first.readings.map(\.recordKey) == again.readings.map(\.recordKey))
        #expect(first.readings[0].recordKey == "2024-06-15T08:30|Glu|120|0")
        #expect(Set(first.readings[3...].map(\.recordKey)).count == 2)
    }

    /// Risk: a write (set date/time) or any multi-byte sequence passing the transmit policy.
    @Test func onlyTheTwoReadCommandsMayBeTransmitted() {
        #expect(GlucoMenAreoCommand.mayTransmit([0xA2]) && GlucoMenAreoCommand.mayTransmit([0x80]))
        for bytes: [UInt8] in [[0xC2, 0xA1], [0xC2], [0xA1], [], [0xA2, 0x80], [0x80, 0x80], [0x5B, 0x0D, 0x0A]] {
            #expect(!GlucoMenAreoCommand.mayTransmit(bytes))
        }
        #expect((0...255).filter { GlucoMenAreoCommand.mayTransmit([UInt8($0)]) } == [0x80, 0xA2])
    }
}
