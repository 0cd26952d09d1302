import PocGateCore
internal import FoundationEssentials
internal import Store
#if canImport(Glibc)
internal import Glibc
#endif

/// The gateway's Ed25519 signing key: made on first start and kept, mode 0600, in a PEM
/// (PKCS#8) file next to the database (`gateway.key`). Its public half verifies the batches.
public struct GatewayKey: Sendable {
    /// The private key.
    public let privateKey: Ed25519PrivateKey

    public init(privateKey: Ed25519PrivateKey) {
        self.privateKey = privateKey
    }

    /// The default key file for a database at `storePath`: `gateway.key` in the same directory.
    public static func defaultPath(forStore storePath: String) -> String {
        let directory = PathText.directory(of: storePath)
        return (directory.isEmpty ? "." : directory) + "/gateway.key"
    }

    /// Reads the key at `path`, creating it (0600, written and synced before it appears under
    /// its name) when there is none. Two processes racing get the same key. An existing key
    /// file is held to 0600 like the database: a wider mode (a restore from a backup) is
    /// tightened through the open file and `tightened` is called with the mode it had; a link,
    /// device or file of another user under the name is refused (`GatewayKeyError.unsafe`).
    public static func loadOrCreate(path: String, tightened: (UInt32) -> Void = { _ in }) throws(GatewayKeyError) -> GatewayKey {
        var st = stat()
        if lstat(path, &st) == 0 {
            do {
                if let previous = try PrivateFile.tighten(path, create: false) { tightened(previous) }
            } catch {
                throw .unsafe(error)
            }
            return try load(path: path)
        }
        let key = Ed25519PrivateKey()
        let text = Ed25519PEM.encode(raw: key.rawRepresentation, isPrivate: true)
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .cannotWrite(path: path, errno: errno) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced else {
            let err = errno
            unlink(temporary)
            throw .cannotWrite(path: path, errno: err)
        }
        // link() never replaces: when another process won the race, use its key.
        let linked = link(temporary, path) == 0
        let linkError = errno
        unlink(temporary)
        if !linked && linkError != EEXIST { throw .cannotWrite(path: path, errno: linkError) }
        syncDirectory(of: path)
        return try load(path: path)
    }

    /// The largest key file read: a PEM Ed25519 key is about 120 bytes.
    static let maximumFileBytes = 16_384

    /// Reads the key at `path` (never through a symbolic link, at most `maximumFileBytes`).
    public static func load(path: String) throws(GatewayKeyError) -> GatewayKey {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let err = errno
            if err == ELOOP { throw .unsafe(.notRegularFile(path: path, kind: "a symbolic link")) }
            throw .cannotRead(path: path, errno: err)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotRead(path: path, errno: errno) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .unsafe(.notRegularFile(path: path, kind: PrivateFile.kind(st.st_mode))) }
        guard st.st_size <= maximumFileBytes else { throw .malformed(path: path) }
        var bytes = [UInt8](repeating: 0, count: maximumFileBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .cannotRead(path: path, errno: errno) }
            if n == 0 { break }
            count += n
        }
        guard count <= maximumFileBytes else { throw .malformed(path: path) }
        guard let raw = Ed25519PEM.raw(from: String(decoding: bytes[..<count], as: UTF8.self), isPrivate: true),
              let key = Ed25519PrivateKey(rawRepresentation: raw) else {
            throw .malformed(path: path)
        }
        return GatewayKey(privateKey: key)
    }

    /// The public key as PEM (SubjectPublicKeyInfo), as `pocgate key --public` prints it.
    public var publicKeyPEM: String {
        Ed25519PEM.encode(raw: privateKey.publicKey.rawRepresentation, isPrivate: false)
    }

    /// The public key's 32 raw bytes, base64.
    public var publicKeyBase64: String {
        Data(privateKey.publicKey.rawRepresentation).base64EncodedString()
    }

    /// Reads a public key given as PEM text, base64 DER or base64 raw bytes.
    public static func publicKey(from text: String) -> Ed25519PublicKey? {
        guard let raw = Ed25519PEM.raw(from: text, isPrivate: false) else { return nil }
        return Ed25519PublicKey(rawRepresentation: raw)
    }

    private static func syncDirectory(of path: String) {
        let directory = PathText.directory(of: path)
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }
}
