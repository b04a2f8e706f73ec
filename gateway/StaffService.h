// StaffService: 職員認証 — staff accounts, password rules, login with lock-out, sessions with time-outs, and their audit entries.
#pragma once

#include "adapters/AuditStore.h"
#include "adapters/Clock.h"
#include "adapters/PasswordHasher.h"
#include "adapters/StaffSessionStore.h"
#include "adapters/StaffStore.h"
#include "gateway/ConsoleSettings.h"

#include <optional>
#include <string>

namespace chukan
{

/// What login() decided. Only OK carries a session.
struct LoginResult
{
    enum Outcome
    {
        OK,
        INVALID_CREDENTIALS, ///< unknown login id or wrong password (one answer for both)
        LOCKED,              ///< too many failures; the password was not checked
        DISABLED,            ///< disabled (now or earlier for dormancy); told only with the right password
        INVALID_ARGUMENT     ///< malformed request
    };
    Outcome outcome = INVALID_CREDENTIALS;
    std::string message;
    std::string token; ///< the cookie token (OK only; never stored, logged or audited)
    StaffSession session;
    StaffAccount staff;
    bool passwordChangeRequired = false;
};

/// What resume() found for a session cookie.
struct ResumeResult
{
    enum Outcome
    {
        OK,
        INVALID, ///< unknown, ended, another terminal's, or the account is gone / disabled
        TIMEOUT  ///< idle or past its absolute lifetime: ended now, audited as session.timeout
    };
    Outcome outcome = INVALID;
    std::string message;
    StaffSession session;
    StaffAccount staff;
    bool passwordChangeRequired = false;
};

/// Every change and every login outcome is appended to the tenant's audit log (AuditStore) as
/// staff `actor` (a login id, or "chukanctl"). Passwords, one-time passwords and tokens never
/// reach the store, the audit log or a log line. Thread-safe: no state besides references to
/// shared, thread-safe collaborators; several nodes may run it over one store.
class StaffService
{
public:
    StaffService(Database& db, const Clock& clock, const ConsoleSettings& settings);

    // --- accounts (administrators and chukanctl)
    /// Adds an account. Empty password: a one-time password is generated and returned (the
    /// first login must change it); otherwise the given password must pass PasswordPolicy and
    /// is returned as "" (it need not be changed at first login). INVALID_ARGUMENT,
    /// ALREADY_EXISTS.
    Result<std::string> addStaff(const TenantCode& tenant, const std::string& loginId,
                                 const std::string& name, const std::string& role,
                                 const std::string& password, const std::string& actor);
    /// New password (empty: a generated one-time password, returned); clears the lock-out,
    /// ends the account's sessions, forces a change at the next login. NOT_FOUND.
    Result<std::string> resetPassword(const TenantCode& tenant, const std::string& loginId,
                                      const std::string& password, const std::string& actor);
    /// The reasons an administrator gives for disabling: transfer, retirement, leave, other
    /// (the server itself uses dormant).
    static bool isDisableReason(const std::string& reason)
    {
        return reason == "transfer" || reason == "retirement" || reason == "leave" ||
               reason == "other";
    }
    /// Disables (transfer, retirement, ...) and ends the account's sessions. NOT_FOUND.
    Status disable(const TenantCode& tenant, const std::string& loginId, const std::string& reason,
                   const std::string& actor);
    Status enable(const TenantCode& tenant, const std::string& loginId, const std::string& actor);
    /// Changes the role and ends the account's sessions. INVALID_ARGUMENT, NOT_FOUND.
    Status setRole(const TenantCode& tenant, const std::string& loginId, const std::string& role,
                   const std::string& actor);

    // --- sessions (the console)
    /// Checks the account (disabled, locked, dormant → disabled now), the password (constant-
    /// time; a failure counts toward the lock-out), re-hashes with raised KDF parameters, and
    /// opens a session bound to the terminal. Audited as login (ok, failed, locked, disabled).
    LoginResult login(const TenantCode& tenant, const std::string& loginId,
                      const std::string& password, const std::string& terminalFingerprint);
    /// The session of a cookie token on this terminal, touched (idle clock restarted) when
    /// valid. Timeouts end the session and are audited once (session.timeout, idle|absolute);
    /// a cookie of an ended session or another terminal is audited as session.rejected.
    ResumeResult resume(const TenantCode& tenant, const std::string& token,
                        const std::string& terminalFingerprint);
    /// Ends the session (reason logout). The caller audits the logout.
    void logout(const TenantCode& tenant, const StaffSession& session);
    /// Ends the still-open session of a cookie token presented with a successful login (the
    /// new session replaces it, so an old or planted cookie stops working); audited as logout
    /// (detail "replaced by a new login"). Unknown, malformed or ended tokens are ignored.
    void replaced(const TenantCode& tenant, const std::string& oldToken);
    /// Changes the caller's own password: the current one must verify (a failure counts toward
    /// the lock-out: PERMISSION_DENIED), the new one must pass PasswordPolicy
    /// (INVALID_ARGUMENT). Ends the account's other sessions.
    Status changePassword(const TenantCode& tenant, const StaffSession& session,
                          const std::string& currentPassword, const std::string& newPassword);
    /// Ends (and audits) sessions past their time-outs, disables (and audits) dormant accounts,
    /// forgets sessions ended more than 30 days ago. Returns the work done. Run by the worker.
    int sweep(const TenantCode& tenant);

    /// Appends one audit entry; a failure to audit is logged (the caller's operation stands).
    void audit(const TenantCode& tenant, const std::string& staff, const std::string& operation,
               const std::string& target, const std::string& outcome,
               const std::string& detail = "");

    /// When a session ends if nothing happens (for the API's expiresAt).
    Poco::Int64 expiresAt(const StaffSession& session) const;
    std::optional<StaffAccount> account(const TenantCode& tenant, const std::string& loginId)
    {
        return _staff.get(tenant, loginId);
    }
    /// Ordered by login id.
    std::vector<StaffAccount> accounts(const TenantCode& tenant) { return _staff.list(tenant); }
    /// When the account's password expires (nullopt: never).
    std::optional<Poco::Int64> passwordExpiresAt(const StaffAccount& staff) const
    {
        return AccountPolicy::passwordExpiresAt(staff.facts(), _settings.account);
    }
    /// Whether failed logins lock the account now.
    bool isLocked(const StaffAccount& staff) const
    {
        return AccountPolicy::isLocked(staff.facts(), _clock.nowMicros());
    }
    /// Whether the account must change its password before anything else.
    bool passwordChangeRequired(const StaffAccount& staff) const;
    const ConsoleSettings& settings() const { return _settings; }

private:
    Result<std::string> newPasswordHash(const std::string& loginId, const std::string& password,
                                        std::string& generated);
    Poco::Int64 idleSeconds() const { return _settings.idleSeconds(); }
    Poco::Int64 absoluteSeconds() const { return Poco::Int64(_settings.absoluteTimeoutMinutes) * 60; }

    Database& _db;
    const Clock& _clock;
    const ConsoleSettings& _settings;
    PasswordHasher _hasher;
    StaffStore _staff;
    StaffSessionStore _sessions;
    AuditStore _audit;
};

} // namespace chukan
