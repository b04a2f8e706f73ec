// StaffService: account rules from policy/, hashes from PasswordHasher, rows in StaffStore and StaffSessionStore, entries in AuditStore.
#include "gateway/StaffService.h"

#include "adapters/OneTimePassword.h"
#include "adapters/SessionToken.h"
#include "policy/PasswordPolicy.h"
#include "policy/RolePermissions.h"
#include "policy/SessionPolicy.h"

#include <Poco/Logger.h>

namespace chukan
{

namespace
{

const Poco::Int64 kEndedSessionsKeptMicros = 30LL * 86400 * 1000000;
const std::size_t kMaxPasswordBytes = 1024;

/// The login id as the audit log may show it: well-formed ids as they are, anything else not.
std::string auditableId(const std::string& loginId)
{
    return StaffStore::isLoginId(loginId) ? loginId : "(invalid)";
}

} // namespace

StaffService::StaffService(Database& db, const Clock& clock, const ConsoleSettings& settings)
    : _db(db), _clock(clock), _settings(settings), _hasher(settings.kdf), _staff(db),
      _sessions(db), _audit(db)
{
}

void StaffService::audit(const TenantCode& tenant, const std::string& staff,
                         const std::string& operation, const std::string& target,
                         const std::string& outcome, const std::string& detail)
{
    AuditEntry e;
    e.staffId = staff.empty() ? "-" : staff.substr(0, 64);
    e.at = _clock.nowMicros();
    e.operation = operation.substr(0, 64);
    e.target = target.substr(0, 200);
    e.outcome = outcome.substr(0, 32);
    e.detail = detail.substr(0, 500);
    Result<Poco::Int64> seq = _audit.append(tenant, e);
    if (!seq)
        Poco::Logger::get("chukan.audit")
            .error("tenant %s: could not audit %s by %s: %s", tenant.str(), e.operation, e.staffId,
                   seq.status().message());
}

Poco::Int64 StaffService::expiresAt(const StaffSession& s) const
{
    return SessionPolicy::expiresAt(s.createdAt, s.lastSeenAt, idleSeconds(), absoluteSeconds());
}

bool StaffService::passwordChangeRequired(const StaffAccount& staff) const
{
    return AccountPolicy::mustChangePassword(staff.facts(), _settings.account, _clock.nowMicros());
}

Result<std::string> StaffService::newPasswordHash(const std::string& loginId,
                                                  const std::string& password,
                                                  std::string& generated)
{
    generated.clear();
    std::string chosen = password;
    if (chosen.empty())
        chosen = generated = OneTimePassword::generate(loginId);
    else
    {
        Status ok = PasswordPolicy::check(chosen, loginId, _settings.passwordMinLength);
        if (!ok)
            return ok;
    }
    return _hasher.hash(chosen);
}

Result<std::string> StaffService::addStaff(const TenantCode& tenant, const std::string& loginId,
                                           const std::string& name, const std::string& role,
                                           const std::string& password, const std::string&)
{
    StaffAccount a;
    a.loginId = loginId;
    a.name = name;
    a.role = role;
    a.passwordHash = "-"; // validated before the (slow) hash
    Status ok = StaffStore::validate(a);
    if (!ok)
        return ok;
    if (_staff.get(tenant, loginId))
        return Status::exists("staff " + loginId + ": already exists in tenant " + tenant.str());
    std::string generated;
    Result<std::string> hash = newPasswordHash(loginId, password, generated);
    if (!hash)
        return hash.status();
    a.passwordHash = hash.value();
    a.mustChangePassword = !generated.empty();
    Status added = _staff.add(tenant, a, _clock.nowMicros());
    if (!added)
        return added;
    return generated;
}

Result<std::string> StaffService::resetPassword(const TenantCode& tenant,
                                                const std::string& loginId,
                                                const std::string& password, const std::string&)
{
    if (!_staff.get(tenant, loginId))
        return Status::notFound("staff " + loginId.substr(0, 64) + ": not found in tenant " +
                                tenant.str());
    std::string generated;
    Result<std::string> hash = newPasswordHash(loginId, password, generated);
    if (!hash)
        return hash.status();
    Poco::Int64 now = _clock.nowMicros();
    Status st = _staff.setPassword(tenant, loginId, hash.value(), true, now);
    if (!st)
        return st;
    _sessions.endAllFor(tenant, loginId, "reset", now);
    return generated;
}

Status StaffService::disable(const TenantCode& tenant, const std::string& loginId,
                             const std::string& reason, const std::string&)
{
    Poco::Int64 now = _clock.nowMicros();
    Status st = _staff.setEnabled(tenant, loginId, false, reason.empty() ? "other" : reason, now);
    if (!st)
        return st;
    _sessions.endAllFor(tenant, loginId, "disabled", now);
    return Status::ok();
}

Status StaffService::enable(const TenantCode& tenant, const std::string& loginId,
                            const std::string&)
{
    return _staff.setEnabled(tenant, loginId, true, "", _clock.nowMicros());
}

Status StaffService::setRole(const TenantCode& tenant, const std::string& loginId,
                             const std::string& role, const std::string&)
{
    Poco::Int64 now = _clock.nowMicros();
    Status st = _staff.setRole(tenant, loginId, role, now);
    if (!st)
        return st;
    _sessions.endAllFor(tenant, loginId, "role", now);
    return Status::ok();
}

LoginResult StaffService::login(const TenantCode& tenant, const std::string& loginId,
                                const std::string& password, const std::string& terminal)
{
    LoginResult r;
    if (loginId.empty() || password.empty() || password.size() > kMaxPasswordBytes)
    {
        r.outcome = LoginResult::INVALID_ARGUMENT;
        r.message = "loginId and password are required (password at most 1024 bytes)";
        audit(tenant, auditableId(loginId), "login", "", "invalid", r.message);
        return r;
    }
    r.outcome = LoginResult::INVALID_CREDENTIALS;
    r.message = "invalid login id or password";
    Poco::Int64 now = _clock.nowMicros();
    std::optional<StaffAccount> account = _staff.get(tenant, loginId);
    if (!account)
    {
        _hasher.burn(password); // the same time as a wrong password
        audit(tenant, auditableId(loginId), "login", "", "failed", "unknown login id");
        return r;
    }
    AccountPolicy::Decision decision =
        AccountPolicy::beforeLogin(account->facts(), _settings.account, now);
    if (decision == AccountPolicy::LOCKED)
    {
        r.outcome = LoginResult::LOCKED;
        r.message = "the account is locked after repeated failed logins; ask an administrator";
        audit(tenant, loginId, "login", "", "locked", "refused while locked");
        return r;
    }
    Result<bool> verified = _hasher.verify(password, account->passwordHash);
    if (!verified)
    {
        audit(tenant, loginId, "login", "", "error", verified.status().message());
        return r;
    }
    if (decision == AccountPolicy::DISABLED || decision == AccountPolicy::DORMANT)
    {
        if (!verified.value())
        {
            audit(tenant, loginId, "login", "", "failed", "wrong password (account disabled)");
            return r;
        }
        if (decision == AccountPolicy::DORMANT &&
            _staff.disableIfDormant(tenant, loginId,
                                    now - Poco::Int64(_settings.account.dormantDays) *
                                              AccountPolicy::MICROS_PER_DAY,
                                    now))
        {
            _sessions.endAllFor(tenant, loginId, "dormant", now);
            audit(tenant, "system", "staff.disable", loginId, "ok", "dormant");
        }
        r.outcome = LoginResult::DISABLED;
        r.message = "the account is disabled; ask an administrator";
        audit(tenant, loginId, "login", "", "disabled",
              decision == AccountPolicy::DORMANT ? "dormant" : account->disabledReason);
        return r;
    }
    if (!verified.value())
    {
        Result<StaffAccount> after =
            _staff.recordFailedLogin(tenant, loginId, _settings.account, now);
        bool locked = after && AccountPolicy::isLocked(after.value().facts(), now);
        audit(tenant, loginId, "login", "", "failed",
              "wrong password (" + std::to_string(after ? after.value().failedLogins : 0) +
                  " consecutive)" + (locked ? "; account locked" : ""));
        return r;
    }

    Status st = _staff.recordLogin(tenant, loginId, now);
    if (!st)
    {
        r.message = st.message();
        audit(tenant, loginId, "login", "", "error", st.message());
        return r;
    }
    if (_hasher.needsRehash(account->passwordHash))
        if (Result<std::string> fresh = _hasher.hash(password))
            _staff.rehash(tenant, loginId, account->passwordHash, fresh.value(), now);

    StaffSession s;
    std::string token = SessionToken::generate();
    s.tokenHash = SessionToken::hash(token);
    s.loginId = loginId;
    s.csrfToken = SessionToken::generate();
    s.terminalFingerprint = terminal;
    s.createdAt = now;
    s.lastSeenAt = now;
    st = _sessions.create(tenant, s);
    if (!st)
    {
        r.message = st.message();
        audit(tenant, loginId, "login", "", "error", st.message());
        return r;
    }
    r.outcome = LoginResult::OK;
    r.message.clear();
    r.token = token;
    r.session = s;
    r.staff = *_staff.get(tenant, loginId);
    r.passwordChangeRequired = passwordChangeRequired(r.staff);
    audit(tenant, loginId, "login", "", "ok",
          "terminal " + terminal.substr(0, 16) +
              (r.passwordChangeRequired ? "; password change required" : ""));
    return r;
}

ResumeResult StaffService::resume(const TenantCode& tenant, const std::string& token,
                                  const std::string& terminal)
{
    ResumeResult r;
    r.message = "the session is not valid; log in again";
    if (!SessionToken::isWellFormed(token))
    {
        audit(tenant, "-", "session.rejected", "", "denied", "malformed session cookie");
        return r;
    }
    std::optional<StaffSession> s = _sessions.get(tenant, SessionToken::hash(token));
    if (!s)
    {
        audit(tenant, "-", "session.rejected", "", "denied", "unknown session");
        return r;
    }
    if (s->endedAt)
    {
        audit(tenant, s->loginId, "session.rejected", "", "denied", "ended (" + s->endReason + ")");
        return r;
    }
    if (s->terminalFingerprint != terminal)
    {
        audit(tenant, s->loginId, "session.rejected", "", "denied",
              "opened on terminal " + s->terminalFingerprint.substr(0, 16) + ", presented from " +
                  terminal.substr(0, 16));
        return r;
    }
    Poco::Int64 now = _clock.nowMicros();
    SessionPolicy::State state =
        SessionPolicy::check(s->createdAt, s->lastSeenAt, now, idleSeconds(), absoluteSeconds());
    if (state != SessionPolicy::ACTIVE)
    {
        if (_sessions.end(tenant, s->tokenHash, "timeout", now))
            audit(tenant, s->loginId, "session.timeout", "", "ok", SessionPolicy::name(state));
        r.outcome = ResumeResult::TIMEOUT;
        r.message = state == SessionPolicy::IDLE_TIMEOUT
                        ? "logged off after " + std::to_string(idleSeconds()) +
                              " seconds without activity"
                        : "the session reached its maximum lifetime of " +
                              std::to_string(_settings.absoluteTimeoutMinutes) + " minutes";
        return r;
    }
    std::optional<StaffAccount> staff = _staff.get(tenant, s->loginId);
    if (!staff || !staff->enabled)
    {
        if (_sessions.end(tenant, s->tokenHash, "disabled", now))
            audit(tenant, s->loginId, "session.rejected", "", "denied", "account disabled");
        return r;
    }
    if (!_sessions.touch(tenant, s->tokenHash, now))
        return r; // ended meanwhile (logout on another request)
    s->lastSeenAt = std::max(s->lastSeenAt, now);
    r.outcome = ResumeResult::OK;
    r.message.clear();
    r.session = *s;
    r.staff = *staff;
    r.passwordChangeRequired = passwordChangeRequired(*staff);
    return r;
}

void StaffService::logout(const TenantCode& tenant, const StaffSession& session)
{
    _sessions.end(tenant, session.tokenHash, "logout", _clock.nowMicros());
}

void StaffService::replaced(const TenantCode& tenant, const std::string& oldToken)
{
    if (!SessionToken::isWellFormed(oldToken))
        return;
    std::optional<StaffSession> s = _sessions.get(tenant, SessionToken::hash(oldToken));
    if (s && !s->endedAt && _sessions.end(tenant, s->tokenHash, "replaced", _clock.nowMicros()))
        audit(tenant, s->loginId, "logout", "", "ok", "replaced by a new login");
}

Status StaffService::changePassword(const TenantCode& tenant, const StaffSession& session,
                                    const std::string& current, const std::string& next)
{
    std::optional<StaffAccount> account = _staff.get(tenant, session.loginId);
    if (!account)
        return Status::notFound("staff " + session.loginId + ": not found");
    if (current.size() > kMaxPasswordBytes || next.size() > kMaxPasswordBytes)
        return Status::invalid("password: at most 1024 bytes");
    Result<bool> ok = _hasher.verify(current, account->passwordHash);
    if (!ok)
        return ok.status();
    Poco::Int64 now = _clock.nowMicros();
    if (!ok.value())
    {
        Result<StaffAccount> after =
            _staff.recordFailedLogin(tenant, session.loginId, _settings.account, now);
        if (after && AccountPolicy::isLocked(after.value().facts(), now))
            _sessions.endAllFor(tenant, session.loginId, "locked", now);
        return Status::denied("the current password is wrong");
    }
    Status policy = PasswordPolicy::check(next, session.loginId, _settings.passwordMinLength, current);
    if (!policy)
        return policy;
    Result<std::string> hash = _hasher.hash(next);
    if (!hash)
        return hash.status();
    Status st = _staff.setPassword(tenant, session.loginId, hash.value(), false, now);
    if (!st)
        return st;
    _sessions.endAllFor(tenant, session.loginId, "password", now, session.tokenHash);
    return Status::ok();
}

int StaffService::sweep(const TenantCode& tenant)
{
    Poco::Int64 now = _clock.nowMicros();
    int work = 0;
    for (const StaffSession& s : _sessions.listStale(tenant, now - idleSeconds() * 1000000,
                                                     now - absoluteSeconds() * 1000000, 500))
    {
        SessionPolicy::State state =
            SessionPolicy::check(s.createdAt, s.lastSeenAt, now, idleSeconds(), absoluteSeconds());
        if (state != SessionPolicy::ACTIVE && _sessions.end(tenant, s.tokenHash, "timeout", now))
        {
            audit(tenant, s.loginId, "session.timeout", "", "ok", SessionPolicy::name(state));
            ++work;
        }
    }
    if (_settings.account.dormantDays > 0)
    {
        Poco::Int64 before =
            now - Poco::Int64(_settings.account.dormantDays) * AccountPolicy::MICROS_PER_DAY;
        for (const StaffAccount& a : _staff.list(tenant))
            if (a.enabled && AccountPolicy::isDormant(a.facts(), _settings.account, now) &&
                _staff.disableIfDormant(tenant, a.loginId, before, now))
            {
                _sessions.endAllFor(tenant, a.loginId, "dormant", now);
                audit(tenant, "system", "staff.disable", a.loginId, "ok", "dormant");
                ++work;
            }
    }
    work += static_cast<int>(_sessions.purgeEnded(tenant, now - kEndedSessionsKeptMicros));
    return work;
}

} // namespace chukan
