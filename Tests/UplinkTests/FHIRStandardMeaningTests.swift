import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// What the center receives for the standards' meanings: the device's UTC offset, its own
/// codes, result status, and corrections as updates of the Observation they amend; every
/// Bundle validated with fhir.resources R4B.
@Suite("Uplink: standard meanings in FHIR")
struct FHIRStandardMeaningTests {
    static func reading(kind: ObservationKind = .glucose, code: String, value: String, unit: String,
                        key: String = "k1") -> Reading {
        Reading(profileID: "lab", deviceSerial: "ANALYZER-1", deviceModel: "Lab", recordKey: key, kind: kind, code: code,
                value: ExactDecimal(parsing: value)!, unit: unit, deviceTime: LocalDateTime(year: 2024, month: 3, day: 1, minute: 30),
                flags: [], raw: [], patientID: ResidentIDs.sample)
    }

    static func codings(_ observation: [String: Any]) -> [String] {
        ((observation["code"] as? [String: Any])?["coding"] as? [[String: Any]] ?? []).map {
            "\($0["system"] as? String ?? "")|\($0["code"] as? String ?? "")"
        }
    }

    @Test func aTimeSentAsUTCIsUploadedAsThatInstantNotEightHoursEarly() throws {
        var r = Self.reading(code: "2339-0", value: "98", unit: "mg/dL")
        r.utcOffsetSeconds = 0
        let body = try FHIRClinicalTests.bundle([r])
        let obs = try #require(try FHIRClinicalTests.observations(body).first)
        #expect(obs["effectiveDateTime"] as? String == "2024-03-01T00:30:00+00:00")
        try FHIRClinicalTests.validate(body)
    }

    @Test func theCodeTheDeviceSentIsUploadedNotReplacedByAnotherSpecimenOrMethod() throws {
        let loinc = "http://loinc.org"
        let body = try FHIRClinicalTests.bundle([
            Self.reading(code: "2339-0", value: "98", unit: "mg/dL", key: "a"),
            Self.reading(code: "15074-8", value: "5.4", unit: "mmol/L", key: "b"),
            Self.reading(kind: .oxygenSaturation, code: "2708-6", value: "97", unit: "%", key: "c"),
            Self.reading(kind: .heartRate, code: "MDC:149522", value: "72", unit: "/min", key: "d"),
        ])
        let obs = try FHIRClinicalTests.observations(body)
        // The default units policy wants mmol/L: 98 mg/dL of blood glucose goes out under the
        // blood code's molar partner, never under the capillary-meter code.
        #expect(Self.codings(obs[0]) == ["\(loinc)|15074-8"])
        #expect(Self.codings(obs[1]) == ["\(loinc)|15074-8"])
        #expect(Self.codings(obs[2]) == ["\(loinc)|2708-6"])
        #expect(Self.codings(obs[3]) == ["urn:oid:2.16.840.1.113883.6.24|149522", "\(loinc)|8867-4"],
                "the MDC code as sent, the heart-rate code the vital-signs profile requires added")
        try FHIRClinicalTests.validate(body)
    }

    @Test func aCorrectionUpdatesTheObservationItAmendsInsteadOfAddingASecondReading() throws {
        var corrected = Self.reading(code: "2339-0", value: "89", unit: "mg/dL", key: "k1|corrected|0")
        corrected.status = .corrected
        let row = StoredReading(id: 2, reading: corrected, receivedAtMillis: 1_718_411_400_000, attempts: 0, amendsRecordKey: "k1")
        let mapper = FHIRMapper(settings: UplinkSettings(url: "https://center.example/fhir"), zone: ZoneInfo.named("Asia/Shanghai")!)
        let body = mapper.bundle(for: [row]).body
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let entry = try #require((object["entry"] as? [[String: Any]])?.last)
        let request = try #require(entry["request"] as? [String: Any])
        #expect(request["method"] as? String == "PUT")
        #expect((request["url"] as? String)?.hasPrefix("Observation?identifier=") == true)
        #expect((request["url"] as? String)?.hasSuffix("|ANALYZER-1%2Fk1") == true, "\(request)")
        let resource = try #require(entry["resource"] as? [String: Any])
        #expect(resource["status"] as? String == "corrected")
        #expect(((resource["identifier"] as? [[String: Any]])?.first?["value"] as? String) == "ANALYZER-1/k1")
        try FHIRClinicalTests.validate(body)
    }
}
