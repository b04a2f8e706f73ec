// CryptoCache: certificates and private keys parsed once per process, keyed by the SHA-256 of their PEM text and shared.
#pragma once

#include "codecs/CryptoPtr.h"
#include "codecs/Result.h"

#include <cstddef>
#include <memory>
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

    /// A signing key with its certificate (both SHARED, as above) and the certificate as
    /// CryptoPem::toPem writes it (what a signed envelope carries).
    struct Signer
    {
        EvpPkeyPtr key;
        X509Ptr certificate;
        std::shared_ptr<const std::string> certificatePem;
    };
    /// The key and the certificate through the cache, checked to belong together
    /// (X509_check_private_key) and the certificate written as PEM: both done once per pair of
    /// texts, since a signer (ipn-sim's network key) signs every message with the same pair.
    /// A pair that does not belong together is not kept: every call checks it again and reports
    /// INVALID_ARGUMENT "<certWhat> (<subject>): does not belong to the <keyWhat>".
    static Result<Signer> signer(const std::string& keyPem, const std::string& certPem,
                                 const std::string& keyWhat, const std::string& certWhat);

    struct Counts
    {
        std::size_t parsed = 0; ///< PEM texts parsed (cache misses that parsed)
        std::size_t hits = 0;   ///< calls answered from the cache
        std::size_t certificates = 0; ///< certificates held now
        std::size_t keys = 0;         ///< private keys held now
        std::size_t signers = 0;      ///< checked (key, certificate) pairs held now
        std::size_t pairChecks = 0;   ///< X509_check_private_key calls made by signer()
    };
    static Counts counts();
    /// Forgets every object (tests; a key rotation needs nothing: new text, new entry).
    static void clear();
};

} // namespace chukan
