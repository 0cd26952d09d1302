import Crypto
import Foundation
import Testing
@testable import Uplink

/// The libcrypto-backed Ed25519 and SHA-256 against RFC 8032's and FIPS 180-4's published
/// vectors and against an independent implementation (swift-crypto, BoringSSL): keys, signatures and
/// digests interchange both ways.
@Suite struct Ed25519CrossCheckTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = Array(hex.utf8)[...]
        while chars.count >= 2 {
            out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16)!)
            chars = chars.dropFirst(2)
        }
        return out
    }

    /// RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte).
    @Test(arguments: [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ])
    func rfc8032Vectors(seed: String, publicKey: String, message: String, signature: String) throws {
        let key = try #require(Ed25519PrivateKey(rawRepresentation: Self.bytes(seed)))
        #expect(key.publicKey.rawRepresentation == Self.bytes(publicKey))
        #expect(key.signature(for: Self.bytes(message)) == Self.bytes(signature))
        #expect(key.publicKey.isValidSignature(Self.bytes(signature), for: Self.bytes(message)))
    }

    @Test func signaturesInterchangeWithSwiftCrypto() throws {
        for i in 0..<32 {
            let message = Array("gw-test|\(i)|\(String(repeating: "0", count: 64))|body".utf8)
            let ours = Ed25519PrivateKey()
            let theirs = try Curve25519.Signing.PrivateKey(rawRepresentation: ours.rawRepresentation)
            #expect([UInt8](theirs.publicKey.rawRepresentation) == ours.publicKey.rawRepresentation)
            // Ed25519 signatures are deterministic: both libraries make the same bytes.
            let signature = ours.signature(for: message)
            #expect([UInt8](try theirs.signature(for: message)) == signature)
            #expect(theirs.publicKey.isValidSignature(signature, for: message))
            var tampered = message
            tampered[i % tampered.count] ^= 1
            #expect(!ours.publicKey.isValidSignature(signature, for: tampered))
            #expect(!theirs.publicKey.isValidSignature(signature, for: tampered))
        }
    }

    @Test func malformedKeysAndSignaturesAreRefused() {
        #expect(Ed25519PrivateKey(rawRepresentation: Array(repeating: 1, count: 31)) == nil)
        #expect(Ed25519PublicKey(rawRepresentation: Array(repeating: 1, count: 33)) == nil)
        let key = Ed25519PrivateKey()
        let signature = key.signature(for: [1, 2, 3])
        #expect(!key.publicKey.isValidSignature(signature.dropLast(), for: [1, 2, 3]))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: [1, 2, 3]))
        #expect(!key.publicKey.isValidSignature([UInt8](repeating: 0, count: 64), for: [1, 2, 3]))
    }

    @Test func sha256AgreesWithFIPSVectorsAndSwiftCrypto() {
        #expect(BatchSigner.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(BatchSigner.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        for n in [1, 55, 56, 64, 65, 1000, 100_000] {
            let input = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            #expect(SHA256Digest.hash(input) == [UInt8](SHA256.hash(data: input)))
        }
    }
}
