// StaffSessionStore: console sessions — stored under the SHA-256 of their token, bound to a terminal, ended once.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <optional>
#include <vector>

namespace chukan
{

struct StaffSession
{
    std::string tokenHash;           ///< SHA-256 (hex) of the cookie token; the token itself is never stored
    std::string loginId;             ///< the staff member
    std::string csrfToken;           ///< sent back in X-CSRF-Token on every state-changing request
    std::string terminalFingerprint; ///< SHA-256 of the terminal certificate the session was opened on
    Poco::Int64 createdAt = 0;
    Poco::Int64 lastSeenAt = 0;
    std::optional<Poco::Int64> endedAt;
    std::string endReason; ///< logout, timeout, disabled, password, reset, role, ...
};

/// Thread-safe; several nodes may share the store: end() is conditional, so a session is ended
/// (and its end audited) exactly once.
class StaffSessionStore
{
public:
    explicit StaffSessionStore(Database& db) : _db(db) {}

    /// ALREADY_EXISTS for the same token hash (never happens with random tokens).
    Status create(const TenantCode& tenant, const StaffSession& session);
    std::optional<StaffSession> get(const TenantCode& tenant, const std::string& tokenHash);
    /// Moves lastSeenAt forward while the session is open (never back: of two concurrent requests
    /// the later time stays); true while the session is open, false when it is ended or unknown.
    bool touch(const TenantCode& tenant, const std::string& tokenHash, Poco::Int64 nowMicros);
    /// Ends an open session; true only for the call that ended it.
    bool end(const TenantCode& tenant, const std::string& tokenHash, const std::string& reason,
             Poco::Int64 nowMicros);
    /// Ends every open session of a staff member except `keepTokenHash`; returns how many.
    int endAllFor(const TenantCode& tenant, const std::string& loginId, const std::string& reason,
                  Poco::Int64 nowMicros, const std::string& keepTokenHash = "");
    /// Open sessions whose last request is before `seenBefore` or that began before
    /// `createdBefore` (timeout candidates), oldest first.
    std::vector<StaffSession> listStale(const TenantCode& tenant, Poco::Int64 seenBefore,
                                        Poco::Int64 createdBefore, int limit);
    /// Deletes sessions ended before `cutoff`; returns how many.
    Poco::Int64 purgeEnded(const TenantCode& tenant, Poco::Int64 cutoffMicros);

private:
    Database& _db;
};

} // namespace chukan
