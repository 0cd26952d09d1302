internal import CCurl

/// Why an HTTPS request did not get an answer from the server. Carries libcurl's `CURLcode`
/// and the text curl wrote to its error buffer.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection could be made (refused, unreachable, name not resolved).
    case connectFailed(code: Int32, detail: String)
    /// The connection or the whole request took longer than the configured timeout.
    case timedOut(code: Int32, detail: String)
    /// The TLS handshake or certificate verification failed.
    case tls(code: Int32, detail: String)
    /// The request was aborted because the uplink is stopping.
    case cancelled
    /// libcurl could not be set up (out of memory, unsupported option).
    case setup(code: Int32, detail: String)
    /// The data center redirected somewhere pocgate will not follow: not https, not 307/308,
    /// or too many hops. A configuration problem on either side; readings stay queued.
    case redirectRefused(code: Int32, detail: String)
    /// Any other failure while sending or receiving.
    case other(code: Int32, detail: String)

    /// The libcurl result code, when curl reported one.
    public var curlCode: Int32? {
        switch self {
        case .connectFailed(let code, _), .timedOut(let code, _), .tls(let code, _),
             .setup(let code, _), .other(let code, _), .redirectRefused(let code, _):
            return code
        case .cancelled:
            return nil
        }
    }

    /// Whether this is a TLS failure, which needs a technician rather than a retry.
    public var isTLS: Bool {
        if case .tls = self { return true }
        return false
    }

    /// Classifies a failed `curl_easy_perform`.
    static func from(_ code: CURLcode, detail: String) -> TransportError {
        let raw = Int32(code.rawValue)
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connectFailed(code: raw, detail: detail)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(code: raw, detail: detail)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CONNECT_ERROR,
             CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            return .tls(code: raw, detail: detail)
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        case CURLE_RECV_ERROR where isTLSText(detail), CURLE_SEND_ERROR where isTLSText(detail):
            // TLS 1.3: a server that wants a client certificate says so with an alert after the
            // handshake, which curl meets on its first read or write.
            return .tls(code: raw, detail: detail)
        default:
            return .other(code: raw, detail: detail)
        }
    }

    private static func isTLSText(_ detail: String) -> Bool {
        let text = detail.lowercased()
        return text.contains("ssl") || text.contains("tls") || text.contains("alert") || text.contains("certificate")
    }

    public var description: String {
        switch self {
        case .connectFailed(let code, let detail):
            return "cannot connect to the data center (curl \(code): \(detail)); check the gateway's network link, "
                + "DNS and the configured uplink URL. Readings stay queued."
        case .timedOut(let code, let detail):
            return "the data center did not answer in time (curl \(code): \(detail)); the network is slow or the "
                + "server is overloaded. Readings stay queued."
        case .tls(let code, let detail):
            switch UplinkProbe.classify(self) {
            case .handshakeInterrupted:
                return "the TLS handshake with the data center broke off (curl \(code): \(detail)); the connection was "
                    + "reset or closed mid-way (the center restarting, a proxy or a firewall), not a certificate problem. "
                    + "Readings stay queued."
            case .clientCertificateRefused:
                return "the data center refused this gateway's client certificate (curl \(code): \(detail)); check "
                    + "uplink.client_cert, uplink.client_key and the gateway's enrolment at the center. Readings stay queued."
            default:
                break
            }
            return "TLS verification of the data center failed (curl \(code): \(detail)); check the configured CA "
                + "file, that the URL's host name matches the server certificate, and the gateway's date and time "
                + "(a wrong clock makes valid certificates look expired). Readings stay queued."
        case .cancelled:
            return "the upload was cancelled because the uplink is stopping. Readings stay queued."
        case .setup(let code, let detail):
            return "libcurl could not be set up (curl \(code): \(detail)); check that libcurl with OpenSSL is installed."
        case .redirectRefused(let code, let detail):
            return "the data center redirected the upload and pocgate did not follow (curl \(code): \(detail)); fix the "
                + "configured uplink URL (it must be the final https:// address). Readings stay queued."
        case .other(let code, let detail):
            return "the upload failed (curl \(code): \(detail)). Readings stay queued."
        }
    }
}
