// OpenSSL's libcrypto, the library libcurl's TLS already loads: Ed25519 signatures, SHA-256
// and the CSPRNG for the gateway key, so the process carries one crypto stack.
#include <openssl/evp.h>
#include <openssl/rand.h>

/// An Ed25519 key from its 32 raw private bytes (NULL when refused).
static inline EVP_PKEY *pg_ed25519_private_key(const unsigned char *raw, size_t length) {
    return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw, length);
}

/// An Ed25519 key from its 32 raw public bytes (NULL when refused).
static inline EVP_PKEY *pg_ed25519_public_key(const unsigned char *raw, size_t length) {
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, length);
}

/// SHA-256 of `length` bytes into `digest` (32 bytes); 1 on success.
static inline int pg_sha256(const void *data, size_t length, unsigned char *digest) {
    unsigned int size = 0;
    return EVP_Digest(data, length, digest, &size, EVP_sha256(), NULL) == 1 && size == 32;
}
