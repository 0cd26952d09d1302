#if canImport(Glibc)
internal import Glibc
#endif
public import Store

/// Why the gateway key could not be read or made.
public enum GatewayKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key file exists but cannot be read (or is missing when only reading).
    case cannotRead(path: String, errno: Int32)
    /// The key file cannot be created.
    case cannotWrite(path: String, errno: Int32)
    /// The file is not an Ed25519 private key in PEM.
    case malformed(path: String)
    /// The name holds a link, device, hard-linked file or another user's file: refused, not
    /// followed or re-moded.
    case unsafe(PrivateFile.Refusal)

    public var description: String {
        switch self {
        case .cannotRead(let path, let err):
            return "gateway key: cannot read \(path) (\(String(cString: strerror(err)))); the daemon creates it on its first "
                + "start next to the database; run this as the pocgate user or root."
        case .cannotWrite(let path, let err):
            return "gateway key: cannot create \(path) (\(String(cString: strerror(err)))); the database directory must be "
                + "writable by the pocgate user."
        case .malformed(let path):
            return "gateway key: \(path) is not an Ed25519 private key in PEM (PKCS#8). Do not edit it; restore it from a "
                + "backup, or move it aside so a new key is made (and give the data center the new public key)."
        case .unsafe(let refusal):
            return "gateway key: refused: \(refusal)"
        }
    }
}
