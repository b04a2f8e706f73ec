// CryptoTrustStore: the configured trust anchors (e.g. the network root in ca.pem) and chain verification.
#pragma once

#include "codecs/CryptoPtr.h"
#include "codecs/Result.h"

#include <Poco/Timestamp.h>

#include <memory>
#include <string>

namespace chukan {

/// Immutable after construction, apart from a small memory of signers it has accepted: after a
/// full verification succeeds, the leaf (by the SHA-256 of its DER) is remembered with the
/// window in which every certificate of its chain is valid, and verifySigner() at a time inside
/// that window, and within VERDICT_MAX_AGE_SECONDS of the verification, answers OK without
/// building the chain again (nothing else in the verification depends on the time: the store
/// holds anchors only, no CRLs). Refusals are never remembered. verifySigner() builds its own
/// X509_STORE_CTX and the memory is behind a mutex, so one store may be shared by every thread.
class CryptoTrustStore
{
public:
    /// Every certificate in `bundlePem` becomes a trust anchor. INVALID_ARGUMENT if none parses.
    static Result<CryptoTrustStore> fromPem(const std::string& bundlePem);

    /// id-kp-documentSigning (RFC 9336): the extended key usage a document signer must carry.
    static constexpr const char* DOCUMENT_SIGNING_OID = "1.3.6.1.5.5.7.3.36";

    /// OK when `leaf` chains to an anchor through `intermediates` (may be null) with every
    /// certificate valid at `at`, and `leaf` is an end-entity certificate (not a CA) whose key
    /// usage allows digitalSignature and whose extended key usage includes documentSigning.
    /// Otherwise PERMISSION_DENIED naming the subject and reason.
    Status verifySigner(X509* leaf, STACK_OF(X509) * intermediates, const Poco::Timestamp& at) const;

    std::size_t anchorCount() const { return _count; }

    /// A remembered acceptance is used for at most this long (of `at`) before a full check again.
    static constexpr long VERDICT_MAX_AGE_SECONDS = 300;
    /// Full chain verifications done (not answered from the memory of accepted signers).
    std::size_t chainVerifications() const;

private:
    class Verdicts;

    CryptoTrustStore(X509StorePtr store, std::size_t count);

    X509StorePtr _store;
    std::size_t _count;
    std::shared_ptr<Verdicts> _verdicts;
};

} // namespace chukan
