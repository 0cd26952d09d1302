import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// The Verio IQ's messages of the LifeScan binary protocol. The request layouts are V
/// (glucometerutils' otverioiq driver, glucometer-protocols' onetouch-verio-iq notes); every
/// whole frame below is C: its CRC computed here and by crcmod's crc-ccitt-false, never seen
/// on a wire (no public test vector frames a Verio IQ message).
@Suite struct LifeScanVerioIQTests {
    static func frame(_ hex: String) -> [UInt8] { Hex.parse(hex)! }

    /// 2024-06-15T08:30:00 as seconds since 2000-01-01.
    static let newest: UInt32 = 771_755_400

    /// A Verio IQ conversation: both directions, in line order, link-control byte 0 throughout.
    static let conversation: [[UInt8]] = [
        frame("02 09 00 03 0D 01 03 10 03"),                                  // C: read version
        frame("02 12 00 03 06 08 30 31 2E 30 38 2E 30 33 00 03 C6 24"),       // C: "01.08.03", NUL
        frame("02 0A 00 03 0B 01 02 03 2A DC"),                               // C: read serial
        frame("02 12 00 03 06 58 34 51 37 32 38 35 56 54 00 03 75 EC"),       // C: "X4Q7285VT", NUL
        frame("02 09 00 03 20 02 03 D4 92"),                                  // C: read clock
        frame("02 0C 00 03 06 E0 0F 00 2E 03 A8 25"),                         // C: 08:40:00
        frame("02 09 00 03 27 00 03 26 71"),                                  // C: record count
        frame("02 0A 00 03 06 02 00 03 9E DA"),                               // C: 2
        frame("02 0A 00 03 21 00 00 03 9D D2"),                               // C: record 0
        frame("02 12 00 03 06 88 0D 00 2E 7B 00 00 01 00 00 03 54 22"),       // C: 123 mg/dL, before meal
        LifeScanRequest.readVerioIQRecord(index: 1).frame().bytes,
        frame("02 12 00 03 06 78 FF FF 2D 58 00 01 00 00 00 03 8A DB"),       // C: 88 mg/dL, control solution
    ]

    @Test func requestsAreTheDocumentedMessages() {
        #expect(LifeScanRequest.readVerioIQVersion.frame().bytes == Self.conversation[0])
        #expect(LifeScanRequest.readVerioIQSerial.frame().bytes == Self.conversation[2])
        #expect(LifeScanRequest.readClock(.verio).frame().bytes == Self.conversation[4])
        #expect(LifeScanRequest.readRecordCount(.verio).frame().bytes == Self.conversation[6])
        #expect(LifeScanRequest.readVerioIQRecord(index: 0).frame().bytes == Self.conversation[8])
        #expect(LifeScanRequest.readVerioIQRecord(index: 0x012A).frame().bytes == Self.frame("02 0A 00 03 21 2A 01 03 AB A0"))
        #expect(LifeScanRequest.readVerioIQUnit.frame().bytes == Self.frame("02 0A 00 03 09 02 02 03 12 68"))
        for request in [LifeScanRequest.readVerioIQVersion, .readVerioIQSerial, .readVerioIQUnit, .readVerioIQRecord(index: 7)] {
            #expect(LifeScanRequest.mayTransmit(request.frame().bytes))
            #expect(request.isVerioIQ && request.dialect == .verio)
        }
    }

    /// Risk: the Verio IQ's erase or clock write slips through as one of its read requests.
    @Test func eraseAndClockWriteStayRefused() {
        #expect(!LifeScanRequest.mayTransmit(LifeScanFrame(link: [], message: [0x03, 0x1A])!.bytes))
        #expect(!LifeScanRequest.mayTransmit(LifeScanFrame(link: [], message: [0x03, 0x20, 0x01] + [1, 2, 3, 4])!.bytes))
        #expect(!LifeScanRequest.mayTransmit(LifeScanFrame(link: [], message: [0x03, 0x21, 0x00])!.bytes))
        #expect(!LifeScanRequest.mayTransmit(LifeScanFrame(link: [], message: [0x03, 0x0B, 0x01, 0x03])!.bytes))
    }

    /// Risk: a control-solution test uploaded as the patient's glucose, a meal mark lost, the
    /// 2000 epoch read as 1970, or the record mistaken for the Verio 2015's layout.
    @Test func conversationAssemblesReadingsWithMealAndControlFlags() {
        let result = LifeScanDump.decodeCapture(Self.conversation.flatMap { $0 }, profileID: "p")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.deviceSerial == "X4Q7285VT")
        #expect(result.deviceModel == "OneTouch Verio IQ")
        #expect(result.deviceClock?.description == "2024-06-15T08:40:00")
        #expect(result.readings.map(\.value) == [ExactDecimal(123), ExactDecimal(88)])
        #expect(result.readings.map(\.unit) == ["mg/dL", "mg/dL"])
        #expect(result.readings.map(\.deviceTime.description) == ["2024-06-15T08:30:00", "2024-06-15T07:30:00"])
        #expect(result.readings.map(\.flags) == [[.beforeMeal], [.controlSolution]])
        #expect(result.readings.map(\.deviceModel) == ["OneTouch Verio IQ", "OneTouch Verio IQ"])
        #expect(result.readings.map(\.recordKey) == ["2024-06-15T08:30:00|123|0100|0", "2024-06-15T07:30:00|88|0001|0"])
    }

    /// Risk: a control byte pocgate does not know decoded as a blood test.
    @Test func anUnknownControlByteIsAProblemNotAReading() {
        var frames = Self.conversation
        frames[11] = LifeScanFrame(link: [], message: [0x03, 0x06, 0x78, 0xFF, 0xFF, 0x2D, 0x58, 0x00, 0x07, 0x00, 0x00, 0x00])!.bytes
        let result = LifeScanDump.decodeCapture(frames.flatMap { $0 }, profileID: "p")
        #expect(result.readings.count == 1)
        #expect(result.problems.count == 1 && result.problems.first?.contains("control byte 0x07") == true, "\(result.problems)")
    }
}
