import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// A resting ECG as the reading center receives it: one waveform Observation carrying the
/// cart's statements, filters and the age entered; measurements `derivedFrom` it; one Device
/// per cart even when the cart reports no serial; every URL under the configured canonical base.
@Suite("Uplink: 12-lead ECG for a reading center")
struct FHIRECGTests {
    static let zone = ZoneInfo.named("Asia/Shanghai")!

    static func ecg(serial: String = "ECG1200-0042", minute: Int = 26) -> [Reading] {
        let time = LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: minute)
        let base = "ecg|\(time)|0123456789abcdef|"
        let waveform = Waveform(periodMillis: ExactDecimal(2), factor: ExactDecimal(5),
                                leads: ["I", "II", "V3R", "V7", "lead-40"].map { WaveformLead(name: $0, samples: [1, -2, 3]) })
        let context = ECGContext(statementGroups: [
            ECGStatementGroup(section: 8, confirmation: .unconfirmed, statements: ["Sinus rhythm", "Left ventricular hypertrophy"]),
            ECGStatementGroup(section: 11, confirmation: .confirmed, statements: ["AVB1 First degree AV block"]),
        ], highPassCentihertz: 5, lowPassHertz: 150, notchHertz: 50, artifactFilter: false, age: ECGAge(value: 9, unit: "a"))
        func r(_ kind: ObservationKind, _ value: Int, _ unit: String, _ key: String, waveform: Waveform? = nil) -> Reading {
            Reading(profileID: "scp-cart", deviceSerial: serial, deviceModel: "PGC12", recordKey: base + kind.rawValue + "|" + key,
                    kind: kind, code: kind.loincCode(unit: unit)!, value: ExactDecimal(value), unit: unit, deviceTime: time,
                    flags: [], raw: [1], patientID: ResidentIDs.sample, waveform: waveform,
                    ecgContext: waveform == nil ? nil : context)
        }
        return [r(.ecgWaveform, 5, "uV", "d1g35t", waveform: waveform), r(.ecgHeartRate, 72, "/min", "72"),
                r(.qtcInterval, 416, "ms", "416")]
    }

    static func rows(_ readings: [Reading], firstID: Int64 = 1) -> [StoredReading] {
        readings.enumerated().map { StoredReading(id: firstID + Int64($0.offset), reading: $0.element, receivedAtMillis: testNow, attempts: 0) }
    }

    static func bundle(_ rows: [StoredReading], settings: UplinkSettings = UplinkSettings(url: "https://center.example/fhir"))
        throws -> (body: [UInt8], object: [String: Any]) {
        var counter = 0
        let bundle = FHIRMapper(settings: settings, zone: zone).bundle(for: rows) {
            counter += 1
            return UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", counter))!
        }
        return (bundle.body, try #require(try JSONSerialization.jsonObject(with: Data(bundle.body)) as? [String: Any]))
    }

    static func entries(_ object: [String: Any], _ type: String) -> [[String: Any]] {
        (object["entry"] as? [[String: Any]] ?? []).filter { ($0["resource"] as? [String: Any])?["resourceType"] as? String == type }
    }

    @Test("measurements not linked to their waveform: each points at the waveform Observation of its recording, in the bundle or by identifier")
    func measurementsDeriveFromTheirWaveform() throws {
        let (_, object) = try Self.bundle(Self.rows(Self.ecg()))
        let observations = Self.entries(object, "Observation")
        let waveformURL = try #require(observations[0]["fullUrl"] as? String)
        for entry in observations.dropFirst() {
            let resource = try #require(entry["resource"] as? [String: Any])
            #expect((resource["derivedFrom"] as? [[String: String]])?.first?["reference"] == waveformURL)
        }
        #expect((observations[0]["resource"] as? [String: Any])?["derivedFrom"] == nil)
        // All three share the recording identifier, so the center can group and dedupe them.
        let recordings = observations.map { entry in
            ((entry["resource"] as? [String: Any])?["identifier"] as? [[String: String]])?
                .first { $0["system"] == "https://pocgate.invalid/fhir/identifier/ecg-recording" }?["value"]
        }
        #expect(Set(recordings) == ["ECG1200-0042/ecg|2024-06-15T09:26:00|0123456789abcdef|"])
        // A measurement whose waveform went in an earlier bundle finds it by that identifier.
        let (_, later) = try Self.bundle(Self.rows(Array(Self.ecg().dropFirst()), firstID: 2))
        let reference = try #require(((Self.entries(later, "Observation")[0]["resource"] as? [String: Any])?["derivedFrom"]
                                      as? [[String: String]])?.first?["reference"])
        #expect(reference == "Observation?identifier=https://pocgate.invalid/fhir/identifier/ecg-recording|"
                + "ECG1200-0042%2Fecg%5C%7C2024-06-15T09%3A26%3A00%5C%7C0123456789abcdef%5C%7C&code=http://loinc.org|11524-6")
    }

    @Test("dropped interpretation and context: statements with their confirmation, filters and the age entered ride on the waveform Observation")
    func statementsFiltersAndAge() throws {
        let (_, object) = try Self.bundle(Self.rows(Self.ecg()))
        let waveform = try #require(Self.entries(object, "Observation")[0]["resource"] as? [String: Any])
        let components = try #require(waveform["component"] as? [[String: Any]])
        let statements = components.filter { $0["valueString"] != nil }
        #expect(statements.map { $0["valueString"] as? String } == ["Sinus rhythm", "Left ventricular hypertrophy", "AVB1 First degree AV block"])
        #expect(statements.map { (($0["extension"] as? [[String: String]])?.first?["valueCode"]) }
                == ["unconfirmed", "unconfirmed", "confirmed"])
        #expect(statements.allSatisfy {
            ((($0["code"] as? [String: Any])?["coding"] as? [[String: String]])?.first?["code"]) == "8601-7"
        })
        let extensions = try #require(waveform["extension"] as? [[String: Any]])
        func value(_ name: String) -> Any? {
            extensions.first { $0["url"] as? String == "https://pocgate.invalid/fhir/StructureDefinition/" + name }
                .flatMap { $0["valueQuantity"] ?? $0["valueBoolean"] }
        }
        #expect((value("ecg-high-pass-filter") as? [String: Any])?["value"] as? Double == 0.05)
        #expect((value("ecg-low-pass-filter") as? [String: Any])?["value"] as? Int == 150)
        #expect((value("ecg-notch-filter") as? [String: Any])?["unit"] as? String == "Hz")
        #expect(value("ecg-artifact-filter") as? Bool == false)
        #expect((value("ecg-age-entered") as? [String: Any])?["code"] as? String == "a")
        // The measurements carry none of it.
        let rate = try #require(Self.entries(object, "Observation")[1]["resource"] as? [String: Any])
        #expect(rate["extension"] == nil && rate["component"] == nil)
    }

    @Test("missing lead codes: V3R and V7 get their MDC code; a lead MDC does not name keeps its text only")
    func leadCodes() throws {
        let (_, object) = try Self.bundle(Self.rows(Self.ecg()))
        let waveform = try #require(Self.entries(object, "Observation")[0]["resource"] as? [String: Any])
        let leads = try #require(waveform["component"] as? [[String: Any]]).filter { $0["valueSampledData"] != nil }
        let codes = leads.map { ((($0["code"] as? [String: Any])?["coding"] as? [[String: String]])?.first?["code"]) }
        #expect(codes == ["131329", "131330", "131339", "131337", nil])
    }

    @Test("one Device for every serial-less cart: carts known by USB serial or port are separate Devices, with no serialNumber")
    func serialLessCartsAreSeparateDevices() throws {
        let a = FallbackDeviceSerial.forPort(usbSerial: "FT5XK2QA", gatewayID: "gw-1", devnode: "/dev/ttyUSB0")
        let b = FallbackDeviceSerial.forPort(usbSerial: nil, gatewayID: "gw-1", devnode: "/dev/ttyUSB1")
        let (_, object) = try Self.bundle(Self.rows(Self.ecg(serial: a) + Self.ecg(serial: b, minute: 40), firstID: 1))
        let devices = Self.entries(object, "Device")
        #expect(devices.count == 2)
        let queries = devices.map { ($0["request"] as? [String: String])?["ifNoneExist"] }
        #expect(queries == ["identifier=https://pocgate.invalid/fhir/identifier/device-connection|usb%3AFT5XK2QA",
                            "identifier=https://pocgate.invalid/fhir/identifier/device-connection|port%3Agw-1%3A%2Fdev%2FttyUSB1"])
        #expect(devices.allSatisfy { ($0["resource"] as? [String: Any])?["serialNumber"] == nil })
        #expect(!String(decoding: try Self.bundle(Self.rows(Self.ecg(serial: a))).body, as: UTF8.self).contains("unknown"))
    }

    @Test("extensions that point nowhere: every extension URL, identifier system and meta.source is under the configured canonical base")
    func canonicalBaseIsConfigurable() throws {
        var rows = Self.rows(Self.ecg())
        rows[0].provenance = ReadingProvenance(gatewayID: "gw-clinic-7", profileVersion: 3, profileHash: "ab")
        let settings = UplinkSettings(url: "https://center.example/fhir", canonical: FHIRCanonical(base: "https://fhir.center.example/pocgate/"))
        let (body, _) = try Self.bundle(rows, settings: settings)
        let text = String(decoding: body, as: UTF8.self)
        #expect(!text.contains("pocgate.invalid") && !text.contains("urn:pocgate") && !text.contains("pocgate.example"))
        #expect(text.contains("\"https://fhir.center.example/pocgate/StructureDefinition/ecg-statement-status\""))
        #expect(text.contains("\"https://fhir.center.example/pocgate/identifier/reading-id\""))
        #expect(text.contains("\"https://fhir.center.example/pocgate/gateway/gw-clinic-7\""))
        #expect(text.contains("\"https://fhir.center.example/pocgate/StructureDefinition/device-profile\""))
        #expect(FHIRCanonical.problem(in: "urn:pocgate:fhir") != nil && FHIRCanonical.problem(in: "https://a b") != nil)
        #expect(FHIRCanonical.problem(in: "https://fhir.center.example/x") == nil)
    }

    @Test("an ECG bundle with statements, filters, age, recording identifiers and derivedFrom is valid FHIR R4B",
          .enabled(if: R4BValidator.isAvailable, "needs /usr/bin/python3 with fhir.resources"))
    func validR4B() throws {
        let serial = FallbackDeviceSerial.forPort(usbSerial: nil, gatewayID: "gw-1", devnode: "/dev/ttyUSB1")
        #expect(try R4BValidator.problems(Self.bundle(Self.rows(Self.ecg(serial: serial))).body) == nil)
        #expect(try R4BValidator.problems(Self.bundle(Self.rows(Array(Self.ecg().dropFirst()))).body) == nil)
    }
}
