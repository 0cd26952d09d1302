internal import CCurl
import Logging
internal import PocGateCore

extension DeliveryFailure {
    /// Logs this failure of a batch with its stable code, at error when a technician must act
    /// and at warning when it is the network's weather, with a message that points the right
    /// way. Failure classes are told apart from libcurl's result: a connection refused or a
    /// name not resolved (PG-UPL-016), no answer in time (PG-UPL-017), a connection reset or a
    /// TLS handshake broken off mid-way (PG-UPL-018, never blamed on certificates), the
    /// center's certificate rejected (PG-UPL-006), this gateway's client certificate refused
    /// (PG-UPL-019), a redirect not followed (PG-UPL-014), a configuration-type HTTP refusal
    /// (PG-UPL-007), any other HTTP "later" or unusable answer (PG-UPL-008).
    func log(to log: Logger, metadata: Logger.Metadata) {
        func tagged(_ code: LogCode) -> Logger.Metadata { metadata.merging(["code": "\(code)"]) { $1 } }
        let error: TransportError
        switch self {
        case .transport(let transport):
            error = transport
        case .httpStatus(let status, _) where ResponseClass(status: status) != .later:
            log.error("the data center refused the batch; it will be retried", metadata: tagged(LogCode.batchRefused))
            return
        case .httpStatus, .invalidResponse:
            log.warning("delivery failed; batch will be retried", metadata: tagged(LogCode.deliveryFailed))
            return
        }
        if case .redirectRefused = error {
            log.error("the data center redirected the upload to an address pocgate does not follow; batch will be retried",
                      metadata: tagged(LogCode.redirectRefused))
            return
        }
        switch UplinkProbe.classify(error) {
        case .unreachable:
            let resolve: Set<Int32> = [Int32(CURLE_COULDNT_RESOLVE_HOST.rawValue), Int32(CURLE_COULDNT_RESOLVE_PROXY.rawValue)]
            let what = resolve.contains(error.curlCode ?? 0)
                ? "the data center's name (or the proxy's) does not resolve: check DNS on the box"
                : "cannot connect to the data center (refused or unreachable): the center's service is down or a firewall is in the way"
            log.warning("\(what); the batch goes as soon as the center answers again", metadata: tagged(LogCode.centerUnreachable))
        case .timedOut:
            log.warning("the data center did not answer in time (slow link or overloaded center); batch will be retried",
                        metadata: tagged(LogCode.centerTimedOut))
        case .handshakeInterrupted:
            let text = "the connection to the data center broke off (reset or closed mid-way; not a certificate problem): "
                + "the center restarting, a proxy or a firewall; batch will be retried"
            log.warning("\(text)", metadata: tagged(LogCode.connectionBrokeOff))
        case .certificateRejected:
            log.error("TLS failure: the data center's certificate was rejected (CA, host name, clock); batch will be retried",
                      metadata: tagged(LogCode.tlsFailure))
        case .clientCertificateRefused:
            let text = "the data center refused this gateway's client certificate (uplink.client_cert, uplink.client_key, "
                + "enrolment at the center); batch will be retried"
            log.error("\(text)", metadata: tagged(LogCode.clientCertificateRefused))
        case .ready, .authenticationRefused, .notFHIRR4, .serverTrouble:
            log.warning("delivery failed; batch will be retried", metadata: tagged(LogCode.deliveryFailed))
        }
    }
}
