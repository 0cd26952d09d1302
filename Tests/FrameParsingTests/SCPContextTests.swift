import Testing
import FrameParsing
import PocGateCore
import Foundation
import TestSupport

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

/// The same record read by ecgdatakit (PyPI, an SCP-ECG reader written from the standard by
/// others): statements, confirmation, filters, age and lead names must agree with pocgate's.
@Suite struct SCPContextCrossCheckTests {
    static let script = """
        import sys, json, warnings
        warnings.simplefilter("ignore")
        from pathlib import Path
        from ecgdatakit.parsing.parsers.scp_ecg import SCPECGParser
        r = SCPECGParser().parse(Path(sys.argv[1]))
        f = r.recording.acquisition.filters
        print(json.dumps({
            "statements": [s for s, _ in r.interpretation.statements],
            "source": r.interpretation.source,
            "machine": r.annotations.get("machine_interpretation"),
            "highpass": f.highpass, "lowpass": f.lowpass, "notch": f.notch, "artifact": f.artifact_filter,
            "age": r.patient.age, "leads": [l.label for l in r.leads],
        }))
        """

    @Test("ecgdatakit reads the same statements, confirmation, filters, age and leads from a record pocgate decodes",
          .enabled(if: PythonCheck.has("ecgdatakit"), "needs /usr/bin/python3 with ecgdatakit"))
    func ecgdatakitAgrees() throws {
        var e = SCPContextTests.encoder()
        e.leadCodes = [1, 2, 61, 62, 63, 64, 3, 4, 5, 6, 11, 9]   // V3R and V7 in place of V5 and V6
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-scp-\(getpid()).scp").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(e.bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try PythonCheck.run(script: Self.script, arguments: [path])
        #expect(result.status == 0, "\(result.output)")
        let line = try #require(result.output.split(separator: "\n").last)
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let (_, ecg) = try SCPDump.readings(SCPFrame(bytes: e.bytes), profileID: "cart").get()
        let ours = try #require(ecg.context)
        // ecgdatakit puts the confirmed section first and the cart's own in "machine_interpretation".
        #expect(theirs["source"] as? String == "confirmed")
        #expect(theirs["statements"] as? [String] == ours.statementGroups.first { $0.confirmation == .confirmed }?.statements)
        #expect((theirs["machine"] as? String)?.split(separator: "\n").map(String.init)
                == ours.statementGroups.first { $0.confirmation == .unconfirmed }?.statements)
        #expect(theirs["highpass"] as? Double == Double(ours.highPassCentihertz!) / 100)
        #expect(theirs["lowpass"] as? Double == Double(ours.lowPassHertz!))
        #expect(theirs["notch"] as? Double == Double(ours.notchHertz!))
        #expect(theirs["artifact"] as? Bool == ours.artifactFilter)
        #expect(theirs["age"] as? Int == ours.age?.value)
        #expect(theirs["leads"] as? [String] == ecg.waveform.leads.map(\.name))
    }
}
