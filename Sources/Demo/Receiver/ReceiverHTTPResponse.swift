import Uplink
import Daemon
import Emulators
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 response the demo receiver sends.
package struct ReceiverHTTPResponse: Sendable {
    package var status: Int
    package var reason: String
    package var contentType: String
    package var body: [UInt8]
    /// Close the connection after sending, whatever the client asked.
    package var closeAfter = false

    /// The bytes on the wire; `keepAlive` is what the connection will do next.
    package func serialized(keepAlive: Bool) -> [UInt8] {
        let head = "HTTP/1.1 \(status) \(reason)\r\n"
            + "Content-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\n"
            + "Connection: \(keepAlive ? "keep-alive" : "close")\r\n"
            + "\r\n"
        return Array(head.utf8) + body
    }

    /// A FHIR JSON response.
    package static func fhir(status: Int, reason: String, _ json: [String: Any]) -> ReceiverHTTPResponse {
        ReceiverHTTPResponse(status: status, reason: reason, contentType: "application/fhir+json",
                             body: Array(JSONWriter.text(json, escapingSlashes: false).utf8))
    }

    /// A FHIR OperationOutcome with one error issue explaining what to change.
    package static func outcome(status: Int, reason: String, code: String, _ message: String, closeAfter: Bool = false) -> ReceiverHTTPResponse {
        var response = fhir(status: status, reason: reason, [
            "resourceType": "OperationOutcome",
            "issue": [["severity": "error", "code": code, "diagnostics": message]],
        ])
        response.closeAfter = closeAfter
        return response
    }
}
