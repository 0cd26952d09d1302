import PocGateCore
internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Ed25519 keys in the standard PEM containers OpenSSL reads: PKCS#8 `PRIVATE KEY` and
/// SubjectPublicKeyInfo `PUBLIC KEY` (RFC 8410). Both are a fixed DER prefix and the 32 raw bytes.
enum Ed25519PEM {
    static let privatePrefix: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                         0x04, 0x22, 0x04, 0x20]
    static let publicPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    static func encode(raw: [UInt8], isPrivate: Bool) -> String {
        let label = isPrivate ? "PRIVATE KEY" : "PUBLIC KEY"
        let der = (isPrivate ? privatePrefix : publicPrefix) + raw
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }

    /// The 32 raw key bytes from a PEM text, a base64 SubjectPublicKeyInfo/PKCS#8 DER, or a
    /// base64 of the raw bytes; nil when it is none of these.
    static func raw(from text: String, isPrivate: Bool) -> [UInt8]? {
        let label = isPrivate ? "PRIVATE KEY" : "PUBLIC KEY"
        var body = text
        if let begin = text.firstRange(of: "-----BEGIN \(label)-----"), let end = text.firstRange(of: "-----END \(label)-----"),
           begin.upperBound <= end.lowerBound {
            body = String(text[begin.upperBound..<end.lowerBound])
        }
        let compact = body.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else { return nil }
        let bytes = [UInt8](data)
        let prefix = isPrivate ? privatePrefix : publicPrefix
        if bytes.count == prefix.count + 32, Array(bytes.prefix(prefix.count)) == prefix {
            return Array(bytes.suffix(32))
        }
        return bytes.count == 32 ? bytes : nil
    }
}
