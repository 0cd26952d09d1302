import Testing
import FrameParsing
import PocGateCore

/// What a cart records with an ECG besides the samples (SCP-ECG sections 8 and 11, section 1
/// tags 4, 27, 28, 29), written by `SCPTestEncoder` from the standard's layout, independently
/// of the decoder. The layouts agree with ecgdatakit 2.0.3's SCP-ECG reader (docs/protocols/ecg.md).
@Suite struct SCPContextTests {
    static let leads = ECGTestSignal.leads().map { Array($0.prefix(500)) }

    static func encoder() -> SCPTestEncoder {
        var e = SCPTestEncoder(samples: leads)
        e.textStatements = (0, ["Sinus rhythm", "Left ventricular hypertrophy"])
        e.codedStatements = (1, ["AVB1\u{0}First degree AV block"])
        e.extraTags = [(4, [9, 0, 1]), (27, [5, 0]), (28, [150, 0]), (29, [0x06])]
        return e
    }

    @Test("dropped interpretation: the cart's statements and whether a physician confirmed them travel with the ECG")
    func statementsAndConfirmationAreKept() throws {
        let (readings, ecg) = try SCPDump.readings(SCPFrame(bytes: Self.encoder().bytes), profileID: "cart").get()
        let groups = try #require(ecg.context?.statementGroups)
        #expect(groups == [
            ECGStatementGroup(section: 8, confirmation: .unconfirmed, statements: ["Sinus rhythm", "Left ventricular hypertrophy"]),
            ECGStatementGroup(section: 11, confirmation: .confirmed, statements: ["AVB1 First degree AV block"]),
        ])
        // Carried by the waveform reading only, so it is stored and uploaded once.
        #expect(readings[0].ecgContext == ecg.context)
        #expect(readings.dropFirst().allSatisfy { $0.ecgContext == nil })
    }

    @Test("dropped acquisition context: filter settings and the paediatric age entered on the cart travel with the ECG")
    func filtersAndAgeAreKept() throws {
        let (_, ecg) = try SCPDump.readings(SCPFrame(bytes: Self.encoder().bytes), profileID: "cart").get()
        let context = try #require(ecg.context)
        #expect(context.highPassCentihertz == 5 && context.lowPassHertz == 150)
        #expect(context.notchHertz == 50 && context.artifactFilter == true)
        #expect(context.age == ECGAge(value: 9, unit: "a"))
    }

    @Test("a record with no statements and no filter tags carries no context")
    func noContext() throws {
        let (readings, ecg) = try SCPDump.readings(SCPFrame(bytes: SCPTestEncoder(samples: Self.leads).bytes), profileID: "cart").get()
        #expect(ecg.context == nil && readings[0].ecgContext == nil)
    }

    @Test("lost ECG: a statement section that cannot be read keeps the waveform and says so in place of the statements")
    func unreadableStatementsKeepTheECG() throws {
        var e = Self.encoder()
        e.textStatements = (7, ["x"])   // 7 is no confirmation code
        let (readings, ecg) = try SCPDump.readings(SCPFrame(bytes: e.bytes), profileID: "cart").get()
        #expect(readings.count == 9)
        let first = try #require(ecg.context?.statementGroups.first)
        #expect(first.section == 8 && first.statements.count == 1 && first.statements[0].contains("could not read"))
    }

    @Test("a Latin-1 statement is kept as written, never replaced by U+FFFD")
    func latin1Statement() throws {
        var e = Self.encoder()
        e.textStatements = (0, ["Bloc AV du 1er degr\u{E9}"])
        e.latin1Statements = true
        let (_, ecg) = try SCPDump.readings(SCPFrame(bytes: e.bytes), profileID: "cart").get()
        #expect(ecg.context?.statementGroups.first?.statements == ["Bloc AV du 1er degr\u{E9}"])
    }

    @Test("missing lead codes: V3R, V7, V4R, V8, V9 and X Y Z get their MDC_ECG_ELEC_POTL code by the SCP lead table")
    func everyLeadWithAnMDCCodeGetsIt() {
        #expect(WaveformLead.mdcCode(forLead: "V3R") == "131339" && WaveformLead.mdcName(forLead: "V3R") == "MDC_ECG_ELEC_POTL_V3R")
        #expect(WaveformLead.mdcCode(forLead: "V7") == "131337")
        #expect(WaveformLead.mdcCode(forLead: "V4R") == "131340")
        #expect(WaveformLead.mdcCode(forLead: "V8") == "131394" && WaveformLead.mdcCode(forLead: "V9R") == "131397")
        #expect(WaveformLead.mdcCode(forLead: "X") == "131344" && WaveformLead.mdcCode(forLead: "Z") == "131346")
        #expect(WaveformLead.mdcCode(forLead: "I") == "131329" && WaveformLead.mdcCode(forLead: "aVF") == "131392")
        // Every lead the SCP decoder can name from the lead table, except "lead-<n>", has a code.
        let named = (0...255).map { ECGLeadCode.name(UInt8($0)) }.filter { !$0.hasPrefix("lead-") }
        #expect(named.allSatisfy { WaveformLead.mdcCode(forLead: $0) != nil })
        #expect(WaveformLead.mdcCode(forLead: "lead-19") == nil)
    }

    @Test("one Device for every serial-less cart: a record with a blank serial is filed under the port's identity, never 'unknown'")
    func serialLessCartUsesThePortIdentity() throws {
        var e = SCPTestEncoder(samples: Self.leads)
        e.deviceSerial = ""
        let fallback = FallbackDeviceSerial.forPort(usbSerial: nil, gatewayID: "gw-clinic-7", devnode: "/dev/ttyUSB1")
        #expect(fallback == "port:gw-clinic-7:/dev/ttyUSB1")
        let (readings, ecg) = try SCPDump.readings(SCPFrame(bytes: e.bytes), profileID: "cart", fallbackSerial: fallback).get()
        #expect(ecg.deviceSerial == nil)
        #expect(readings.allSatisfy { $0.deviceSerial == fallback })
        #expect(FallbackDeviceSerial.forPort(usbSerial: "FT5XK2QA", gatewayID: "gw", devnode: "/dev/ttyUSB0") == "usb:FT5XK2QA")
        #expect(FallbackDeviceSerial.forPort(usbSerial: "  ", gatewayID: "gw", devnode: "/dev/ttyUSB0") == "port:gw:/dev/ttyUSB0")
        #expect(FallbackDeviceSerial.isFallback(fallback) && !FallbackDeviceSerial.isFallback("ECG1200-0042"))
    }
}
