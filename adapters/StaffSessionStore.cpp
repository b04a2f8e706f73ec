// StaffSessionStore: bound-parameter SQL over staff_sessions (migration 7); ends are conditional on ended_at IS NULL.
#include "adapters/StaffSessionStore.h"

#include "adapters/RowReader.h"

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

const char* kSelect = "SELECT token_hash, login_id, csrf_token, terminal_fp, created_at,"
                      " last_seen_at, ended_at, end_reason FROM staff_sessions ";

std::vector<StaffSession> readRows(Poco::Data::Statement& st)
{
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<StaffSession> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
    {
        RowReader r(rs, i);
        StaffSession s;
        s.tokenHash = r.str(0);
        s.loginId = r.str(1);
        s.csrfToken = r.str(2);
        s.terminalFingerprint = r.str(3);
        s.createdAt = r.i64(4);
        s.lastSeenAt = r.i64(5);
        s.endedAt = r.optI64(6);
        s.endReason = r.str(7);
        out.push_back(s);
    }
    return out;
}

bool isHex64(const std::string& s)
{
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

} // namespace

Status StaffSessionStore::create(const TenantCode& tenant, const StaffSession& session)
{
    if (!isHex64(session.tokenHash) || !isHex64(session.csrfToken))
        return Status::invalid("session: token hash and CSRF token must be 64 lowercase hex digits");
    if (session.loginId.empty() || session.loginId.size() > 64)
        return Status::invalid("session: login id must be 1 to 64 characters");
    if (session.terminalFingerprint.size() > 64)
        return Status::invalid("session: terminal fingerprint must be at most 64 characters");
    return _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), hash = session.tokenHash, id = session.loginId,
                        csrf = session.csrfToken, fp = session.terminalFingerprint;
            Poco::Int64 created = session.createdAt, seen = session.lastSeenAt;
            int n = 0;
            s << "SELECT COUNT(*) FROM staff_sessions WHERE tenant_code = ? AND token_hash = ?",
                use(code), use(hash), into(n), now;
            if (n > 0)
                return Status::exists("session: token already in use");
            s << "INSERT INTO staff_sessions (tenant_code, token_hash, login_id, csrf_token,"
                 " terminal_fp, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                use(code), use(hash), use(id), use(csrf), use(fp), use(created), use(seen), now;
            return Status::ok();
        });
}

std::optional<StaffSession> StaffSessionStore::get(const TenantCode& tenant,
                                                   const std::string& tokenHash)
{
    if (!isHex64(tokenHash))
        return std::nullopt;
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str(), hash = tokenHash;
    Poco::Data::Statement st(s);
    st << std::string(kSelect) + "WHERE tenant_code = ? AND token_hash = ?", use(code), use(hash);
    std::vector<StaffSession> rows = readRows(st);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

bool StaffSessionStore::touch(const TenantCode& tenant, const std::string& tokenHash,
                              Poco::Int64 nowMicros)
{
    std::size_t changed = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), hash = tokenHash;
            Poco::Int64 at = nowMicros;
            Poco::Data::Statement up(s);
            up << "UPDATE staff_sessions SET last_seen_at = ? WHERE tenant_code = ? AND"
                  " token_hash = ? AND ended_at IS NULL AND last_seen_at < ?",
                use(at), use(code), use(hash), use(at);
            changed = up.execute();
            if (changed == 0)
            {
                // Not moved: ended, unknown, or a concurrent request of the same session already
                // stored a later (or the same) time. Only the first two make the session invalid;
                // MariaDB counts changed rows, so the check is a read, the same for both stores.
                Poco::Int64 openRows = 0;
                Poco::Data::Statement open(s);
                open << "SELECT COUNT(*) FROM staff_sessions WHERE tenant_code = ? AND"
                        " token_hash = ? AND ended_at IS NULL",
                    use(code), use(hash), into(openRows);
                open.execute();
                changed = static_cast<std::size_t>(openRows);
            }
            return Status::ok();
        });
    return changed == 1;
}

bool StaffSessionStore::end(const TenantCode& tenant, const std::string& tokenHash,
                            const std::string& reason, Poco::Int64 nowMicros)
{
    std::size_t changed = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), hash = tokenHash, why = reason.substr(0, 16);
            Poco::Int64 at = nowMicros;
            Poco::Data::Statement up(s);
            up << "UPDATE staff_sessions SET ended_at = ?, end_reason = ? WHERE tenant_code = ?"
                  " AND token_hash = ? AND ended_at IS NULL",
                use(at), use(why), use(code), use(hash);
            changed = up.execute();
            return Status::ok();
        });
    return changed == 1;
}

int StaffSessionStore::endAllFor(const TenantCode& tenant, const std::string& loginId,
                                 const std::string& reason, Poco::Int64 nowMicros,
                                 const std::string& keepTokenHash)
{
    std::size_t changed = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = loginId, why = reason.substr(0, 16),
                        keep = keepTokenHash;
            Poco::Int64 at = nowMicros;
            Poco::Data::Statement up(s);
            up << "UPDATE staff_sessions SET ended_at = ?, end_reason = ? WHERE tenant_code = ?"
                  " AND login_id = ? AND ended_at IS NULL AND token_hash <> ?",
                use(at), use(why), use(code), use(id), use(keep);
            changed = up.execute();
            return Status::ok();
        });
    return static_cast<int>(changed);
}

std::vector<StaffSession> StaffSessionStore::listStale(const TenantCode& tenant,
                                                       Poco::Int64 seenBefore,
                                                       Poco::Int64 createdBefore, int limit)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str();
    Poco::Int64 seen = seenBefore, created = createdBefore, lim = limit;
    Poco::Data::Statement st(s);
    st << std::string(kSelect) +
              "WHERE tenant_code = ? AND ended_at IS NULL AND (last_seen_at < ? OR created_at < ?)"
              " ORDER BY last_seen_at LIMIT ?",
        use(code), use(seen), use(created), use(lim);
    return readRows(st);
}

Poco::Int64 StaffSessionStore::purgeEnded(const TenantCode& tenant, Poco::Int64 cutoffMicros)
{
    std::size_t changed = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str();
            Poco::Int64 cutoff = cutoffMicros;
            Poco::Data::Statement del(s);
            del << "DELETE FROM staff_sessions WHERE tenant_code = ? AND ended_at IS NOT NULL"
                   " AND ended_at < ?",
                use(code), use(cutoff);
            changed = del.execute();
            return Status::ok();
        });
    return static_cast<Poco::Int64>(changed);
}

} // namespace chukan
