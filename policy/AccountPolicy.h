// AccountPolicy: pure decisions on a staff account — lock-out, dormancy, password expiry.
#pragma once

#include <Poco/Types.h>

#include <optional>

namespace chukan
{

/// The configurable limits (chukan.console.* in gateway/Settings).
struct AccountRules
{
    int maxFailedLogins = 5;    ///< consecutive failures that lock the account
    int lockoutMinutes = 30;    ///< 0: locked until an administrator resets the password
    int passwordExpiryDays = 90;///< 0: passwords never expire
    int dormantDays = 90;       ///< 0: accounts are never disabled for lack of use
};

/// What the decisions need to know about an account (see adapters/StaffStore).
struct AccountFacts
{
    bool enabled = true;
    int failedLogins = 0;
    std::optional<Poco::Int64> lockedUntil; ///< micros; locked while now < lockedUntil
    Poco::Int64 lastActivityAt = 0;         ///< last login, or creation / enabling / reset
    Poco::Int64 passwordChangedAt = 0;
    bool mustChangePassword = false;
};

/// Pure and thread-safe.
class AccountPolicy
{
public:
    enum Decision
    {
        ALLOW,    ///< may try the password
        LOCKED,   ///< too many failures: refused without checking the password
        DISABLED, ///< disabled by an administrator (or earlier for dormancy)
        DORMANT   ///< unused for longer than dormantDays: to be disabled now
    };

    static constexpr Poco::Int64 LOCKED_FOREVER = 0x7fffffffffffffffLL;
    static constexpr Poco::Int64 MICROS_PER_MINUTE = 60LL * 1000000LL;
    static constexpr Poco::Int64 MICROS_PER_DAY = 86400LL * 1000000LL;

    /// Checked in this order: disabled, locked, dormant.
    static Decision beforeLogin(const AccountFacts& account, const AccountRules& rules,
                                Poco::Int64 nowMicros);
    static bool isLocked(const AccountFacts& account, Poco::Int64 nowMicros);
    static bool isDormant(const AccountFacts& account, const AccountRules& rules,
                          Poco::Int64 nowMicros);

    /// The lock to set after the failedLogins-th consecutive failure: nullopt while below the
    /// limit, else now + lockoutMinutes (LOCKED_FOREVER when lockoutMinutes is 0).
    static std::optional<Poco::Int64> lockAfterFailure(int failedLogins, const AccountRules& rules,
                                                       Poco::Int64 nowMicros);

    /// When the password expires (nullopt: never).
    static std::optional<Poco::Int64> passwordExpiresAt(const AccountFacts& account,
                                                        const AccountRules& rules);
    /// A one-time password not yet changed, or an expired one.
    static bool mustChangePassword(const AccountFacts& account, const AccountRules& rules,
                                   Poco::Int64 nowMicros);
};

} // namespace chukan
