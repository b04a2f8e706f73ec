// PermitVerifier: envelope → signer chain → signature → permit fields → time, address and replay checks.
#include "codecs/PermitVerifier.h"

#include "codecs/SignedEnvelope.h"
#include "codecs/SignedTime.h"

namespace chukan {

Result<Permit> PermitVerifier::verify(const std::string& signedJson, const Poco::Timestamp& now,
                                      const SeenCheck& seen) const
{
    Result<SignedEnvelope> env = SignedEnvelope::parse(signedJson);
    if (!env)
        return env.status();
    Status s = env->verify(*_trust, now);
    if (!s)
        return Status(s.code(), "permit refused: " + s.message());
    Result<Permit> permit = Permit::parse(env->payload());
    if (!permit)
        return Status(permit.status().code(), "permit refused: " + permit.status().message());
    s = check(permit.value(), now, _institution, seen);
    if (!s)
        return s;
    return permit;
}

Status PermitVerifier::check(const Permit& permit, const Poco::Timestamp& now, const std::string& institution,
                             const SeenCheck& seen)
{
    const std::string who = "permit " + permit.permitId + " refused: ";
    if (now < permit.notBefore)
        return Status::precondition(who + "not yet valid: valid from " + SignedTime::format(permit.notBefore) +
                                    ", now " + SignedTime::format(now));
    if (!(now < permit.expiry))
        return Status::precondition(who + "expired at " + SignedTime::format(permit.expiry) + ", now " +
                                    SignedTime::format(now));
    if (institution.empty())
        return Status::invalid(who + "this institution's code is not configured");
    if (permit.providerInstitution != institution)
        return Status::denied(who + "wrongly addressed: provider is " + permit.providerInstitution +
                              ", this institution is " + institution);
    if (!seen)
        return Status::invalid(who + "no replay check supplied");
    if (seen(permit))
        return Status::exists(who + "replay: permit id or nonce " + permit.nonce + " already used");
    return Status::ok();
}

} // namespace chukan
