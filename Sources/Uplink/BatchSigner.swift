internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Signs batches for one gateway: Ed25519 over `gateway|sequence|previous|sha256(body)`,
/// where `previous` and the body hash are lowercase hex SHA-256 and `sequence` is decimal.
public struct BatchSigner: Sendable {
    /// The gateway id sent in `X-Pocgate-Gateway`.
    public let gatewayID: String
    let key: GatewayKey

    public init(gatewayID: String, key: GatewayKey) {
        self.gatewayID = gatewayID
        self.key = key
    }

    /// The exact bytes that are signed.
    public static func message(gatewayID: String, sequence: Int64, previousSHA256: String, bodySHA256: String) -> [UInt8] {
        Array("\(gatewayID)|\(sequence)|\(previousSHA256)|\(bodySHA256)".utf8)
    }

    /// The base64 signature of a batch.
    public func signature(sequence: Int64, previousSHA256: String, bodySHA256: String) -> String {
        let message = Self.message(gatewayID: gatewayID, sequence: sequence, previousSHA256: previousSHA256,
                                   bodySHA256: bodySHA256)
        return Data(key.privateKey.signature(for: message)).base64EncodedString()
    }

    /// Whether `signature` (base64) is `publicKey`'s signature of the batch.
    public static func isValid(signature: String, publicKey: Ed25519PublicKey, gatewayID: String,
                               sequence: Int64, previousSHA256: String, bodySHA256: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        let message = Self.message(gatewayID: gatewayID, sequence: sequence, previousSHA256: previousSHA256,
                                   bodySHA256: bodySHA256)
        return publicKey.isValidSignature(bytes, for: message)
    }

    /// Lowercase hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256Digest.hash(bytes) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
