// CryptoTrustStore: the configured trust anchors (e.g. the network root in ca.pem) and chain verification.
#pragma once

#include "codecs/CryptoPtr.h"
#include "codecs/Result.h"

#include <Poco/Timestamp.h>

#include <string>

namespace chukan {

/// Immutable after construction; verify() builds its own X509_STORE_CTX, so one store may be
/// shared by every thread.
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

private:
    CryptoTrustStore(X509StorePtr store, std::size_t count) : _store(std::move(store)), _count(count) {}

    X509StorePtr _store;
    std::size_t _count;
};

} // namespace chukan
