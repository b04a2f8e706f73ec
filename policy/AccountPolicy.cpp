// AccountPolicy: lock-out, dormancy and expiry arithmetic in microseconds.
#include "policy/AccountPolicy.h"

namespace chukan
{

bool AccountPolicy::isLocked(const AccountFacts& a, Poco::Int64 now)
{
    return a.lockedUntil && now < *a.lockedUntil;
}

bool AccountPolicy::isDormant(const AccountFacts& a, const AccountRules& rules, Poco::Int64 now)
{
    return rules.dormantDays > 0 &&
           now - a.lastActivityAt > static_cast<Poco::Int64>(rules.dormantDays) * MICROS_PER_DAY;
}

AccountPolicy::Decision AccountPolicy::beforeLogin(const AccountFacts& a, const AccountRules& rules,
                                                   Poco::Int64 now)
{
    if (!a.enabled)
        return DISABLED;
    if (isLocked(a, now))
        return LOCKED;
    if (isDormant(a, rules, now))
        return DORMANT;
    return ALLOW;
}

std::optional<Poco::Int64> AccountPolicy::lockAfterFailure(int failedLogins,
                                                           const AccountRules& rules,
                                                           Poco::Int64 now)
{
    if (failedLogins < rules.maxFailedLogins)
        return std::nullopt;
    if (rules.lockoutMinutes == 0)
        return LOCKED_FOREVER;
    return now + static_cast<Poco::Int64>(rules.lockoutMinutes) * MICROS_PER_MINUTE;
}

std::optional<Poco::Int64> AccountPolicy::passwordExpiresAt(const AccountFacts& a,
                                                            const AccountRules& rules)
{
    if (rules.passwordExpiryDays == 0)
        return std::nullopt;
    return a.passwordChangedAt + static_cast<Poco::Int64>(rules.passwordExpiryDays) * MICROS_PER_DAY;
}

bool AccountPolicy::mustChangePassword(const AccountFacts& a, const AccountRules& rules,
                                       Poco::Int64 now)
{
    if (a.mustChangePassword)
        return true;
    std::optional<Poco::Int64> expires = passwordExpiresAt(a, rules);
    return expires && now >= *expires;
}

} // namespace chukan
