// SystemStore: bound-parameter SQL over connected_systems; sets are stored sorted and
// comma-separated.
#include "adapters/SystemStore.h"

#include "adapters/RowReader.h"
#include "adapters/SqlQuery.h"

#include <Poco/StringTokenizer.h>

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

std::string join(const std::set<std::string>& values)
{
    std::string out;
    for (const std::string& v : values)
        out += (out.empty() ? "" : ",") + v;
    return out;
}

std::set<std::string> split(const std::string& text)
{
    std::set<std::string> out;
    Poco::StringTokenizer tok(
        text, ",", Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
    for (const std::string& t : tok)
        out.insert(t);
    return out;
}

bool allOf(const std::string& s, const char* chars)
{
    return !s.empty() && s.find_first_not_of(chars) == std::string::npos;
}

} // namespace

Status SystemStore::validate(const ConnectedSystem& sys)
{
    std::string what = "connected system " + sys.systemId;
    if (!allOf(sys.systemId, "abcdefghijklmnopqrstuvwxyz0123456789-_") || sys.systemId.size() > 64)
        return Status::invalid(what + ": system id must be 1 to 64 of [a-z0-9-_]");
    if (sys.name.empty() || sys.name.size() > 200)
        return Status::invalid(what + ": name must be 1 to 200 bytes");
    if (sys.certFingerprint.size() != 64 || !allOf(sys.certFingerprint, "0123456789abcdef"))
        return Status::invalid(
            what + ": certificate fingerprint must be 64 lowercase hex digits (SHA-256)");
    if (sys.operations.empty())
        return Status::invalid(what + ": operations must not be empty");
    for (const std::string& op : sys.operations)
        if (!allOf(op, "abcdefghijklmnopqrstuvwxyz0123456789._-") || op.size() > 64)
            return Status::invalid(what + ": operation '" + op +
                                   "' must be 1 to 64 of [a-z0-9._-]");
    for (const std::string& j : sys.jimuCodes)
        if (j.size() != 16 || !allOf(j, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
            return Status::invalid(what + ": 事務コード '" + j +
                                   "' must be 16 characters [A-Z0-9]");
    if (join(sys.operations).size() > 1000 || join(sys.jimuCodes).size() > 2000)
        return Status::invalid(what + ": too many operations or 事務コード");
    return Status::ok();
}

Status SystemStore::add(const TenantCode& tenant, const ConnectedSystem& sys, Poco::Int64 nowMicros)
{
    Status ok = validate(sys);
    if (!ok)
        return ok;
    for (int attempt = 1;; ++attempt)
    {
        try
        {
            return _db.write(
                [&](Poco::Data::Session& s)
                {
                    std::string code = tenant.str(), id = sys.systemId, name = sys.name,
                                fp = sys.certFingerprint, ops = join(sys.operations),
                                jimu = join(sys.jimuCodes);
                    int n = 0, enabled = 1;
                    Poco::Int64 at = nowMicros;
                    s << "SELECT COUNT(*) FROM connected_systems WHERE tenant_code = ? AND "
                         "system_id = ?",
                        use(code), use(id), into(n), now;
                    if (n > 0)
                        return Status::exists("connected system " + id + ": already registered");
                    s << "SELECT COUNT(*) FROM connected_systems WHERE tenant_code = ? AND "
                         "cert_fingerprint = ?",
                        use(code), use(fp), into(n), now;
                    if (n > 0)
                        return Status::exists("connected system " + id +
                                              ": certificate fingerprint already registered");
                    s << "INSERT INTO connected_systems (tenant_code, system_id, name, "
                         "cert_fingerprint, operations,"
                         " jimu_codes, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        use(code), use(id), use(name), use(fp), use(ops), use(jimu), use(enabled),
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

std::vector<ConnectedSystem>
SystemStore::select(const std::string& where, const std::string& tenant, const std::string& value)
{
    Poco::Data::Session s = _db.session();
    SqlQuery st(s, "SELECT system_id, name, cert_fingerprint, operations, jimu_codes, enabled, created_at"
                   " FROM connected_systems " +
                       where);
    st.bind(tenant);
    if (!value.empty())
        st.bind(value);
    st.execute();
    std::vector<ConnectedSystem> out;
    for (std::size_t i = 0; i < st.rowCount(); ++i)
    {
        RowReader r = st.row(i);
        ConnectedSystem c;
        c.systemId = r.str(0);
        c.name = r.str(1);
        c.certFingerprint = r.str(2);
        c.operations = split(r.str(3));
        c.jimuCodes = split(r.str(4));
        c.enabled = r.i64(5) != 0;
        c.createdAt = r.i64(6);
        out.push_back(c);
    }
    return out;
}

std::optional<ConnectedSystem> SystemStore::get(const TenantCode& tenant,
                                                const std::string& systemId)
{
    if (systemId.empty())
        return std::nullopt;
    std::vector<ConnectedSystem> rows =
        select("WHERE tenant_code = ? AND system_id = ?", tenant.str(), systemId);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::optional<ConnectedSystem> SystemStore::findByFingerprint(const TenantCode& tenant,
                                                              const std::string& fingerprint)
{
    if (fingerprint.empty())
        return std::nullopt;
    std::vector<ConnectedSystem> rows =
        select("WHERE tenant_code = ? AND cert_fingerprint = ?", tenant.str(), fingerprint);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<ConnectedSystem> SystemStore::list(const TenantCode& tenant)
{
    return select("WHERE tenant_code = ? ORDER BY system_id", tenant.str(), "");
}

Status SystemStore::setEnabled(const TenantCode& tenant, const std::string& systemId, bool enabled)
{
    Status st = _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = systemId;
            int n = 0, flag = enabled ? 1 : 0;
            s << "SELECT COUNT(*) FROM connected_systems WHERE tenant_code = ? AND system_id = ?",
                use(code), use(id), into(n), now;
            if (n == 0)
                return Status::notFound("connected system " + systemId + ": not found for tenant " +
                                        code);
            s << "UPDATE connected_systems SET enabled = ? WHERE tenant_code = ? AND system_id = ?",
                use(flag), use(code), use(id), now;
            return Status::ok();
        });
    return st;
}

} // namespace chukan
