import Demo
import Emulators
import Daemon
import Foundation
import Synchronization

/// Collects what the receiver hands its handler.
final class ObservationRecorder: Sendable {
    private let seen = Mutex<[DemoObservation]>([])

    var observations: [DemoObservation] { seen.withLock { $0 } }

    func record(_ observation: DemoObservation) {
        seen.withLock { $0.append(observation) }
    }
}

enum ReceiverFixtures {
    static let serial = "2204A1B2C3D4E5F6"
    static let readingID = "2204A1B2C3D4E5F6-20240615T0830-120-40-1"

    /// A transaction Bundle as an uplink would send it: a Device and one glucose Observation,
    /// both conditional creates. `readingID` varies the Observation's identity.
    static func bundle(readingID: String = readingID, value: String = "120") -> String {
        """
        {"resourceType": "Bundle", "type": "transaction", "entry": [
          {"fullUrl": "urn:uuid:0b7e4b2c-0000-4000-8000-000000000001",
           "resource": {"resourceType": "Device", "serialNumber": "\(serial)",
                        "identifier": [{"system": "urn:pocgate:device-serial", "value": "\(serial)"}]},
           "request": {"method": "POST", "url": "Device", "ifNoneExist": "identifier=urn:pocgate:device-serial|\(serial)"}},
          {"fullUrl": "urn:uuid:0b7e4b2c-0000-4000-8000-000000000002",
           "resource": {"resourceType": "Observation", "status": "final",
                        "identifier": [{"system": "urn:pocgate:reading", "value": "\(readingID)"}],
                        "code": {"coding": [{"system": "http://loinc.org", "code": "41653-7",
                                             "display": "Glucose [Mass/volume] in Capillary blood by Glucometer"}]},
                        "valueQuantity": {"value": \(value), "unit": "mg/dL", "system": "http://unitsofmeasure.org", "code": "mg/dL"},
                        "effectiveDateTime": "2024-06-15T08:30:00+08:00",
                        "device": {"reference": "urn:uuid:0b7e4b2c-0000-4000-8000-000000000001"},
                        "note": [{"text": "before-meal"}]},
           "request": {"method": "POST", "url": "Observation", "ifNoneExist": "identifier=urn:pocgate:reading|\(readingID)"}}
        ]}
        """
    }

    /// The `response.status` of each entry of a transaction-response Bundle.
    static func entryStatuses(_ body: [UInt8]) -> [String] {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              json["type"] as? String == "transaction-response",
              let entries = json["entry"] as? [[String: Any]] else { return [] }
        return entries.compactMap { ($0["response"] as? [String: Any])?["status"] as? String }
    }

    /// POSTs `body` with /usr/bin/curl; returns the HTTP status and the response body.
    static func curlPost(port: Int, body: String, extraArguments: [String] = []) throws -> (status: Int, body: [UInt8]) {
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("demo-receiver-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: outFile) }
        let status = try curl(port: port, body: body, arguments: ["-o", outFile.path, "-w", "%{http_code}"] + extraArguments)
        let response = (try? Data(contentsOf: outFile)) ?? Data()
        return (Int(status) ?? 0, Array(response))
    }

    /// Runs /usr/bin/curl POSTing `body` to the receiver `times` times in one invocation (so
    /// libcurl may reuse the connection); returns what curl wrote to standard output.
    static func curl(port: Int, body: String, times: Int = 1, arguments: [String]) throws -> String {
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("demo-receiver-\(UUID().uuidString).json")
        try Data(body.utf8).write(to: bodyFile)
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sS", "--noproxy", "*", "--max-time", "20",
                          "-H", "Content-Type: application/fhir+json", "--data-binary", "@\(bodyFile.path)"]
            + arguments + Array(repeating: "http://127.0.0.1:\(port)/fhir", count: times)
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        return String(decoding: text, as: UTF8.self)
    }
}
