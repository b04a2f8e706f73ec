// TenantStore: bound-parameter SQL over the tenants table.
#include "adapters/TenantStore.h"

#include "adapters/RowReader.h"

using namespace Poco::Data::Keywords;

namespace chukan {

namespace {

TenantRow readRow(Poco::Data::RecordSet& rs, std::size_t i)
{
    RowReader r(rs, i);
    TenantRow row;
    row.tenantCode = r.str(0);
    row.name = r.str(1);
    row.institutionCode = r.str(2);
    row.status = r.str(3);
    row.createdAt = r.i64(4);
    return row;
}

} // namespace

Status TenantStore::add(const TenantCode& tenant, const std::string& name, const std::string& institutionCode,
                        Poco::Int64 nowMicros)
{
    if (name.empty() || name.size() > 200)
        return Status::invalid("tenant " + tenant.str() + ": name must be 1 to 200 bytes");
    if (institutionCode.size() != 16)
        return Status::invalid("tenant " + tenant.str() + ": institution code (機関コード) must be 16 characters, got " +
                               std::to_string(institutionCode.size()));
    return _db.write([&](Poco::Data::Session& s) {
        std::string code = tenant.str();
        int n = 0;
        s << "SELECT COUNT(*) FROM tenants WHERE tenant_code = ?", use(code), into(n), now;
        if (n > 0)
            return Status::exists("tenant " + code + " is already registered");
        std::string nm = name, inst = institutionCode, status = "active";
        Poco::Int64 at = nowMicros;
        s << "INSERT INTO tenants (tenant_code, name, institution_code, status, created_at) VALUES (?, ?, ?, ?, ?)",
            use(code), use(nm), use(inst), use(status), use(at), now;
        return Status::ok();
    });
}

std::optional<TenantRow> TenantStore::get(const TenantCode& tenant)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str();
    Poco::Data::Statement st(s);
    st << "SELECT tenant_code, name, institution_code, status, created_at FROM tenants WHERE tenant_code = ?",
        use(code);
    st.execute();
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() == 0)
        return std::nullopt;
    return readRow(rs, 0);
}

std::vector<TenantRow> TenantStore::listAll()
{
    Poco::Data::Session s = _db.session();
    std::vector<TenantRow> out;
    Poco::Data::Statement st(s);
    st << "SELECT tenant_code, name, institution_code, status, created_at FROM tenants ORDER BY tenant_code";
    st.execute();
    Poco::Data::RecordSet rs(st);
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
    {
        out.push_back(readRow(rs, i));
    }
    return out;
}

} // namespace chukan
