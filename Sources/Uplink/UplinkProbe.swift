internal import CCurl
internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate uplink test`: one read-only request to the center — the TLS handshake with the
/// configured CA, client certificate and proxy, then a FHIR `metadata` read — with the outcome
/// told apart so an operator knows which thing to fix. Sends no reading.
public enum UplinkProbe {
    /// What the probe found.
    public enum Outcome: Sendable, Equatable {
        /// The center answered `metadata` with an R4 CapabilityStatement.
        case ready(fhirVersion: String, software: String?)
        /// No connection: refused, unreachable, name or proxy not resolved.
        case unreachable(detail: String)
        /// No answer within the configured timeouts.
        case timedOut(detail: String)
        /// The TLS connection broke off during the handshake (reset, closed): a network or
        /// middlebox problem, not a certificate one.
        case handshakeInterrupted(detail: String)
        /// pocgate rejected the center's certificate (unknown CA, name mismatch, expired, clock).
        case certificateRejected(detail: String)
        /// The center's TLS layer refused this gateway's client certificate, or none was sent.
        case clientCertificateRefused(detail: String)
        /// HTTP 401/403/407: authentication or authorisation refused.
        case authenticationRefused(status: Int)
        /// The URL answered, but not as a FHIR R4 server (404, not a CapabilityStatement, another
        /// FHIR version).
        case notFHIRR4(detail: String)
        /// HTTP 5xx or another failure: the center is there but not well.
        case serverTrouble(detail: String)

        /// The sysexits code for this outcome: 0, 69 unavailable, 77 no permission, 78 configuration.
        public var exitCode: Int32 {
            switch self {
            case .ready: return 0
            case .unreachable, .timedOut, .handshakeInterrupted, .serverTrouble: return 69
            case .authenticationRefused, .clientCertificateRefused: return 77
            case .certificateRejected, .notFHIRR4: return 78
            }
        }

        /// One sentence: what happened and what to do.
        public var explanation: String {
            switch self {
            case .ready(let version, let software):
                return "the center answers as a FHIR \(version) server\(software.map { " (\($0))" } ?? ""): TLS, "
                    + "authentication and the URL are right"
            case .unreachable(let detail):
                return "cannot connect (\(detail)): check the network link, DNS, the proxy (uplink.proxy) and the "
                    + "host and port in uplink.url"
            case .timedOut(let detail):
                return "no answer in time (\(detail)): the link is slow or a firewall drops the traffic; check the "
                    + "route to the center, or raise uplink.connect_timeout_s"
            case .handshakeInterrupted(let detail):
                return "the TLS handshake did not complete (\(detail)): the connection broke off or a middlebox "
                    + "interfered, not a certificate problem; retry, then check the proxy and firewalls between the box "
                    + "and the center"
            case .certificateRejected(let detail):
                return "the center's certificate was not accepted (\(detail)): check uplink.ca_file, that the host "
                    + "in uplink.url matches the certificate, and the box's clock (timedatectl)"
            case .clientCertificateRefused(let detail):
                return "the center refused this gateway's client certificate (\(detail)): check uplink.client_cert "
                    + "and uplink.client_key, and that the center has enrolled this gateway"
            case .authenticationRefused(let status):
                return "the center answered \(status): this gateway is not authorised; check the client certificate "
                    + "(or the proxy's credentials for 407) and the gateway's enrolment at the center"
            case .notFHIRR4(let detail):
                return "uplink.url does not lead to a FHIR R4 server (\(detail)): set it to the center's FHIR base "
                    + "address (the one whose /metadata answers)"
            case .serverTrouble(let detail):
                return "the center is reachable but failing (\(detail)): readings stay queued; tell the center's "
                    + "operators if it lasts"
            }
        }
    }

    /// The `metadata` address for a FHIR base URL.
    public static func metadataURL(base: String) -> String {
        var trimmed = Substring(base)
        if let query = trimmed.firstIndex(where: { $0 == "?" || $0 == "#" }) { trimmed = trimmed[..<query] }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed + "/metadata"
    }

    /// Tells the transport failures apart.
    static func classify(_ error: TransportError) -> Outcome {
        switch error {
        case .connectFailed(_, let detail):
            return .unreachable(detail: detail)
        case .timedOut(_, let detail):
            return .timedOut(detail: detail)
        case .tls(let code, let detail):
            return classifyTLS(code: code, detail: detail)
        case .other(let code, let detail):
            if interrupted(detail) { return .handshakeInterrupted(detail: "curl \(code): \(detail)") }
            return .serverTrouble(detail: "curl \(code): \(detail)")
        case .redirectRefused(_, let detail):
            return .notFHIRR4(detail: detail)
        case .setup(_, let detail):
            return .serverTrouble(detail: detail)
        case .cancelled:
            return .serverTrouble(detail: "cancelled")
        }
    }

    private static func classifyTLS(code: Int32, detail: String) -> Outcome {
        let text = detail.lowercased()
        let verification: Set<Int32> = [Int32(CURLE_PEER_FAILED_VERIFICATION.rawValue), Int32(CURLE_SSL_CACERT_BADFILE.rawValue),
                                        Int32(CURLE_SSL_ISSUER_ERROR.rawValue), Int32(CURLE_SSL_PINNEDPUBKEYNOTMATCH.rawValue),
                                        Int32(CURLE_SSL_INVALIDCERTSTATUS.rawValue), Int32(CURLE_SSL_CRL_BADFILE.rawValue)]
        if verification.contains(code) { return .certificateRejected(detail: "curl \(code): \(detail)") }
        if code == Int32(CURLE_SSL_CERTPROBLEM.rawValue) {
            return .clientCertificateRefused(detail: "curl \(code): the client certificate or key cannot be used: \(detail)")
        }
        // The server's alert after our certificate (TLS 1.2 in the handshake, TLS 1.3 at the
        // first read) names it: "certificate required", "unknown ca", "bad certificate".
        if text.contains("alert") && (text.contains("certificate") || text.contains("unknown ca")) {
            return .clientCertificateRefused(detail: "curl \(code): \(detail)")
        }
        // With OpenSSL a rejected server certificate is always CURLE_PEER_FAILED_VERIFICATION;
        // any other handshake failure (reset, EOF, protocol) is the link, not the certificate.
        return .handshakeInterrupted(detail: "curl \(code): \(detail)")
    }

    /// Texts of a connection that ended mid-handshake rather than one that was refused.
    private static func interrupted(_ detail: String) -> Bool {
        let text = detail.lowercased()
        return ["unexpected eof", "connection reset", "ssl_error_syscall", "connection was reset", "broken pipe",
                "connection closed",
                "not connected", "send failure", "recv failure"].contains { text.contains($0) }
    }
}
