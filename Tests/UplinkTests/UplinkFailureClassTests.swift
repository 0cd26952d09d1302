import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// Each way an upload can fail is logged with its own code and a message that sends the
/// operator the right way: a center killed mid-handshake is not a certificate problem.
@Suite("Uplink: failure classes", .serialized)
struct UplinkFailureClassTests {
    /// One upload against `url`; the failure's log entry.
    func failOnce(url: String, caFile: String? = nil) throws -> (LogCapture.Entry, Uplink) {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: testNow)
        let log = LogCapture()
        let uplink = try Uplink(store: fixture.store, signer: testSigner,
                                settings: UplinkSettings(url: url, caFile: caFile, batchMaxWaitMillis: 0, connectTimeoutSeconds: 5),
                                logger: log.logger())
        guard case .deferred = uplink.drainOnce(nowMillis: testNow) else { throw TestSupportError.socket("the upload did not fail") }
        return (try #require(log.entries.last { $0.metadata["code"]?.hasPrefix("PG-UPL-") == true }), uplink)
    }

    @Test func aRefusedConnectionIsUnreachableNotATLSProblem() throws {
        let (entry, uplink) = try failOnce(url: "https://127.0.0.1:\(HTTPSReceiver.closedLoopbackPort())/fhir")
        #expect(entry.metadata["code"] == "PG-UPL-016")
        #expect(entry.level == .warning)
        #expect(entry.message.contains("refused or unreachable"))
        #expect(uplink.probeDueAtMillis != nil, "the center is probed each base interval")
    }

    @Test func aCenterKilledMidHandshakeIsNotBlamedOnCertificates() throws {
        let breaker = try HandshakeBreaker()
        let (entry, uplink) = try failOnce(url: "https://127.0.0.1:\(breaker.port)/fhir")
        #expect(breaker.brokenCount >= 1)
        #expect(entry.metadata["code"] == "PG-UPL-018", "\(entry.text)")
        #expect(entry.message.contains("not a certificate problem"))
        let text = entry.text.lowercased()
        #expect(!text.contains("ca file") && !text.contains("date and time") && !text.contains("clock"), "\(entry.text)")
        #expect(uplink.probeDueAtMillis != nil)
    }

    @Test func aRejectedServerCertificateIsPGUPL006() throws {
        var options = HTTPSReceiver.Options()
        options.certificateFlaw = .expired
        let receiver = try HTTPSReceiver(options: options)
        let (entry, uplink) = try failOnce(url: receiver.url, caFile: receiver.caFile)
        #expect(entry.metadata["code"] == "PG-UPL-006")
        #expect(entry.level == .error)
        #expect(entry.message.contains("certificate was rejected"))
        #expect(uplink.probeDueAtMillis == nil, "a certificate problem is not probed away")
    }

    @Test("curl results map to their class", arguments: [
        (TransportError.connectFailed(code: 7, detail: "Failed to connect to 127.0.0.1 port 9: Connection refused"), "PG-UPL-016", true),
        (.connectFailed(code: 6, detail: "Could not resolve host: fhir.center.invalid"), "PG-UPL-016", true),
        (.timedOut(code: 28, detail: "Connection timed out after 1001 milliseconds"), "PG-UPL-017", true),
        (.timedOut(code: 28, detail: "Operation timed out after 30000 milliseconds with 0 bytes received"), "PG-UPL-017", false),
        (.tls(code: 35, detail: "OpenSSL SSL_connect: Connection reset by peer in connection to 127.0.0.1:443"), "PG-UPL-018", true),
        (.tls(code: 35, detail: "TLS connect error: error:0A000126:SSL routines::unexpected eof while reading"), "PG-UPL-018", true),
        (.other(code: 56, detail: "Recv failure: Connection reset by peer"), "PG-UPL-018", false),
        (.tls(code: 60, detail: "SSL certificate problem: unable to get local issuer certificate"), "PG-UPL-006", false),
        (.tls(code: 56, detail: "OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate required"), "PG-UPL-019", false),
    ])
    func curlResultsMapToTheirClass(error: TransportError, code: String, probed: Bool) {
        let log = LogCapture()
        DeliveryFailure.transport(error).log(to: log.logger(), metadata: [:])
        #expect(log.entries.map { $0.metadata["code"] } == [code])
        #expect(UplinkRecovery.linkDown(.transport(error)) == probed)
    }

    @Test func theDNSMessageNamesDNS() throws {
        let log = LogCapture()
        DeliveryFailure.transport(.connectFailed(code: 6, detail: "Could not resolve host: x.invalid")).log(to: log.logger(), metadata: [:])
        let message = try #require(log.entries.first).message
        #expect(message.contains("DNS") && !message.contains("refused"))
    }
}
