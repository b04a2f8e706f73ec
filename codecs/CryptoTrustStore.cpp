// CryptoTrustStore: X509_verify_cert against configured anchors at a caller-given time, plus signer key usage.
#include "codecs/CryptoTrustStore.h"

#include "codecs/CryptoError.h"
#include "codecs/CryptoPem.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <ctime>
#include <map>
#include <mutex>

namespace chukan {

namespace {

using EkuPtr = std::unique_ptr<EXTENDED_KEY_USAGE, CryptoDeleter<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>>;

bool hasDocumentSigning(X509* leaf)
{
    EkuPtr eku(static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(leaf, NID_ext_key_usage, nullptr, nullptr)));
    if (!eku)
        return false;
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i)
    {
        char oid[80];
        if (OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku.get(), i), 1) > 0 &&
            std::string(oid) == CryptoTrustStore::DOCUMENT_SIGNING_OID)
            return true;
    }
    return false;
}

using Digest = std::array<unsigned char, 32>;

/// The SHA-256 of the certificate's DER; false when it cannot be computed.
bool derDigest(X509* cert, Digest& out)
{
    unsigned int n = 0;
    return X509_digest(cert, EVP_sha256(), out.data(), &n) == 1 && n == out.size();
}

/// ASN1_TIME as seconds since the epoch; false when it cannot be read.
bool epochOf(const ASN1_TIME* t, std::time_t& out)
{
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return false;
    out = timegm(&tm);
    return out != static_cast<std::time_t>(-1);
}

} // namespace

/// Accepted leaves: digest -> [from, until) where the whole chain is valid, and when checked.
class CryptoTrustStore::Verdicts
{
public:
    static constexpr std::size_t CAPACITY = 256;

    struct Window
    {
        std::time_t from = 0;      ///< latest notBefore of the chain (valid at from)
        std::time_t until = 0;     ///< earliest notAfter of the chain (expired at until)
        std::time_t checkedAt = 0; ///< the `at` of the full verification
    };

    bool covers(const Digest& d, std::time_t at)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _accepted.find(d);
        if (it == _accepted.end())
            return false;
        const Window& w = it->second;
        long age = static_cast<long>(at > w.checkedAt ? at - w.checkedAt : w.checkedAt - at);
        return w.from <= at && at < w.until && age <= VERDICT_MAX_AGE_SECONDS;
    }

    void remember(const Digest& d, const Window& w)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_accepted.size() >= CAPACITY && !_accepted.count(d))
            _accepted.clear(); // a handful of network signers in practice
        _accepted[d] = w;
    }

    std::atomic<std::size_t> verifications{0};

private:
    std::mutex _mutex;
    std::map<Digest, Window> _accepted;
};

CryptoTrustStore::CryptoTrustStore(X509StorePtr store, std::size_t count)
    : _store(std::move(store)), _count(count), _verdicts(std::make_shared<Verdicts>())
{
}

std::size_t CryptoTrustStore::chainVerifications() const
{
    return _verdicts->verifications.load();
}

Result<CryptoTrustStore> CryptoTrustStore::fromPem(const std::string& bundlePem)
{
    Result<std::vector<X509Ptr>> certs = CryptoPem::certificates(bundlePem, "trust anchors");
    if (!certs)
        return certs.status();
    X509StorePtr store(X509_STORE_new());
    if (!store)
        return CryptoError::status(Status::INTERNAL, "trust anchors: cannot allocate X509_STORE");
    for (const X509Ptr& c : certs.value())
        if (X509_STORE_add_cert(store.get(), c.get()) != 1) // takes its own reference
            return CryptoError::status(Status::INVALID_ARGUMENT,
                                       "trust anchor " + CryptoPem::subject(c.get()) + ": cannot add");
    return CryptoTrustStore(std::move(store), certs->size());
}

Status CryptoTrustStore::verifySigner(X509* leaf, STACK_OF(X509) * intermediates, const Poco::Timestamp& at) const
{
    const std::time_t atSeconds = static_cast<std::time_t>(at.epochTime());
    Digest digest{};
    // Only a leaf verified on its own (no caller-supplied intermediates) is remembered.
    const bool rememberable = intermediates == nullptr && derDigest(leaf, digest);
    if (rememberable && _verdicts->covers(digest, atSeconds))
        return Status::ok();
    _verdicts->verifications.fetch_add(1);
    auto who = [leaf] { return "signer " + CryptoPem::subject(leaf); };
    CryptoError::clear();
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), _store.get(), leaf, intermediates) != 1)
        return CryptoError::status(Status::INTERNAL, who() + ": cannot start chain verification");
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_time(param, atSeconds);
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
    if (X509_verify_cert(ctx.get()) != 1)
    {
        int err = X509_STORE_CTX_get_error(ctx.get());
        CryptoError::clear();
        return Status::denied(who() + ": not trusted: " + X509_verify_cert_error_string(err));
    }
    // Purpose: a document signer is an end entity whose key may make digital signatures.
    if (X509_check_ca(leaf) != 0)
        return Status::denied(who() + ": is a CA certificate, not a document signer");
    if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) == 0 ||
        (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0)
        return Status::denied(who() + ": key usage does not include digitalSignature");
    // Extended key usage must name document signing, so TLS certificates under the same root
    // (business-system clients, gateways) can never sign a permit.
    if (!hasDocumentSigning(leaf))
        return Status::denied(who() + ": extended key usage does not include documentSigning (" +
                              DOCUMENT_SIGNING_OID + ")");
    if (rememberable)
    {
        Verdicts::Window w;
        w.checkedAt = atSeconds;
        bool readable = false;
        STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
        for (int i = 0; chain && i < sk_X509_num(chain); ++i)
        {
            X509* c = sk_X509_value(chain, i);
            std::time_t from = 0, until = 0;
            readable = epochOf(X509_get0_notBefore(c), from) && epochOf(X509_get0_notAfter(c), until);
            if (!readable)
                break;
            w.from = i == 0 ? from : std::max(w.from, from);
            w.until = i == 0 ? until : std::min(w.until, until);
        }
        if (readable && w.from <= atSeconds && atSeconds < w.until)
            _verdicts->remember(digest, w);
    }
    return Status::ok();
}

} // namespace chukan
