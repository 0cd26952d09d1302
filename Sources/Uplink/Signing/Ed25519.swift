internal import CLibCrypto

/// An Ed25519 private key (RFC 8032), signing through the system's libcrypto.
public struct Ed25519PrivateKey: Sendable {
    /// The 32-byte seed.
    public let rawRepresentation: [UInt8]

    /// A new key from the system's CSPRNG.
    public init() {
        var seed = [UInt8](repeating: 0, count: 32)
        // RAND_bytes fails only when the CSPRNG cannot be seeded; a key is never made from zeros.
        precondition(RAND_bytes(&seed, 32) == 1, "the system's random number generator is not available")
        rawRepresentation = seed
    }

    /// The key with this 32-byte seed; nil for any other length.
    public init?(rawRepresentation raw: [UInt8]) {
        guard raw.count == 32, let key = pg_ed25519_private_key(raw, raw.count) else { return nil }
        EVP_PKEY_free(key)
        rawRepresentation = raw
    }

    /// The matching public key.
    public var publicKey: Ed25519PublicKey {
        withKey { key in
            var raw = [UInt8](repeating: 0, count: 32)
            var length = 32
            let ok = EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1 && length == 32
            precondition(ok, "libcrypto could not derive an Ed25519 public key")
            return Ed25519PublicKey(checkedRaw: raw)
        }
    }

    /// The 64-byte signature of `message`.
    public func signature(for message: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(message)
        return withKey { key in
            let context = EVP_MD_CTX_new()
            defer { EVP_MD_CTX_free(context) }
            var signature = [UInt8](repeating: 0, count: 64)
            var length = 64
            let ok = EVP_DigestSignInit(context, nil, nil, nil, key) == 1
                && EVP_DigestSign(context, &signature, &length, bytes, bytes.count) == 1 && length == 64
            precondition(ok, "libcrypto could not make an Ed25519 signature")
            return signature
        }
    }

    private func withKey<T>(_ body: (OpaquePointer) -> T) -> T {
        // The seed was accepted by libcrypto when this value was made.
        let key = pg_ed25519_private_key(rawRepresentation, 32)!
        defer { EVP_PKEY_free(key) }
        return body(key)
    }
}

/// An Ed25519 public key (RFC 8032), verifying through the system's libcrypto.
public struct Ed25519PublicKey: Sendable, Equatable {
    /// The 32-byte encoded point.
    public let rawRepresentation: [UInt8]

    fileprivate init(checkedRaw: [UInt8]) { rawRepresentation = checkedRaw }

    /// The key with these 32 bytes; nil for any other length.
    public init?(rawRepresentation raw: [UInt8]) {
        guard raw.count == 32, let key = pg_ed25519_public_key(raw, raw.count) else { return nil }
        EVP_PKEY_free(key)
        rawRepresentation = raw
    }

    /// Whether `signature` is this key's signature of `message`.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
        let sig = Array(signature), bytes = Array(message)
        guard sig.count == 64, let key = pg_ed25519_public_key(rawRepresentation, 32) else { return false }
        defer { EVP_PKEY_free(key) }
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        return EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1
            && EVP_DigestVerify(context, sig, sig.count, bytes, bytes.count) == 1
    }
}

/// SHA-256 (FIPS 180-4) through the system's libcrypto.
public enum SHA256Digest {
    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = input.withUnsafeBytes { pg_sha256($0.baseAddress, $0.count, &digest) } == 1
        precondition(ok, "libcrypto could not compute SHA-256")
        return digest
    }
}
