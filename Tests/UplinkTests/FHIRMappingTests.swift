import Foundation
import PocGateCore
import Store
import Testing
@testable import Uplink

@Suite("Uplink: FHIR R4 mapping")
struct FHIRMappingTests {
    let mapper = FHIRMapper(settings: UplinkSettings(url: "https://center.example/fhir"),
                            zone: ZoneInfo.named("Asia/Shanghai")!)

    func bundleJSON(_ rows: [StoredReading]) throws -> (text: String, object: [String: Any]) {
        var counter = 0
        let bundle = mapper.bundle(for: rows) {
            counter += 1
            return UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", counter))!
        }
        let text = String(decoding: bundle.body, as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bundle.body)) as? [String: Any])
        return (text, object)
    }

    func resources(_ object: [String: Any], _ type: String) -> [[String: Any]] {
        (object["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
            .filter { $0["resourceType"] as? String == type }
    }

    @Test func valuesAreWrittenExactly() throws {
        let rows = [
            StoredReading(id: 1, reading: glucose(key: "a", value: "5.60"), receivedAtMillis: testNow, attempts: 0),
            StoredReading(id: 2, reading: glucose(key: "b", value: "120", unit: "mg/dL"), receivedAtMillis: testNow, attempts: 0),
            StoredReading(id: 3, reading: glucose(key: "c", value: "0.05"), receivedAtMillis: testNow, attempts: 0),
        ]
        let text = try bundleJSON(rows).text
        #expect(text.contains(#""value":5.60,"#) || text.contains(#""value":5.60}"#))
        #expect(text.contains(#""value":120"#) && !text.contains(#""value":120."#))
        #expect(text.contains(#""value":0.05"#))
    }

    @Test func observationHasTheAgreedShape() throws {
        let row = StoredReading(id: 7, reading: glucose(flags: [.beforeMeal]), receivedAtMillis: testNow + 123, attempts: 0)
        let (_, object) = try bundleJSON([row])
        #expect(object["resourceType"] as? String == "Bundle")
        #expect(object["type"] as? String == "transaction")
        let entries = try #require(object["entry"] as? [[String: Any]])
        #expect(entries.count == 2)
        let observationEntry = entries[1]
        let request = try #require(observationEntry["request"] as? [String: String])
        #expect(request == ["method": "POST", "url": "Observation",
                            "ifNoneExist": "identifier=https://pocgate.invalid/fhir/identifier/reading-id|TD4277-0001%2F2024-06-15T08%3A30%3A00%231"])
        #expect(observationEntry["fullUrl"] as? String == "urn:uuid:00000000-0000-4000-8000-000000000002")
        let observation = try #require(resources(object, "Observation").first)
        #expect(observation["status"] as? String == "final")
        #expect(observation["effectiveDateTime"] as? String == "2024-06-15T08:30:00+08:00")
        #expect(observation["issued"] as? String == "2024-06-15T00:30:00.123Z")
        #expect(observation["subject"] == nil)
        let identifier = try #require((observation["identifier"] as? [[String: String]])?.first)
        #expect(identifier == ["system": "https://pocgate.invalid/fhir/identifier/reading-id", "value": "TD4277-0001/2024-06-15T08:30:00#1"])
        let coding = try #require(((observation["code"] as? [String: Any])?["coding"] as? [[String: String]])?.first)
        #expect(coding == ["system": "http://loinc.org", "code": "14743-9",
                           "display": "Glucose [Moles/volume] in Capillary blood by Glucometer"])
        let category = try #require(((observation["category"] as? [[String: Any]])?.first?["coding"] as? [[String: String]])?.first)
        #expect(category["system"] == "http://terminology.hl7.org/CodeSystem/observation-category")
        #expect(category["code"] == "laboratory")
        let quantity = try #require(observation["valueQuantity"] as? [String: Any])
        #expect(quantity["unit"] as? String == "mmol/L" && quantity["code"] as? String == "mmol/L")
        #expect(quantity["system"] as? String == "http://unitsofmeasure.org")
        #expect(quantity["comparator"] == nil)
        #expect(observation["note"] as? [[String: String]] == [["text": "before-meal"]])
        #expect((observation["device"] as? [String: String])?["reference"] == "urn:uuid:00000000-0000-4000-8000-000000000001")
    }

    @Test func oneDevicePerSerial() throws {
        let rows = [
            StoredReading(id: 1, reading: glucose(serial: "A", key: "1"), receivedAtMillis: 0, attempts: 0),
            StoredReading(id: 2, reading: glucose(serial: "B", key: "1"), receivedAtMillis: 0, attempts: 0),
            StoredReading(id: 3, reading: glucose(serial: "A", key: "2"), receivedAtMillis: 0, attempts: 0),
        ]
        let (_, object) = try bundleJSON(rows)
        let devices = resources(object, "Device")
        #expect(devices.map { $0["serialNumber"] as? String } == ["A", "B"])
        #expect(devices[0]["deviceName"] as? [[String: String]] == [["name": "TD-4277", "type": "model-name"]])
        #expect(devices[0]["identifier"] as? [[String: String]] == [["system": "https://pocgate.invalid/fhir/identifier/device-serial", "value": "A"]])
        let requests = (object["entry"] as? [[String: Any]] ?? []).compactMap { $0["request"] as? [String: String] }
        #expect(requests[0]["ifNoneExist"] == "identifier=https://pocgate.invalid/fhir/identifier/device-serial|A")
        let references = resources(object, "Observation").map { ($0["device"] as? [String: String])?["reference"] }
        #expect(references == ["urn:uuid:00000000-0000-4000-8000-000000000001",
                               "urn:uuid:00000000-0000-4000-8000-000000000002",
                               "urn:uuid:00000000-0000-4000-8000-000000000001"])
    }

    @Test func aMeterWithoutModelGetsNoEmptyDeviceName() throws {
        var reading = glucose()
        reading.deviceModel = ""
        let devices = resources(try bundleJSON([StoredReading(id: 1, reading: reading, receivedAtMillis: 0, attempts: 0)]).object, "Device")
        #expect(devices.count == 1)
        #expect(devices.first?["deviceName"] == nil)
    }

    @Test func outOfRangeValuesCarryAComparator() throws {
        let rows = [
            StoredReading(id: 1, reading: glucose(key: "h", value: "600", unit: "mg/dL", flags: [.aboveRange]), receivedAtMillis: 0, attempts: 0),
            StoredReading(id: 2, reading: glucose(key: "l", value: "20", unit: "mg/dL", flags: [.belowRange]), receivedAtMillis: 0, attempts: 0),
        ]
        let observations = resources(try bundleJSON(rows).object, "Observation")
        #expect(observations.map { ($0["valueQuantity"] as? [String: Any])?["comparator"] as? String } == [">", "<"])
        #expect(observations.map { $0["note"] as? [[String: String]] } == [[["text": "hi"]], [["text": "lo"]]])
    }

    @Test func sameReadingAlwaysGivesTheSameIdentifierAndBody() throws {
        let row = StoredReading(id: 1, reading: glucose(), receivedAtMillis: testNow, attempts: 0)
        let first = try bundleJSON([row]).text
        let again = try bundleJSON([StoredReading(id: 99, reading: glucose(), receivedAtMillis: testNow, attempts: 3)]).text
        #expect(first == again)
    }

    @Test func identifierQueryEscapesSearchSyntax() {
        #expect(FHIRMapper.identifierQuery(system: "urn:x", value: "a|b,c$d\\e f/é")
                == "identifier=urn:x|a%5C%7Cb%5C%2Cc%5C%24d%5C%5Ce%20f%2F%C3%A9")
    }

    @Test func zoneOffsetsFollowTheDate() {
        let utc = FHIRTime(zone: ZoneInfo.named("UTC")!)
        #expect(utc.dateTime(LocalDateTime(year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5)) == "2024-01-02T03:04:05+00:00")
        let berlin = FHIRTime(zone: ZoneInfo.named("Europe/Berlin")!)
        #expect(berlin.dateTime(LocalDateTime(year: 2024, month: 1, day: 15, hour: 12)) == "2024-01-15T12:00:00+01:00")
        #expect(berlin.dateTime(LocalDateTime(year: 2024, month: 7, day: 15, hour: 12)) == "2024-07-15T12:00:00+02:00")
        let kolkata = FHIRTime(zone: ZoneInfo.named("Asia/Kolkata")!)
        #expect(kolkata.dateTime(LocalDateTime(year: 2024, month: 7, day: 15)) == "2024-07-15T00:00:00+05:30")
        let newYork = FHIRTime(zone: ZoneInfo.named("America/New_York")!)
        #expect(newYork.dateTime(LocalDateTime(year: 2024, month: 12, day: 31, hour: 23, minute: 59)) == "2024-12-31T23:59:00-05:00")
    }

    @Test func instantsAreUTCWithMilliseconds() {
        #expect(FHIRTime.instant(millis: 0) == "1970-01-01T00:00:00.000Z")
        #expect(FHIRTime.instant(millis: testNow + 5) == "2024-06-15T00:30:00.005Z")
        #expect(FHIRTime.instant(millis: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func jsonStringsAreEscaped() {
        let value = JSONText.object(["b": .string("quote\" back\\ nl\n ctl\u{01} é"), "a": .array([.number("1.50"), .bool(true), .null])])
        #expect(value.text == #"{"a":[1.50,true,null],"b":"quote\" back\\ nl\n ctl\u0001 é"}"#)
    }
}
