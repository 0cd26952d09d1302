import Foundation
import Testing
@testable import Uplink

@Suite("Uplink: settings, retry policy and transaction responses")
struct UplinkPolicyTests {
    @Test(arguments: ["https://center.example/fhir", "http://127.0.0.1:8080/fhir", "http://127.9.8.7/x",
                      "http://localhost:9/fhir", "http://[::1]:8080/fhir", "HTTP://LOCALHOST/fhir"])
    func acceptedURLs(_ url: String) throws {
        try UplinkSettings(url: url).validate()
    }

    @Test(arguments: ["http://center.example/fhir", "http://192.0.2.10/fhir", "http://128.0.0.1/fhir",
                      "http://127.0.0.1.example.org/fhir", "http://[::2]/fhir"])
    func plainHTTPToOtherHostsIsRejected(_ url: String) throws {
        let error = try #require(throws: UplinkError.self) { try UplinkSettings(url: url).validate() }
        guard case .invalidURL(let named, let reason) = error else {
            Issue.record("expected invalidURL, got \(error)")
            return
        }
        #expect(named == url)
        #expect(reason.contains("only allowed to this machine"))
        #expect(error.description.contains(url))
    }

    @Test(arguments: ["ftp://center.example/", "center.example/fhir", "https:///nohost", "https://user:pw@center.example/"])
    func otherBadURLsAreRejected(_ url: String) {
        #expect(throws: UplinkError.self) { try UplinkSettings(url: url).validate() }
    }

    @Test func otherSettingsAreChecked() {
        #expect(throws: UplinkError.unknownTimeZone("Mars/Olympus")) {
            try UplinkSettings(url: "https://c.example/", timeZone: "Mars/Olympus").validate()
        }
        #expect(throws: UplinkError.unreadableCAFile(path: "/nonexistent/ca.pem")) {
            try UplinkSettings(url: "https://c.example/", caFile: "/nonexistent/ca.pem").validate()
        }
        #expect(throws: UplinkError.self) { try UplinkSettings(url: "https://c.example/", batchSize: 0).validate() }
        #expect(throws: UplinkError.self) {
            try UplinkSettings(url: "https://c.example/", backoffBaseSeconds: 10, backoffMaxSeconds: 5).validate()
        }
    }

    @Test func backoffDoublesIsCappedAndJittered() {
        let policy = RetryPolicy(baseSeconds: 2, maxSeconds: 300)
        #expect(policy.delayMillis(attempts: 0, unit: 0) == 2_000)
        #expect(policy.delayMillis(attempts: 1, unit: 0) == 4_000)
        #expect(policy.delayMillis(attempts: 3, unit: 0) == 16_000)
        #expect(policy.delayMillis(attempts: 8, unit: 0) == 300_000)
        #expect(policy.delayMillis(attempts: 1_000_000, unit: 0) == 300_000)
        #expect(policy.delayMillis(attempts: 2, unit: 1) == 9_600)
        #expect(policy.delayMillis(attempts: 2, unit: -1) == 6_400)
        for _ in 0..<100 {
            #expect((1_600...2_400).contains(policy.delayMillis(attempts: 0)))
        }
    }

    func sentBundle() -> FHIRBundle {
        FHIRBundle(body: [], entries: [.device(serial: "A"), .device(serial: "B"),
                                       .observation(readingID: 1, deviceSerial: "A"),
                                       .observation(readingID: 2, deviceSerial: "B"),
                                       .observation(readingID: 3, deviceSerial: "A")])
    }

    func response(_ statuses: [String]) -> [UInt8] {
        let entries = statuses.map { #"{"response":{"status":"\#($0)"}}"# }.joined(separator: ",")
        return Array(#"{"resourceType":"Bundle","type":"transaction-response","entry":[\#(entries)]}"#.utf8)
    }

    @Test func everyObservationNeedsA2xxEntry() throws {
        let all = try TransactionResponse.evaluate(response(["201 Created", "200 OK", "201 Created", "200", "201 Created"]),
                                                   for: sentBundle())
        #expect(all.accepted == [1, 2, 3] && all.rejected.isEmpty)
        let one = try TransactionResponse.evaluate(response(["201", "201", "201", "422 Unprocessable Entity", "201"]),
                                                   for: sentBundle())
        #expect(one.accepted == [1, 3])
        #expect(one.rejected.map(\.id) == [2])
        #expect(one.rejected.first?.reason.contains("422") == true)
        let device = try TransactionResponse.evaluate(response(["400 Bad Request", "201", "201", "201", "201"]),
                                                      for: sentBundle())
        #expect(device.accepted == [2])
        #expect(device.rejected.map(\.id) == [1, 3])
    }

    @Test func unusableResponsesAcknowledgeNothing() {
        #expect(throws: TransactionResponse.Invalid.self) {
            try TransactionResponse.evaluate(response(["201", "201", "201", "201"]), for: sentBundle())
        }
        #expect(throws: TransactionResponse.Invalid.self) {
            try TransactionResponse.evaluate(Array("<html>ok</html>".utf8), for: sentBundle())
        }
        #expect(throws: TransactionResponse.Invalid.self) {
            try TransactionResponse.evaluate(Array(#"{"resourceType":"Bundle","type":"batch-response","entry":[]}"#.utf8),
                                             for: sentBundle())
        }
    }
}
