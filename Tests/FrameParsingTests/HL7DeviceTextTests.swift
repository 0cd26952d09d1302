import FrameParsing
import PocGateCore
import Testing

/// Device text in HL7 headers is data: a NUL, CR or ESC in MSH-3/MSH-4 is kept escaped, never
/// truncating or driving a terminal, and a serial or model is bounded, with a problem recorded.
@Suite struct HL7DeviceTextTests {
    /// The kiosk message with MSH-3 (application^universal id^type) replaced.
    static func message(application: String) -> [UInt8] {
        var segments = HL7Fixtures.kioskSegments
        segments[0] = segments[0].replacingOccurrences(of: "HK-7000^00A0C9FFFE123456^EUI-64", with: application)
        return HL7Fixtures.message(segments)
    }

    @Test func F14_nulInASerialNeverTruncatesSilently() throws {
        let tail = String(repeating: "7", count: 10_000)
        let payload = Self.message(application: #"HK-7000^SN\X00\"# + tail + "^EUI-64")
        let (_, oru) = try HL7ORU.interpret(payload: payload, profileID: "k").get()
        #expect(oru.deviceSerial.hasPrefix("SN\\x00777"))
        #expect(oru.deviceSerial.count == DeviceText.maximumIdentityLength)
        #expect(!oru.deviceSerial.unicodeScalars.contains { $0.value < 0x20 })
        #expect(oru.identityProblems.count == 1)
        #expect(oru.identityProblems.first?.contains("control characters written as escapes, cut from 10006 to 64 characters") == true)
        #expect(oru.readings.allSatisfy { $0.deviceSerial == oru.deviceSerial })
        // Replay records the problem.
        let replay = HL7Capture.decodeCapture(MLLPBlock.wrap(payload), profileID: "k")
        #expect(replay.problems.contains { $0.hasPrefix("message 1: device serial 'SN\\x00") })
    }

    @Test func F13_carriageReturnAndEscapeInSerialAndModelAreEscaped() throws {
        let payload = Self.message(application: #"KIOSK\X1B\[31m^SN\X0D\42^EUI-64"#)
        let (_, oru) = try HL7ORU.interpret(payload: payload, profileID: "k").get()
        #expect(oru.deviceSerial == "SN\\r42")
        #expect(oru.deviceModel == "KIOSK\\x1B[31m")
        #expect(oru.identityProblems.count == 2)
    }

    @Test func ordinarySerialIsKeptAsSent() throws {
        let (_, oru) = try HL7ORU.interpret(payload: HL7Fixtures.kiosk, profileID: "k").get()
        #expect(oru.deviceSerial == "00A0C9FFFE123456" && oru.identityProblems.isEmpty)
    }

    @Test func escapesCoverC0DelC1AndBidiControls() {
        #expect(DeviceText.escaped("a\u{0}b\u{1B}[31m\r\n\t\u{7F}\u{85}\u{202E}é\\") == "a\\x00b\\x1B[31m\\r\\n\\t\\x7F\\u{0085}\\u{202E}é\\")
        #expect(DeviceText.escaped("plain text") == "plain text")
        #expect(DeviceText.bounded("abcdef", limit: 4) == "abcd…(2 more bytes cut)")
    }
}
