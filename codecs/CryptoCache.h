// CryptoCache: certificates and private keys parsed once per process, keyed by the SHA-256 of their PEM text and shared.
#pragma once

#include "codecs/CryptoPtr.h"
#include "codecs/Result.h"

#include <cstddef>
#include <string>

namespace chukan {

/// OpenSSL 3 decodes PEM keys and certificates through its provider decoders, which costs far
/// more than using them (an RSA-3072 key: more than the decryption itself). Callers that get
/// the same PEM text for every message (a gateway's own key, a recipient's certificate, the
/// network's signer) ask here instead of CryptoPem: the text is parsed once and the object is
/// handed out with its reference count raised (X509_up_ref / EVP_PKEY_up_ref), so the caller's
/// X509Ptr / EvpPkeyPtr frees only its own reference.
/// The objects returned are SHARED: use them (sign, verify, encrypt, decrypt, inspect), never
/// modify them. Callers that build or change objects use CryptoPem.
/// Only the digest of the PEM text is kept, never the text. Parse failures are not cached
/// (each call reports again, naming its own `what`). At most CAPACITY objects of each kind are
/// kept; the least recently used one goes first.
/// Thread-safety: every function may be called from any thread (one mutex around the maps;
/// parsing happens outside it).
class CryptoCache
{
public:
    static constexpr std::size_t CAPACITY = 64;

    /// CryptoPem::certificate through the cache.
    static Result<X509Ptr> certificate(const std::string& pem, const std::string& what);
    /// CryptoPem::privateKey through the cache.
    static Result<EvpPkeyPtr> privateKey(const std::string& pem, const std::string& what);

    struct Counts
    {
        std::size_t parsed = 0; ///< PEM texts parsed (cache misses that parsed)
        std::size_t hits = 0;   ///< calls answered from the cache
        std::size_t certificates = 0; ///< certificates held now
        std::size_t keys = 0;         ///< private keys held now
    };
    static Counts counts();
    /// Forgets every object (tests; a key rotation needs nothing: new text, new entry).
    static void clear();
};

} // namespace chukan
