// StaffStore: staff accounts per tenant — role, password hash, lock-out counter, enabled state, activity times.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"
#include "policy/AccountPolicy.h"

#include <optional>
#include <vector>

namespace chukan
{

struct StaffAccount
{
    std::string loginId;      ///< [a-z0-9][a-z0-9._-]{0,63}; key within the tenant
    std::string name;         ///< display name, 1 to 200 bytes
    std::string role;         ///< operator | reviewer | auditor | administrator
    std::string passwordHash; ///< PasswordHasher's stored form; never the password
    Poco::Int64 passwordChangedAt = 0;
    bool mustChangePassword = true; ///< a one-time password: change at the next login
    bool enabled = true;
    std::string disabledReason; ///< transfer, retirement, dormant, ... (empty while enabled)
    int failedLogins = 0;       ///< consecutive failures since the last success
    std::optional<Poco::Int64> lockedUntil;
    std::optional<Poco::Int64> lastLoginAt;
    Poco::Int64 lastActivityAt = 0; ///< last login, or creation / enabling / reset
    Poco::Int64 createdAt = 0;
    Poco::Int64 updatedAt = 0;

    /// What AccountPolicy decides on.
    AccountFacts facts() const;
};

/// Thread-safe; several nodes may share the store (every change is one conditional statement
/// inside Database::write).
class StaffStore
{
public:
    explicit StaffStore(Database& db) : _db(db) {}

    /// Stores a new account (createdAt, updatedAt and lastActivityAt = now, no failures).
    /// ALREADY_EXISTS when the login id is taken in the tenant.
    Status add(const TenantCode& tenant, const StaffAccount& account, Poco::Int64 nowMicros);
    std::optional<StaffAccount> get(const TenantCode& tenant, const std::string& loginId);
    /// Ordered by login id.
    std::vector<StaffAccount> list(const TenantCode& tenant);

    /// A new password hash. mustChange: a one-time password (reset) or a changed one (false).
    /// Clears failures and the lock and restarts the dormancy clock. NOT_FOUND when unknown.
    Status setPassword(const TenantCode& tenant, const std::string& loginId,
                       const std::string& passwordHash, bool mustChange, Poco::Int64 nowMicros);
    /// Replaces the hash only if it is still `oldHash` (re-hash with raised parameters).
    Status rehash(const TenantCode& tenant, const std::string& loginId, const std::string& oldHash,
                  const std::string& newHash, Poco::Int64 nowMicros);
    /// Disables (with a reason) or enables; enabling restarts the dormancy clock. NOT_FOUND.
    Status setEnabled(const TenantCode& tenant, const std::string& loginId, bool enabled,
                      const std::string& reason, Poco::Int64 nowMicros);
    /// Disables an enabled account for lack of use, only while it is still enabled and dormant
    /// at nowMicros (so two nodes sweeping at once disable it once). True when this call did.
    bool disableIfDormant(const TenantCode& tenant, const std::string& loginId,
                          Poco::Int64 dormantBefore, Poco::Int64 nowMicros);
    Status setRole(const TenantCode& tenant, const std::string& loginId, const std::string& role,
                   Poco::Int64 nowMicros);
    /// Counts one failed login atomically (a lock that has run out starts the count again) and
    /// sets the lock AccountPolicy::lockAfterFailure asks for. Returns the account afterwards.
    /// NOT_FOUND when unknown.
    Result<StaffAccount> recordFailedLogin(const TenantCode& tenant, const std::string& loginId,
                                           const AccountRules& rules, Poco::Int64 nowMicros);
    /// A successful login: no failures, no lock, lastLoginAt = lastActivityAt = now.
    Status recordLogin(const TenantCode& tenant, const std::string& loginId, Poco::Int64 nowMicros);

    static Status validate(const StaffAccount& account);
    static bool isLoginId(const std::string& loginId);

private:
    /// Runs one UPDATE ... WHERE tenant_code = ? AND login_id = ? built by bind; NOT_FOUND when
    /// it changed nothing.
    Status update(const TenantCode& tenant, const std::string& loginId, const std::string& set,
                  const std::function<void(Poco::Data::Statement&)>& bind);

    Database& _db;
};

} // namespace chukan
