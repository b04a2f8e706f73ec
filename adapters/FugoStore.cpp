// FugoStore: bound-parameter SQL over fugo_map, always filtered by tenant_code.
#include "adapters/FugoStore.h"

#include "adapters/RowReader.h"
#include "adapters/SqlQuery.h"

#include <algorithm>

using namespace Poco::Data::Keywords;

namespace chukan {

namespace {

const char* kColumns = "SELECT atena_no, fugo, state, requested_at, obtained_at FROM fugo_map ";

std::optional<FugoRow> readOne(SqlQuery& st)
{
    st.execute();
    if (st.rowCount() == 0)
        return std::nullopt;
    RowReader r = st.row(0);
    FugoRow row;
    row.atenaNo = r.str(0);
    row.fugo = r.str(1);
    row.state = r.str(2);
    row.requestedAt = r.i64(3);
    row.obtainedAt = r.optI64(4);
    return row;
}

/// Rows of fugo_map for the atena number (0 or 1), inside the caller's transaction.
Poco::Int64 countByAtena(Poco::Data::Session& s, const TenantCode& tenant, const std::string& atenaNo)
{
    SqlQuery count(s, "SELECT COUNT(*) FROM fugo_map WHERE tenant_code = ? AND atena_no = ?");
    count.bind(tenant.str()).bind(atenaNo).execute();
    return count.row(0).i64(0);
}

} // namespace

Status FugoStore::validateAtena(const std::string& atenaNo)
{
    if (atenaNo.size() != 15)
        return Status::invalid("atena number '" + atenaNo + "': must be 15 digits, got " +
                               std::to_string(atenaNo.size()) + " characters");
    for (char c : atenaNo)
        if (c < '0' || c > '9')
            return Status::invalid("atena number '" + atenaNo + "': must be digits only");
    return Status::ok();
}

Status FugoStore::markRequested(const TenantCode& tenant, const std::string& atenaNo, Poco::Int64 nowMicros)
{
    Status ok = validateAtena(atenaNo);
    if (!ok)
        return ok;
    return _db.write([&](Poco::Data::Session& s) {
        if (countByAtena(s, tenant, atenaNo) == 0)
        {
            SqlQuery ins(s, "INSERT INTO fugo_map (tenant_code, atena_no, fugo, state, requested_at) VALUES (?, ?, NULL, ?, ?)");
            ins.bind(tenant.str()).bind(atenaNo).bind(std::string("requested")).bind(nowMicros).execute();
        }
        return Status::ok();
    });
}

Status FugoStore::putObtained(const TenantCode& tenant, const std::string& atenaNo, const std::string& fugo,
                              Poco::Int64 nowMicros)
{
    Status ok = validateAtena(atenaNo);
    if (!ok)
        return ok;
    if (fugo.empty() || fugo.size() > 128)
        return Status::invalid("atena number " + atenaNo + ": 符号 must be 1 to 128 characters");
    return _db.write([&](Poco::Data::Session& s) {
        const std::string code = tenant.str(), state = "obtained";
        Poco::Int64 n = countByAtena(s, tenant, atenaNo);
        if (n > 0)
        {
            SqlQuery existing(s, "SELECT fugo FROM fugo_map WHERE tenant_code = ? AND atena_no = ?");
            existing.bind(code).bind(atenaNo).execute();
            if (existing.rowCount() > 0 && !existing.row(0).isNull(0) && existing.row(0).str(0) != fugo)
                return Status::exists("atena number " + atenaNo + " already has a different 符号");
        }
        SqlQuery other(s, "SELECT COUNT(*) FROM fugo_map WHERE tenant_code = ? AND fugo = ? AND atena_no <> ?");
        other.bind(code).bind(fugo).bind(atenaNo).execute();
        if (other.row(0).i64(0) > 0)
            return Status::exists("符号 for atena number " + atenaNo + " is already mapped to another atena number");
        if (n == 0)
        {
            SqlQuery ins(s, "INSERT INTO fugo_map (tenant_code, atena_no, fugo, state, requested_at, obtained_at)"
                            " VALUES (?, ?, ?, ?, ?, ?)");
            ins.bind(code).bind(atenaNo).bind(fugo).bind(state).bind(nowMicros).bind(nowMicros).execute();
        }
        else
        {
            SqlQuery up(s, "UPDATE fugo_map SET fugo = ?, state = ?, obtained_at = ? WHERE tenant_code = ? AND atena_no = ?");
            up.bind(fugo).bind(state).bind(nowMicros).bind(code).bind(atenaNo).execute();
        }
        return Status::ok();
    });
}

std::optional<FugoRow> FugoStore::findByAtena(const TenantCode& tenant, const std::string& atenaNo)
{
    Poco::Data::Session s = _db.session();
    SqlQuery st(s, std::string(kColumns) + "WHERE tenant_code = ? AND atena_no = ?");
    st.bind(tenant.str()).bind(atenaNo);
    return readOne(st);
}

std::optional<FugoRow> FugoStore::findByFugo(const TenantCode& tenant, const std::string& fugo)
{
    Poco::Data::Session s = _db.session();
    SqlQuery st(s, std::string(kColumns) + "WHERE tenant_code = ? AND fugo = ?");
    st.bind(tenant.str()).bind(fugo);
    return readOne(st);
}

Poco::Int64 FugoStore::countObtained(const TenantCode& tenant)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str(), state = "obtained";
    Poco::Int64 n = 0;
    s << "SELECT COUNT(*) FROM fugo_map WHERE tenant_code = ? AND state = ?", use(code), use(state), into(n), now;
    return n;
}

std::map<std::string, std::string> FugoStore::findObtained(const TenantCode& tenant,
                                                        const std::vector<std::string>& atenaNos)
{
    const std::size_t kPerQuery = 500; // under SQLite's oldest bound-parameter limit (999)
    std::map<std::string, std::string> out;
    Poco::Data::Session s = _db.session();
    for (std::size_t from = 0; from < atenaNos.size(); from += kPerQuery)
    {
        std::size_t to = std::min(atenaNos.size(), from + kPerQuery);
        std::string sql = "SELECT atena_no, fugo FROM fugo_map WHERE tenant_code = ? AND state = ? AND atena_no IN (";
        Poco::Data::AbstractBindingVec binds{bind(tenant.str()), bind(std::string("obtained"))};
        for (std::size_t i = from; i < to; ++i)
        {
            sql += i == from ? "?" : ", ?";
            binds.push_back(bind(atenaNos[i]));
        }
        sql += ")";
        Poco::Data::Statement st(s);
        st << sql, use(binds);
        st.execute();
        Poco::Data::RecordSet rs(st);
        for (std::size_t row = 0; row < rs.rowCount(); ++row)
        {
            RowReader r(rs, row);
            if (!r.str(1).empty())
                out[r.str(0)] = r.str(1);
        }
    }
    return out;
}

} // namespace chukan
