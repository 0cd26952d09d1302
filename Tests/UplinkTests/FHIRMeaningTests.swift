import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

@Suite("Uplink: meaning flags")
struct FHIRMeaningTests {
    func observations(_ readings: [Reading]) throws -> [[String: Any]] {
        let mapper = FHIRMapper(settings: UplinkSettings(url: "https://center.example/fhir"),
                                zone: ZoneInfo.named("Asia/Shanghai")!)
        let rows = readings.enumerated().map { StoredReading(id: Int64($0.offset + 1), reading: $0.element, receivedAtMillis: testNow, attempts: 0) }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(mapper.bundle(for: rows).body)) as? [String: Any])
        return (object["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
            .filter { $0["resourceType"] as? String == "Observation" }
    }

    func interpretation(_ o: [String: Any]) -> [String]? {
        (o["interpretation"] as? [[String: Any]])?.first.flatMap { $0["coding"] as? [[String: Any]] }?
            .compactMap { c in (c["system"] as? String).map { $0 + "|" + (c["code"] as? String ?? "") } }
    }

    func meal(_ o: [String: Any]) -> String? {
        let ext = (o["extension"] as? [[String: Any]])?.first { $0["url"] as? String == FHIRCanonical().url(.mealContext) }
        let coding = ((ext?["valueCodeableConcept"] as? [String: Any])?["coding"] as? [[String: Any]])?.first
        return coding.map { ($0["system"] as? String ?? "") + "|" + ($0["code"] as? String ?? "") }
    }

    @Test("a HI result is sent as '> limit' with interpretation 'off scale high', never as an exact number")
    func hiIsABound() throws {
        let o = try #require(try observations([glucose(value: "600", unit: "mg/dL", flags: [.aboveRange])]).first)
        let quantity = try #require(o["valueQuantity"] as? [String: Any])
        #expect(quantity["comparator"] as? String == ">")
        #expect((quantity["value"] as? NSNumber)?.stringValue == "33.3")
        #expect(interpretation(o) == ["http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation|>"])
    }

    @Test("a LO result is sent as '< limit' with interpretation 'off scale low', never as an exact number")
    func loIsABound() throws {
        let o = try #require(try observations([glucose(value: "20", unit: "mg/dL", flags: [.belowRange])]).first)
        let quantity = try #require(o["valueQuantity"] as? [String: Any])
        #expect(quantity["comparator"] as? String == "<")
        #expect((quantity["value"] as? NSNumber)?.stringValue == "1.2")
        #expect(interpretation(o) == ["http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation|<"])
    }

    @Test("an on-scale result has no comparator and no off-scale interpretation")
    func onScaleIsExact() throws {
        let o = try #require(try observations([glucose(value: "5.6")]).first)
        #expect((o["valueQuantity"] as? [String: Any])?["comparator"] == nil)
        #expect(o["interpretation"] == nil)
    }

    @Test("meal context travels as a coded v3 TimingEvent (AC/PC), so a post-meal value is not read as fasting")
    func mealContext() throws {
        let os = try observations([glucose(key: "a", flags: [.beforeMeal]), glucose(key: "b", flags: [.afterMeal]),
                                   glucose(key: "c", flags: [])])
        #expect(os.map(meal) == ["http://terminology.hl7.org/CodeSystem/v3-TimingEvent|AC",
                                 "http://terminology.hl7.org/CodeSystem/v3-TimingEvent|PC", nil])
    }

    @Test("flags without a FHIR code (patient comments) stay readable in note")
    func commentsStayInNote() throws {
        let o = try #require(try observations([glucose(flags: [.feelHypo, .stress])]).first)
        #expect(o["note"] as? [[String: String]] == [["text": "feel-hypo"], ["text": "stress"]])
    }

    @Test("a control-solution result is never uploaded: only the patient's reading reaches the center")
    func controlNeverUploaded() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(key: "control", value: "120", unit: "mg/dL", flags: [.controlSolution]),
                                     sessionID: nil, receivedAtMillis: testNow)
        _ = try fixture.store.insert(glucose(key: "patient"), sessionID: nil, receivedAtMillis: testNow + 1)
        let uplink = try Uplink(store: fixture.store, signer: testSigner,
                                settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0),
                                logger: LogCapture().logger())
        #expect(uplink.drainOnce(nowMillis: testNow + 10) == .delivered(count: 1))
        #expect(uplink.drainOnce(nowMillis: testNow + 20) == .idle)
        let identifiers = receiver.receivedObservations().compactMap { ($0["identifier"] as? [[String: Any]])?.first?["value"] as? String }
        #expect(identifiers == ["TD4277-0001/patient"])
        #expect(try fixture.store.queueSummary().controlResults == 1)
    }
}
