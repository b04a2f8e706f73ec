// PermitVerifier: accepts a signed provision permit only if authentic, trusted, current, addressed to us and unused.
#pragma once

#include "codecs/CryptoTrustStore.h"
#include "codecs/Permit.h"

#include <functional>
#include <memory>

namespace chukan {

/// Refusals, in the order they are checked (first failure wins):
///   INVALID_ARGUMENT     envelope or permit payload malformed (member named)
///   PERMISSION_DENIED    signer not trusted (chain, validity at `now`, or purpose)
///   CORRUPTION           signature does not verify (payload or signature altered)
///   FAILED_PRECONDITION  "not yet valid" (now < notBefore) or "expired" (now >= expiry)
///   PERMISSION_DENIED    "wrongly addressed": providerInstitution is not this institution
///   ALREADY_EXISTS       "replay": the seen-check reports the permit id or nonce as used
/// Thread-safety: immutable; verify() may run concurrently (the seen-check must be too).
class PermitVerifier
{
public:
    /// True when this permit id or nonce has been used before. Checking is not recording:
    /// the caller records an accepted permit (atomically with its use, in the store).
    using SeenCheck = std::function<bool(const Permit&)>;

    /// REQUIRES: trust non-null; institution is this tenant's 16-character 機関コード.
    PermitVerifier(std::shared_ptr<const CryptoTrustStore> trust, std::string institution)
        : _trust(std::move(trust)), _institution(std::move(institution))
    {
    }

    /// Parses the SignedEnvelope JSON, verifies it and the permit; the permit on success.
    Result<Permit> verify(const std::string& signedJson, const Poco::Timestamp& now, const SeenCheck& seen) const;

    /// The pure decision on an authentic permit: time window, addressing, replay.
    static Status check(const Permit& permit, const Poco::Timestamp& now, const std::string& institution,
                        const SeenCheck& seen);

private:
    std::shared_ptr<const CryptoTrustStore> _trust;
    std::string _institution;
};

} // namespace chukan
