import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// LifeScan binary frames. V = seen in a public source, C = constructed from the documented layout.
@Suite struct LifeScanTests {
    static func frame(_ hex: String) -> [UInt8] { Hex.parse(hex)! }

    /// A constructed UltraEasy conversation: both directions, as they cross the line.
    static let conversation: [[UInt8]] = [
        frame("02 06 08 03 C2 62"),                                       // V: session start (disconnect)
        frame("02 06 06 03 CD 41"),                                       // V: link-only frame
        frame("02 09 03 05 0D 02 03 08 9F"),                              // V: version request
        LifeScanFrame(link: [], message: [0x05, 0x06, 0x04] + Array("2.04".utf8))!.bytes,
        LifeScanRequest.readSerial.frame().bytes,
        LifeScanFrame(link: [], message: [0x05, 0x06] + Array("TEST1234Y".utf8) + [0x00])!.bytes,
        LifeScanRequest.readClock(.ultraEasy).frame().bytes,
        LifeScanFrame(link: [], message: [0x05, 0x06] + le32(1_718_440_200))!.bytes,        // 2024-06-15T08:30:00
        LifeScanRequest.readRecordCount(.ultraEasy).frame().bytes,
        LifeScanFrame(link: [], message: [0x05, 0x0F, 0x02, 0x00])!.bytes,
        LifeScanRequest.readRecord(.ultraEasy, index: 0).frame().bytes,
        LifeScanFrame(link: [], message: [0x05, 0x06] + le32(1_718_440_200) + le32(120))!.bytes,
        LifeScanRequest.readRecord(.ultraEasy, index: 1).frame().bytes,
        LifeScanFrame(link: [], message: [0x05, 0x06] + le32(1_718_440_200) + le32(120))!.bytes,
    ]

    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    @Test(arguments: [
        ("02 06 08 03 C2 62", LifeScanLink.disconnect.rawValue, ""),                 // V
        ("02 06 06 03 CD 41", 0x06, ""),                                             // V
        ("02 09 03 05 0D 02 03 08 9F", 0x03, "05 0D 02"),                            // V
        ("02 09 00 03 27 00 03 26 71", 0x00, "03 27 00"),                            // C
        ("02 09 00 03 20 02 03 D4 92", 0x00, "03 20 02"),                            // C
        ("02 0C 00 03 31 02 00 00 00 03 ED 4C", 0x00, "03 31 02 00 00 00"),          // C
    ])
    func vectorsDecodeAndReencode(hex: String, link: UInt8, message: String) throws {
        let bytes = Self.frame(hex)
        let frames = DecoderVerifier(LifeScanFrameDecoder()).frames(bytes)
        let f = try #require(frames.first)
        #expect(frames.count == 1)
        #expect(f.link.rawValue == link)
        #expect(Hex.string(f.message.array) == message)
        #expect(f.bytes == bytes)
    }

    @Test func requestsEncodeToVectors() {
        #expect(LifeScanRequest.readRecordCount(.verio).frame().bytes == Self.frame("02 09 00 03 27 00 03 26 71"))
        #expect(LifeScanRequest.readClock(.verio).frame().bytes == Self.frame("02 09 00 03 20 02 03 D4 92"))
        #expect(LifeScanRequest.readRecord(.verio, index: 0).frame().bytes == Self.frame("02 0C 00 03 31 02 00 00 00 03 ED 4C"))
        #expect(LifeScanRequest.readVersion.frame(link: [.send, .expectReceive]).bytes == Self.frame("02 09 03 05 0D 02 03 08 9F"))
    }

    @Test func eraseAndClockWritesCanNeverBeTransmitted() {
        #expect(!LifeScanRequest.mayTransmit(Self.frame("02 08 00 03 1A 03 F6 02")))                    // Verio erase (C)
        #expect(!LifeScanRequest.mayTransmit(LifeScanFrame(link: [], message: [0x05, 0x1A])!.bytes))    // UltraEasy erase
        #expect(!LifeScanRequest.mayTransmit(LifeScanFrame(link: [], message: [0x05, 0x20, 0x01, 1, 2, 3, 4])!.bytes))
        #expect(!LifeScanRequest.mayTransmit(LifeScanFrame(link: [], message: [0x03, 0x20, 0x01, 1, 2, 3, 4])!.bytes))
        #expect(LifeScanRequest.mayTransmit(Self.frame("02 06 08 03 C2 62")))
        #expect(LifeScanRequest.mayTransmit(Self.frame("02 09 03 05 0D 02 03 08 9F")))
        var bad = Self.frame("02 09 03 05 0D 02 03 08 9F")
        bad[8] ^= 1
        #expect(!LifeScanRequest.mayTransmit(bad))
        #expect(!LifeScanRequest.mayTransmit(Self.frame("02 09 03 05 0D 02 03 08 9F 00")))
    }

    @Test func onlyReadCommandsPassForEveryCommandByte() {
        // Every two-byte and three-byte message with either prefix: only the read requests pass.
        for prefix: UInt8 in [0x03, 0x05] {
            for c in UInt8.min...UInt8.max {
                for tail in [[], [0x02], [0x01], [0x02, 0x00, 0x00, 0x00, 0x00]] as [[UInt8]] {
                    let m = [prefix, c] + tail
                    let allowed = LifeScanRequest.mayTransmit(LifeScanFrame(link: [], message: m)!.bytes)
                    let isRead = LifeScanRequest(message: InlineBytes(m)!) != nil
                    #expect(allowed == isRead)
                    if c == 0x1A { #expect(!allowed) }
                    if c == 0x20 && tail.first == 0x01 { #expect(!allowed) }
                }
            }
        }
    }

    @Test func conversationAssemblesReadings() {
        let result = LifeScanDump.decodeCapture(Self.conversation.flatMap { $0 }, profileID: "p")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.deviceSerial == "TEST1234Y")
        #expect(result.deviceClock?.description == "2024-06-15T08:30:00")
        #expect(result.readings.map(\.value) == [ExactDecimal(120), ExactDecimal(120)])
        #expect(result.readings.map(\.unit) == ["mg/dL", "mg/dL"])
        #expect(result.readings.map(\.recordKey) == ["2024-06-15T08:30:00|120|0", "2024-06-15T08:30:00|120|1"])
        #expect(result.readings.first?.deviceModel == "OneTouch UltraEasy")
    }

    @Test func verioRecordReplyDecodes() {
        var dump = LifeScanDump()
        _ = dump.consume(LifeScanRequest.readRecord(.verio, index: 0).frame())
        // C: 03 06, inverse no 5, 00, lifetime 300, 2024-06-15T08:30:00 (since 2000), 95 mg/dL, before meal.
        let t = UInt32(1_718_440_200 - 946_684_800)
        let reply: [UInt8] = [0x03, 0x06, 0x05, 0x00, 0x00, 0x2C, 0x01] + Self.le32(t) + [95, 0, 0x01, 0x00, 0x00, 0x0B, 0x00]
        guard case let .record(r) = dump.consume(LifeScanFrame(link: [], message: reply)!) else {
            Issue.record("no record")
            return
        }
        let reading = try? r.reading(profileID: "p", serial: "s", model: "m").get()
        #expect(reading?.deviceTime.description == "2024-06-15T08:30:00")
        #expect(reading?.value == ExactDecimal(95))
        #expect(reading?.flags == [.beforeMeal])
    }

    @Test func errorReplyAndUnpairedReplyAreProblems() {
        var dump = LifeScanDump()
        #expect(dump.consume(LifeScanFrame(link: [], message: [0x05, 0x06, 1, 2])!) == .problem(.unpaired("05 06 01 02")))
        _ = dump.consume(LifeScanRequest.readClock(.ultraEasy).frame())
        #expect(dump.consume(LifeScanFrame(link: [], message: [0x05, 0x09])!) == .problem(.errorReply(status: 0x09, hex: "05 09")))
    }

    @Test func resynchronisesAfterGarbageAndBadCRC() {
        var noisy: [UInt8] = [0x00, 0x02, 0x03, 0xFF]           // garbage with a false STX
        noisy += Self.conversation[0]
        var bad = Self.conversation[2]; bad[bad.count - 1] ^= 0xFF
        noisy += bad + [0x02, 0xFF]                            // bad CRC, then an STX with a huge length
        noisy += Self.conversation[2...].flatMap { $0 }
        let verifier = DecoderVerifier(LifeScanFrameDecoder())
        let (frames, counters) = verifier.frames([noisy])
        #expect(frames.map(\.bytes) == [Self.conversation[0]] + Self.conversation[2...])
        #expect(counters.badChecksums >= 1 && counters.garbageBytes >= 1)
        #expect(verifier.splitFailures(noisy, randomSplits: 200).isEmpty)
    }

    @Test func randomGarbageKeepsPendingBounded() {
        #expect(DecoderVerifier(LifeScanFrameDecoder()).garbageFailures().isEmpty)
    }

    @Test func tenPercentGarbageLosesNoIntactFrame() {
        let capture = DecoderVerifier<LifeScanFrameDecoder>.withGarbage(Self.conversation, fraction: 0.10)
        #expect(DecoderVerifier(LifeScanFrameDecoder()).frames(capture).map(\.bytes) == Self.conversation)
    }
}
