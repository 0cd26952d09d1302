import Foundation
import PocGateCore
import Store
import Synchronization
import TestSupport
import Testing
@testable import Uplink

/// Every kind of reading as the center receives it: category, vital-signs profiles, panel
/// components, waveform SampledData, patient subject; every Bundle validated with
/// fhir.resources R4B (as the test receiver does).
@Suite("Uplink: clinical FHIR mapping")
struct FHIRClinicalTests {
    static let validated = Atomic<Int>(0)

    static func bundle(_ readings: [Reading], bound: String? = nil,
                       settings: UplinkSettings = UplinkSettings(url: "https://center.example/fhir")) throws -> [UInt8] {
        let rows = readings.enumerated().map {
            StoredReading(id: Int64($0.offset + 1), reading: $0.element, receivedAtMillis: 1_718_411_400_000, attempts: 0,
                          boundPatientID: bound)
        }
        return FHIRMapper(settings: settings, zone: ZoneInfo.named("Asia/Shanghai")!).bundle(for: rows).body
    }

    static func observations(_ body: [UInt8]) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        return (object["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
            .filter { $0["resourceType"] as? String == "Observation" }
    }

    /// Validates `body` with fhir.resources R4B and counts it.
    static func validate(_ body: [UInt8]) throws {
        try validate(batch: [body])
    }

    /// Validates every body in one validator run and counts them.
    static func validate(batch bodies: [[UInt8]]) throws {
        guard R4BValidator.isAvailable else { return }
        let problems = try R4BValidator.problems(batch: bodies)
        for problem in problems { #expect(problem == nil) }
        validated.add(problems.filter { $0 == nil }.count, ordering: .relaxed)
    }

    static func codes(_ concept: Any?) -> [String] {
        ((concept as? [String: Any])?["coding"] as? [[String: Any]] ?? []).map { ($0["code"] as? String) ?? "" }
    }

    static func category(_ o: [String: Any]) -> String? {
        ((o["category"] as? [[String: Any]])?.first.map { codes($0) })?.first
    }

    @Test("every kind, in both binding modes (no subject; device-supplied patient), maps to a valid R4B Bundle")
    func everyKindValidates() throws {
        var bodies: [[UInt8]] = []
        for kind in ObservationKind.allCases {
            for patient in [nil, ResidentIDs.sample] {
                let reading = ClinicalSamples.reading(kind, patientID: patient)
                let body = try Self.bundle([reading])
                bodies.append(body)
                let o = try #require(try Self.observations(body).first)
                #expect(Self.codes(o["code"]).first == UnitPolicy.chinaDefault.quantity(for: reading).code)
                #expect((o["device"] as? [String: Any])?["reference"] is String)
                #expect((o["subject"] == nil) == (patient == nil))
            }
        }
        try Self.validate(batch: bodies)
        #expect(bodies.count == 2 * ObservationKind.allCases.count)
    }

    @Test("categories: vital signs, laboratory for strip analytes, procedure for ECG")
    func categories() throws {
        let expected: [ObservationKind: String] = [.glucose: "laboratory", .cholesterol: "laboratory", .triglycerides: "laboratory",
                                                   .uricAcid: "laboratory", .ketone: "laboratory", .bloodPressure: "vital-signs",
                                                   .heartRate: "vital-signs", .oxygenSaturation: "vital-signs", .bmi: "vital-signs",
                                                   .bodyTemperature: "vital-signs", .bodyWeight: "vital-signs", .bodyHeight: "vital-signs",
                                                   .qtcInterval: "procedure", .qrsAxis: "procedure", .ecgWaveform: "procedure"]
        let body = try Self.bundle(expected.keys.sorted { $0.rawValue < $1.rawValue }.map { ClinicalSamples.reading($0) })
        try Self.validate(body)
        let got = try Self.observations(body).map { Self.category($0) }
        #expect(got == expected.keys.sorted { $0.rawValue < $1.rawValue }.map { expected[$0] })
    }

    @Test("wrong meaning: a BP panel is systolic 8480-6 / diastolic 8462-4 / mean 8478-0 components in mm[Hg], no top-level value, bp profile with a subject")
    func bloodPressurePanel() throws {
        let body = try Self.bundle([ClinicalSamples.reading(.bloodPressure, patientID: ResidentIDs.sample)])
        try Self.validate(body)
        let o = try #require(try Self.observations(body).first)
        #expect(o["valueQuantity"] == nil)
        #expect(Self.codes(o["code"]) == ["85354-9"])
        let components = try #require(o["component"] as? [[String: Any]])
        #expect(components.map { Self.codes($0["code"]).first } == ["8480-6", "8462-4", "8478-0"])
        for c in components {
            let q = try #require(c["valueQuantity"] as? [String: Any])
            #expect(q["system"] as? String == "http://unitsofmeasure.org" && q["code"] as? String == "mm[Hg]")
        }
        #expect((o["meta"] as? [String: Any])?["profile"] as? [String] == [
            "http://hl7.org/fhir/StructureDefinition/vitalsigns", "http://hl7.org/fhir/StructureDefinition/bp"])
    }

    @Test("SpO2 carries both 59408-5 and 2708-6 in %, as the R4 oxygensat profile requires")
    func oxygenSaturation() throws {
        let body = try Self.bundle([ClinicalSamples.reading(.oxygenSaturation, patientID: ResidentIDs.sample)])
        try Self.validate(body)
        let o = try #require(try Self.observations(body).first)
        #expect(Self.codes(o["code"]) == ["59408-5", "2708-6"])
        #expect((o["valueQuantity"] as? [String: Any])?["code"] as? String == "%")
        #expect(((o["meta"] as? [String: Any])?["profile"] as? [String])?.last == "http://hl7.org/fhir/StructureDefinition/oxygensat")
    }

    @Test("wrong patient: center binding sends the Device and no guessed subject, and claims no vital-signs profile")
    func centerModeHasNoSubject() throws {
        let body = try Self.bundle([ClinicalSamples.reading(.heartRate)])
        try Self.validate(body)
        let o = try #require(try Self.observations(body).first)
        #expect(o["subject"] == nil && (o["meta"] as? [String: Any])?["profile"] == nil)
        #expect(((o["device"] as? [String: Any])?["reference"] as? String)?.hasPrefix("urn:uuid:") == true)
    }

    @Test("wrong patient: the subject is the resident ID under the configured system (device-supplied first, else bound)")
    func subjectIdentifier() throws {
        let settings = UplinkSettings(url: "https://center.example/fhir", patientIdentifierSystem: "urn:oid:1.2.3")
        let supplied = try Self.observations(try Self.bundle([ClinicalSamples.reading(.glucose, patientID: ResidentIDs.sample)],
                                                               bound: "ignored", settings: settings))[0]
        let identifier = ((supplied["subject"] as? [String: Any])?["identifier"] as? [String: Any])
        #expect(identifier?["system"] as? String == "urn:oid:1.2.3" && identifier?["value"] as? String == ResidentIDs.sample)
        let body = try Self.bundle([ClinicalSamples.reading(.glucose)], bound: ResidentIDs.sample)
        try Self.validate(body)
        let bound = try Self.observations(body)[0]
        #expect(((bound["subject"] as? [String: Any])?["identifier"] as? [String: Any])?["value"] as? String == ResidentIDs.sample)
    }

    @Test("the ECG waveform: one SampledData component per lead, MDC-coded, origin 0 uV, period 2 ms, factor, every sample")
    func waveform() throws {
        let reading = ClinicalSamples.reading(.ecgWaveform, patientID: ResidentIDs.sample)
        let clock = ContinuousClock()
        let start = clock.now
        let body = try Self.bundle([reading])
        print("FHIRClinicalTests: 12 × 5,000-sample ECG Bundle: \(body.count) bytes, mapped in \(clock.now - start)")
        try Self.validate(body)
        let o = try #require(try Self.observations(body).first)
        #expect(o["valueQuantity"] == nil)
        #expect(Self.codes(o["code"]) == ["11524-6", "131328"])
        let components = try #require(o["component"] as? [[String: Any]])
        #expect(components.count == 12)
        #expect(components.map { Self.codes($0["code"]).first } == ["131329", "131330", "131389", "131390", "131391", "131392",
                                                                    "131331", "131332", "131333", "131334", "131335", "131336"])
        let sampled = try #require(components[0]["valueSampledData"] as? [String: Any])
        let origin = try #require(sampled["origin"] as? [String: Any])
        #expect((origin["value"] as? NSNumber)?.intValue == 0 && origin["code"] as? String == "uV")
        #expect((sampled["period"] as? NSNumber)?.intValue == 2 && (sampled["dimensions"] as? NSNumber)?.intValue == 1)
        #expect((sampled["factor"] as? NSNumber)?.stringValue == "4.88")
        let data = try #require(sampled["data"] as? String)
        #expect(data.split(separator: " ").map { Int32($0)! } == reading.waveform!.leads[0].samples)
    }

    @Test("ECG measurements in ms and deg with their LOINC codes; ketone 66441-7; abnormal flags as H/L")
    func measurementsAndFlags() throws {
        let kinds: [ObservationKind] = [.prInterval, .qrsDuration, .qtInterval, .qtcInterval, .qrsAxis, .pAxis, .tAxis]
        let body = try Self.bundle(kinds.map { ClinicalSamples.reading($0) } + [ClinicalSamples.reading(.ketone, flags: [.abnormalHigh])])
        try Self.validate(body)
        let os = try Self.observations(body)
        #expect(os.map { Self.codes($0["code"]).first } == ["8625-6", "8633-0", "8634-8", "8636-3", "8632-2", "8626-4", "8638-9", "66441-7"])
        #expect(os.prefix(7).map { ($0["valueQuantity"] as? [String: Any])?["code"] as? String } == ["ms", "ms", "ms", "ms", "deg", "deg", "deg"])
        #expect(Self.codes((os[7]["interpretation"] as? [Any])?.first) == ["H"])
    }

    @Test("a whole mixed batch is one valid Bundle; the count of validated Bundles is reported")
    func mixedBatchAndCount() throws {
        let body = try Self.bundle(ObservationKind.allCases.map { ClinicalSamples.reading($0, patientID: ResidentIDs.sample) })
        try Self.validate(body)
        #expect(try Self.observations(body).count == ObservationKind.allCases.count)
        if R4BValidator.isAvailable {
            // The validator does refuse: a Bundle whose Observation lacks its required status.
            let broken = Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\"status\":\"final\",", with: "").utf8)
            #expect(try R4BValidator.problems(batch: [broken, body]).map { $0 == nil } == [false, true])
        }
        print("FHIRClinicalTests: R4B-validated bundles so far: \(Self.validated.load(ordering: .relaxed))")
    }
}

@Suite("Uplink: patients reach the center once, with the right subject")
struct PatientUploadTests {
    @Test("unbound upload: a held reading is never sent; after binding it is delivered exactly once, with the bound patient")
    func heldUntilBoundThenOnce() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(key: "k1"), sessionID: nil, receivedAtMillis: testNow, patients: .gateway)
        let uplink = try Uplink(store: fixture.store, signer: testSigner,
                                settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0),
                                logger: LogCapture().logger())
        #expect(uplink.drainOnce(nowMillis: testNow + 10) == .idle)
        #expect(receiver.receivedObservations().isEmpty)
        _ = try fixture.store.bind(deviceSerial: "TD4277-0001", patientID: ResidentIDs.sample, actor: "t", atMillis: testNow + 20)
        #expect(uplink.drainOnce(nowMillis: testNow + 30) == .delivered(count: 1))
        #expect(uplink.drainOnce(nowMillis: testNow + 40) == .idle)
        _ = try fixture.store.bind(deviceSerial: "TD4277-0001", patientID: ResidentIDs.sample, actor: "t", atMillis: testNow + 50)
        #expect(uplink.drainOnce(nowMillis: testNow + 60) == .idle)
        let observations = receiver.receivedObservations()
        #expect(observations.count == 1)
        let subject = observations.first?["subject"] as? [String: Any]
        #expect((subject?["identifier"] as? [String: Any])?["value"] as? String == ResidentIDs.sample)
    }
}
