internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

extension BatchSigner {
    /// The exact bytes signed for a heartbeat: `gateway|heartbeat|sentAtMillis|sha256(body)`.
    /// A batch's second field is its decimal sequence, so no heartbeat signature can pass for
    /// a batch's, nor the other way round.
    public static func heartbeatMessage(gatewayID: String, sentAtMillis: Int64, bodySHA256: String) -> [UInt8] {
        Array("\(gatewayID)|heartbeat|\(sentAtMillis)|\(bodySHA256)".utf8)
    }

    /// The base64 signature of a heartbeat body sent at `sentAtMillis`.
    public func heartbeatSignature(sentAtMillis: Int64, bodySHA256: String) -> String {
        let message = Self.heartbeatMessage(gatewayID: gatewayID, sentAtMillis: sentAtMillis, bodySHA256: bodySHA256)
        return Data(key.privateKey.signature(for: message)).base64EncodedString()
    }

    /// Whether `signature` (base64) is `publicKey`'s signature of the heartbeat.
    public static func isValidHeartbeat(signature: String, publicKey: Ed25519PublicKey, gatewayID: String,
                                        sentAtMillis: Int64, bodySHA256: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return publicKey.isValidSignature(bytes, for: heartbeatMessage(gatewayID: gatewayID, sentAtMillis: sentAtMillis,
                                                                       bodySHA256: bodySHA256))
    }
}
