// StaffStore: bound-parameter SQL over staff_accounts (migration 7).
#include "adapters/StaffStore.h"

#include "adapters/RowReader.h"
#include "policy/RolePermissions.h"

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

const char* kSelect =
    "SELECT login_id, name, role, password_hash, password_changed_at, must_change, enabled,"
    " disabled_reason, failed_logins, locked_until, last_login_at, last_activity_at, created_at,"
    " updated_at FROM staff_accounts ";

StaffAccount readRow(Poco::Data::RecordSet& rs, std::size_t i)
{
    RowReader r(rs, i);
    StaffAccount a;
    a.loginId = r.str(0);
    a.name = r.str(1);
    a.role = r.str(2);
    a.passwordHash = r.str(3);
    a.passwordChangedAt = r.i64(4);
    a.mustChangePassword = r.i64(5) != 0;
    a.enabled = r.i64(6) != 0;
    a.disabledReason = r.str(7);
    a.failedLogins = static_cast<int>(r.i64(8));
    a.lockedUntil = r.optI64(9);
    a.lastLoginAt = r.optI64(10);
    a.lastActivityAt = r.i64(11);
    a.createdAt = r.i64(12);
    a.updatedAt = r.i64(13);
    return a;
}

} // namespace

AccountFacts StaffAccount::facts() const
{
    AccountFacts f;
    f.enabled = enabled;
    f.failedLogins = failedLogins;
    f.lockedUntil = lockedUntil;
    f.lastActivityAt = lastActivityAt;
    f.passwordChangedAt = passwordChangedAt;
    f.mustChangePassword = mustChangePassword;
    return f;
}

bool StaffStore::isLoginId(const std::string& id)
{
    if (id.empty() || id.size() > 64)
        return false;
    if (id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos)
        return false;
    return std::isalnum(static_cast<unsigned char>(id[0])) != 0;
}

Status StaffStore::validate(const StaffAccount& a)
{
    if (!isLoginId(a.loginId))
        return Status::invalid("staff " + a.loginId.substr(0, 64) +
                               ": login id must be 1 to 64 of [a-z0-9._-], starting with a letter "
                               "or digit");
    if (a.name.empty() || a.name.size() > 200)
        return Status::invalid("staff " + a.loginId + ": name must be 1 to 200 bytes");
    Result<StaffRole> role = RolePermissions::parseRole(a.role);
    if (!role)
        return Status::invalid("staff " + a.loginId + ": " + role.status().message());
    if (a.passwordHash.empty() || a.passwordHash.size() > 256)
        return Status::invalid("staff " + a.loginId + ": password hash must be 1 to 256 bytes");
    if (a.disabledReason.size() > 64)
        return Status::invalid("staff " + a.loginId + ": disabled reason must be at most 64 bytes");
    return Status::ok();
}

Status StaffStore::add(const TenantCode& tenant, const StaffAccount& a, Poco::Int64 nowMicros)
{
    Status ok = validate(a);
    if (!ok)
        return ok;
    for (int attempt = 1;; ++attempt)
    {
        try
        {
            return _db.write(
                [&](Poco::Data::Session& s)
                {
                    std::string code = tenant.str(), id = a.loginId, name = a.name, role = a.role,
                                hash = a.passwordHash, reason = a.disabledReason;
                    int must = a.mustChangePassword ? 1 : 0, enabled = a.enabled ? 1 : 0,
                        failed = 0, n = 0;
                    Poco::Int64 at = nowMicros,
                                changed = a.passwordChangedAt ? a.passwordChangedAt : nowMicros;
                    s << "SELECT COUNT(*) FROM staff_accounts WHERE tenant_code = ? AND "
                         "login_id = ?",
                        use(code), use(id), into(n), now;
                    if (n > 0)
                        return Status::exists("staff " + id + ": already exists in tenant " +
                                              code);
                    s << "INSERT INTO staff_accounts (tenant_code, login_id, name, role,"
                         " password_hash, password_changed_at, must_change, enabled,"
                         " disabled_reason, failed_logins, last_activity_at, created_at,"
                         " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        use(code), use(id), use(name), use(role), use(hash), use(changed),
                        use(must), use(enabled), use(reason), use(failed), use(at), use(at),
                        use(at), now;
                    return Status::ok();
                });
        }
        catch (const std::exception& e)
        {
            if (!_db.isDuplicateKey(e) || attempt >= 3)
                throw;
        }
    }
}

std::optional<StaffAccount> StaffStore::get(const TenantCode& tenant, const std::string& loginId)
{
    if (!isLoginId(loginId))
        return std::nullopt;
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str(), id = loginId;
    Poco::Data::Statement st(s);
    st << std::string(kSelect) + "WHERE tenant_code = ? AND login_id = ?", use(code), use(id);
    st.execute();
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() == 0)
        return std::nullopt;
    return readRow(rs, 0);
}

std::vector<StaffAccount> StaffStore::list(const TenantCode& tenant)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str();
    Poco::Data::Statement st(s);
    st << std::string(kSelect) + "WHERE tenant_code = ? ORDER BY login_id", use(code);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<StaffAccount> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
        out.push_back(readRow(rs, i));
    return out;
}

Status StaffStore::update(const TenantCode& tenant, const std::string& loginId,
                          const std::string& set,
                          const std::function<void(Poco::Data::Statement&)>& bind)
{
    if (!isLoginId(loginId))
        return Status::notFound("staff " + loginId.substr(0, 64) + ": not found");
    std::size_t changed = 0;
    Status st = _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = loginId;
            Poco::Data::Statement up(s);
            up << "UPDATE staff_accounts SET " + set + " WHERE tenant_code = ? AND login_id = ?";
            bind(up);
            up, use(code), use(id);
            changed = up.execute();
            return Status::ok();
        });
    if (!st)
        return st;
    if (changed == 0)
        return Status::notFound("staff " + loginId + ": not found in tenant " + tenant.str());
    return Status::ok();
}

Status StaffStore::setPassword(const TenantCode& tenant, const std::string& loginId,
                               const std::string& passwordHash, bool mustChange,
                               Poco::Int64 nowMicros)
{
    if (passwordHash.empty() || passwordHash.size() > 256)
        return Status::invalid("staff " + loginId + ": password hash must be 1 to 256 bytes");
    std::string hash = passwordHash;
    int must = mustChange ? 1 : 0;
    Poco::Int64 at = nowMicros;
    return update(tenant, loginId,
                  "password_hash = ?, password_changed_at = ?, must_change = ?, failed_logins = 0,"
                  " locked_until = NULL, last_activity_at = ?, updated_at = ?",
                  [&](Poco::Data::Statement& up) { up, use(hash), use(at), use(must), use(at), use(at); });
}

Status StaffStore::rehash(const TenantCode& tenant, const std::string& loginId,
                          const std::string& oldHash, const std::string& newHash,
                          Poco::Int64 nowMicros)
{
    if (newHash.empty() || newHash.size() > 256)
        return Status::invalid("staff " + loginId + ": password hash must be 1 to 256 bytes");
    std::string from = oldHash, to = newHash;
    Poco::Int64 at = nowMicros;
    std::size_t changed = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = loginId;
            Poco::Data::Statement up(s);
            up << "UPDATE staff_accounts SET password_hash = ?, updated_at = ?"
                  " WHERE tenant_code = ? AND login_id = ? AND password_hash = ?",
                use(to), use(at), use(code), use(id), use(from);
            changed = up.execute();
            return Status::ok();
        });
    return changed == 1 ? Status::ok()
                        : Status::precondition("staff " + loginId + ": password changed meanwhile");
}

Status StaffStore::setEnabled(const TenantCode& tenant, const std::string& loginId, bool enabled,
                              const std::string& reason, Poco::Int64 nowMicros)
{
    if (reason.size() > 64)
        return Status::invalid("staff " + loginId + ": disabled reason must be at most 64 bytes");
    int flag = enabled ? 1 : 0;
    std::string why = enabled ? "" : reason;
    Poco::Int64 at = nowMicros;
    if (enabled)
        return update(tenant, loginId,
                      "enabled = ?, disabled_reason = ?, last_activity_at = ?, updated_at = ?",
                      [&](Poco::Data::Statement& up) { up, use(flag), use(why), use(at), use(at); });
    return update(tenant, loginId, "enabled = ?, disabled_reason = ?, updated_at = ?",
                  [&](Poco::Data::Statement& up) { up, use(flag), use(why), use(at); });
}

bool StaffStore::disableIfDormant(const TenantCode& tenant, const std::string& loginId,
                                  Poco::Int64 dormantBefore, Poco::Int64 nowMicros)
{
    std::size_t changed = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = loginId, why = "dormant";
            Poco::Int64 at = nowMicros, before = dormantBefore;
            Poco::Data::Statement up(s);
            up << "UPDATE staff_accounts SET enabled = 0, disabled_reason = ?, updated_at = ?"
                  " WHERE tenant_code = ? AND login_id = ? AND enabled = 1 AND last_activity_at < ?",
                use(why), use(at), use(code), use(id), use(before);
            changed = up.execute();
            return Status::ok();
        });
    return changed == 1;
}

Status StaffStore::setRole(const TenantCode& tenant, const std::string& loginId,
                           const std::string& role, Poco::Int64 nowMicros)
{
    Result<StaffRole> parsed = RolePermissions::parseRole(role);
    if (!parsed)
        return Status::invalid("staff " + loginId + ": " + parsed.status().message());
    std::string r = role;
    Poco::Int64 at = nowMicros;
    return update(tenant, loginId, "role = ?, updated_at = ?",
                  [&](Poco::Data::Statement& up) { up, use(r), use(at); });
}

Result<StaffAccount> StaffStore::recordFailedLogin(const TenantCode& tenant,
                                                   const std::string& loginId,
                                                   const AccountRules& rules,
                                                   Poco::Int64 nowMicros)
{
    if (!isLoginId(loginId))
        return Status::notFound("staff " + loginId.substr(0, 64) + ": not found");
    std::optional<StaffAccount> after;
    Status st = _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = loginId;
            Poco::Int64 at = nowMicros;
            // One statement counts the failure, so concurrent attempts on several nodes all
            // count; a lock that has run out starts the count again.
            Poco::Data::Statement up(s);
            up << "UPDATE staff_accounts SET"
                  " failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= ?"
                  " THEN 1 ELSE failed_logins + 1 END,"
                  " locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= ?"
                  " THEN NULL ELSE locked_until END,"
                  " updated_at = ? WHERE tenant_code = ? AND login_id = ?",
                use(at), use(at), use(at), use(code), use(id);
            if (up.execute() == 0)
                return Status::notFound("staff " + id + ": not found in tenant " + code);
            Poco::Data::Statement sel(s);
            sel << std::string(kSelect) + "WHERE tenant_code = ? AND login_id = ?", use(code),
                use(id);
            sel.execute();
            Poco::Data::RecordSet rs(sel);
            after = readRow(rs, 0);
            std::optional<Poco::Int64> lock =
                AccountPolicy::lockAfterFailure(after->failedLogins, rules, nowMicros);
            if (lock && !AccountPolicy::isLocked(after->facts(), nowMicros))
            {
                Poco::Int64 until = *lock;
                s << "UPDATE staff_accounts SET locked_until = ? WHERE tenant_code = ? AND "
                     "login_id = ?",
                    use(until), use(code), use(id), now;
                after->lockedUntil = until;
            }
            return Status::ok();
        });
    if (!st)
        return st;
    return *after;
}

Status StaffStore::recordLogin(const TenantCode& tenant, const std::string& loginId,
                               Poco::Int64 nowMicros)
{
    Poco::Int64 at = nowMicros;
    return update(tenant, loginId,
                  "failed_logins = 0, locked_until = NULL, last_login_at = ?, last_activity_at = ?,"
                  " updated_at = ?",
                  [&](Poco::Data::Statement& up) { up, use(at), use(at), use(at); });
}

} // namespace chukan
