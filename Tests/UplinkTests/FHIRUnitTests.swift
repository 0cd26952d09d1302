import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

@Suite("Uplink: units the center receives")
struct FHIRUnitTests {
    static let zone = ZoneInfo.named("Asia/Shanghai")!

    func observation(_ reading: Reading, units: UnitPolicy = .chinaDefault) throws -> [String: Any] {
        let mapper = FHIRMapper(settings: UplinkSettings(url: "https://center.example/fhir", units: units), zone: Self.zone)
        let bundle = mapper.bundle(for: [StoredReading(id: 1, reading: reading, receivedAtMillis: testNow, attempts: 0)])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bundle.body)) as? [String: Any])
        let resources = (object["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
        return try #require(resources.first { $0["resourceType"] as? String == "Observation" })
    }

    func code(_ observation: [String: Any]) -> String? {
        ((observation["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String
    }

    func original(_ observation: [String: Any]) -> [String: Any]? {
        (observation["extension"] as? [[String: Any]])?
            .first { $0["url"] as? String == FHIRCanonical().url(.originalQuantity) }?["valueQuantity"] as? [String: Any]
    }

    @Test("an mg/dL glucose is never sent as mmol/L (18× error): 120 mg/dL goes out as 6.7 mmol/L under 14743-9")
    func convertedGlucose() throws {
        let o = try observation(glucose(value: "120", unit: "mg/dL"))
        let quantity = try #require(o["valueQuantity"] as? [String: Any])
        #expect((quantity["value"] as? NSNumber)?.stringValue == "6.7")
        #expect(quantity["unit"] as? String == "mmol/L" && quantity["code"] as? String == "mmol/L")
        #expect(code(o) == "14743-9")
    }

    @Test("the device's own value and unit travel with a converted quantity, so the center can audit the conversion")
    func originalKept() throws {
        let o = try observation(glucose(value: "120", unit: "mg/dL"))
        let kept = try #require(original(o))
        #expect((kept["value"] as? NSNumber)?.intValue == 120)
        #expect(kept["unit"] as? String == "mg/dL" && kept["code"] as? String == "mg/dL")
        #expect(kept["system"] as? String == "http://unitsofmeasure.org")
    }

    @Test("a glucose already in mmol/L is sent unchanged and without an original-quantity extension")
    func unconvertedHasNoExtension() throws {
        let o = try observation(glucose(value: "5.65", unit: "mmol/L"))
        #expect(((o["valueQuantity"] as? [String: Any])?["value"] as? NSNumber)?.stringValue == "5.65")
        #expect(original(o) == nil)
    }

    @Test("with units 'as-reported' an mg/dL glucose goes out in mg/dL under 41653-7, never relabelled")
    func asReported() throws {
        let o = try observation(glucose(value: "120", unit: "mg/dL"), units: .asReported)
        let quantity = try #require(o["valueQuantity"] as? [String: Any])
        #expect((quantity["value"] as? NSNumber)?.intValue == 120 && quantity["unit"] as? String == "mg/dL")
        #expect(code(o) == "41653-7")
        #expect(original(o) == nil)
    }

    @Test("a bundle with converted, original and out-of-range quantities is valid FHIR R4B",
          .enabled(if: R4BValidator.isAvailable, "needs /usr/bin/python3 with fhir.resources"))
    func validR4B() throws {
        let mapper = FHIRMapper(settings: UplinkSettings(url: "https://center.example/fhir"), zone: Self.zone)
        let rows = [
            StoredReading(id: 1, reading: glucose(key: "a", value: "120", unit: "mg/dL", flags: [.beforeMeal]),
                          receivedAtMillis: testNow, attempts: 0, provenance: ReadingProvenance(gatewayID: "gw", profileVersion: 1, profileHash: "ab")),
            StoredReading(id: 2, reading: glucose(key: "b", value: "600", unit: "mg/dL", flags: [.aboveRange]), receivedAtMillis: testNow, attempts: 0),
            StoredReading(id: 3, reading: glucose(key: "c", value: "20", unit: "mg/dL", flags: [.belowRange, .afterMeal]), receivedAtMillis: testNow, attempts: 0),
            StoredReading(id: 4, reading: glucose(key: "d", value: "5.6", unit: "mmol/L", flags: [.stress]), receivedAtMillis: testNow, attempts: 0),
        ]
        let problems = try R4BValidator.problems(mapper.bundle(for: rows).body)
        #expect(problems == nil)
    }
}

/// The uploaded time of a reading whose meter clock was off (docs/CODES.md, "Device time").
@Suite("Uplink: device time")
struct FHIRDeviceTimeTests {
    static let zone = ZoneInfo.named("Asia/Shanghai")!
    let mapper = FHIRMapper(settings: UplinkSettings(url: "https://center.example/fhir"), zone: Self.zone)
    static let deviceTimeURL = "https://pocgate.invalid/fhir/StructureDefinition/device-time"

    func observation(_ row: StoredReading) throws -> [String: Any] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(mapper.bundle(for: [row]).body)) as? [String: Any])
        return try #require((object["entry"] as? [[String: Any]])?.compactMap { $0["resource"] as? [String: Any] }
            .first { $0["resourceType"] as? String == "Observation" })
    }

    @Test("a meter 2 h slow: the center receives the corrected time with the zone's offset, the meter's own time in an extension")
    func slowMeterUploadsCorrectedTime() throws {
        let row = StoredReading(id: 1, reading: glucose(), receivedAtMillis: testNow, attempts: 0,
                                correctedTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 10, minute: 30),
                                clockOffsetSeconds: 7200)
        let o = try observation(row)
        #expect(o["effectiveDateTime"] as? String == "2024-06-15T10:30:00+08:00")
        let ext = (o["extension"] as? [[String: Any]])?.first { $0["url"] as? String == Self.deviceTimeURL }
        #expect(ext?["valueString"] as? String == "2024-06-15T08:30:00")
    }

    @Test("a right clock (or a reading stored before v3): the device time is sent, with no device-time extension")
    func rightClockSendsDeviceTime() throws {
        for corrected in [nil, LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)] {
            let o = try observation(StoredReading(id: 1, reading: glucose(), receivedAtMillis: testNow, attempts: 0,
                                                  correctedTime: corrected, clockOffsetSeconds: corrected == nil ? nil : 40))
            #expect(o["effectiveDateTime"] as? String == "2024-06-15T08:30:00+08:00")
            #expect(((o["extension"] as? [[String: Any]]) ?? []).allSatisfy { $0["url"] as? String != Self.deviceTimeURL })
        }
    }

    @Test("a corrected reading with its device-time extension is valid FHIR R4B",
          .enabled(if: R4BValidator.isAvailable, "needs /usr/bin/python3 with fhir.resources"))
    func correctedIsValidR4B() throws {
        let row = StoredReading(id: 1, reading: glucose(value: "120", unit: "mg/dL"), receivedAtMillis: testNow, attempts: 0,
                                correctedTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 10, minute: 31, second: 7),
                                clockOffsetSeconds: 7267)
        #expect(try R4BValidator.problems(mapper.bundle(for: [row]).body) == nil)
    }
}
