import Foundation
import TestSupport
import Testing
@testable import Uplink

/// `pocgate uplink test` against a real HTTPS server on 127.0.0.1: each way the link can fail
/// comes out as its own outcome, with the exit code that sends the operator the right way.
@Suite("Uplink: the link test", .serialized)
struct UplinkProbeTests {
    @Test("a FHIR R4 center with the right CA: ready, exit 0")
    func aReachableR4CenterIsReady() throws {
        let receiver = try HTTPSReceiver()
        let outcome = UplinkProbe.run(settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile))
        guard case .ready(let version, let software) = outcome else {
            Issue.record("expected ready, got \(outcome)")
            return
        }
        #expect(version == "4.0.1")
        #expect(software == "pocgate-fhir-receiver 1")
        #expect(outcome.exitCode == 0)
        #expect(receiver.requestCount() == 0, "the link test must send no reading")
    }

    @Test("the center's certificate is not trusted (system store, private CA): certificate rejected, exit 78")
    func anUntrustedCenterCertificateIsRejected() throws {
        let receiver = try HTTPSReceiver()
        let outcome = UplinkProbe.run(settings: UplinkSettings(url: receiver.url))
        guard case .certificateRejected = outcome else {
            Issue.record("expected certificate rejected, got \(outcome)")
            return
        }
        #expect(outcome.exitCode == 78)
        #expect(outcome.explanation.contains("uplink.ca_file"))
    }

    @Test("a certificate for another host: certificate rejected, not a network problem")
    func aCertificateForAnotherHostIsRejected() throws {
        var options = HTTPSReceiver.Options()
        options.certificateFlaw = .wrongHost
        let receiver = try HTTPSReceiver(options: options)
        let outcome = UplinkProbe.run(settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile))
        guard case .certificateRejected = outcome else {
            Issue.record("expected certificate rejected, got \(outcome)")
            return
        }
    }

    @Test("nothing listens on the port: unreachable, exit 69")
    func aClosedPortIsUnreachable() throws {
        let port = try Self.closedPort()
        let outcome = UplinkProbe.run(settings: UplinkSettings(url: "https://127.0.0.1:\(port)/fhir", connectTimeoutSeconds: 2,
                                                               totalTimeoutSeconds: 4))
        guard case .unreachable = outcome else {
            Issue.record("expected unreachable, got \(outcome)")
            return
        }
        #expect(outcome.exitCode == 69)
    }

    @Test("a center that wants a client certificate and gets none refuses this gateway, exit 77 (or, when the alert is lost to a closed socket, a broken handshake, 69) — never 'certificate, CA, clock'")
    func aMissingClientCertificateIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = try TestCertificates.generateClient(in: directory)
        var options = HTTPSReceiver.Options()
        options.clientCA = client.caFile
        let receiver = try HTTPSReceiver(options: options)
        let anonymous = UplinkProbe.run(settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile))
        switch anonymous {
        case .clientCertificateRefused, .handshakeInterrupted: break
        default: Issue.record("expected the client certificate refused, got \(anonymous)")
        }
        let enrolled = UplinkProbe.run(settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile,
                                                                clientCertificate: client.certFile, clientKey: client.keyFile))
        #expect(enrolled.exitCode == 0, "\(enrolled)")
    }

    @Test("answers that are not a FHIR R4 metadata read are told apart", arguments: [
        (401, #"{}"#, 77), (403, #"{}"#, 77), (404, #"<html>not found</html>"#, 78), (503, #"{}"#, 69),
        (200, #"<html>portal</html>"#, 78), (200, #"{"resourceType":"CapabilityStatement","fhirVersion":"3.0.2"}"#, 78),
        (200, #"{"resourceType":"CapabilityStatement","fhirVersion":"4.0.1"}"#, 0),
    ])
    func answersAreJudged(status: Int, body: String, exitCode: Int32) {
        let outcome = UplinkProbe.judge(HTTPResponse(status: status, body: Array(body.utf8)))
        #expect(outcome.exitCode == exitCode, "\(outcome)")
    }

    @Test("a TLS handshake broken off mid-way is not blamed on the certificate", arguments: [
        TransportError.tls(code: 35, detail: "OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 127.0.0.1:443"),
        TransportError.tls(code: 35, detail: "TLS connect error: error:0A000126:SSL routines::unexpected eof while reading"),
        TransportError.other(code: 56, detail: "Recv failure: Connection reset by peer"),
    ])
    func anInterruptedHandshakeIsNotACertificateProblem(error: TransportError) {
        guard case .handshakeInterrupted = UplinkProbe.classify(error) else {
            Issue.record("expected an interrupted handshake for \(error)")
            return
        }
    }

    @Test("a rejected server certificate and a refused client certificate keep their own outcomes", arguments: [
        (TransportError.tls(code: 60, detail: "SSL certificate problem: unable to get local issuer certificate"), Int32(78)),
        (TransportError.tls(code: 56, detail: "OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate required"), Int32(77)),
        (TransportError.tls(code: 58, detail: "could not load PEM client certificate"), Int32(77)),
    ])
    func certificateFailuresAreToldApart(error: TransportError, exitCode: Int32) {
        #expect(UplinkProbe.classify(error).exitCode == exitCode)
    }

    /// A loopback port nothing listens on: bound, read, closed.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestSupportError.socket("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func metadataURLsAreBuiltFromTheBase() {
        #expect(UplinkProbe.metadataURL(base: "https://c.example.cn/fhir") == "https://c.example.cn/fhir/metadata")
        #expect(UplinkProbe.metadataURL(base: "https://c.example.cn/fhir/") == "https://c.example.cn/fhir/metadata")
        #expect(UplinkProbe.metadataURL(base: "https://c.example.cn/fhir?x=1") == "https://c.example.cn/fhir/metadata")
    }
}
