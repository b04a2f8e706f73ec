// AuditStore: validation, chained append and filtered, bound-parameter queries over audit_log.
#include "adapters/AuditStore.h"

#include "adapters/RowReader.h"
#include "codecs/SignedTime.h"

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

Status length(const std::string& field, const std::string& value, std::size_t min, std::size_t max)
{
    if (value.size() < min || value.size() > max)
        return Status::invalid("audit entry: " + field + " must be " + std::to_string(min) +
                               " to " + std::to_string(max) + " bytes, got " +
                               std::to_string(value.size()));
    return Status::ok();
}

Status validate(const AuditEntry& e)
{
    Status st;
    if (!(st = length("staff id", e.staffId, 1, 64)) ||
        !(st = length("operation", e.operation, 1, 64)) ||
        !(st = length("target", e.target, 0, 200)) || !(st = length("outcome", e.outcome, 1, 32)) ||
        !(st = length("detail", e.detail, 0, 500)))
        return st;
    return Status::ok();
}

std::vector<ChainValue> chainValues(const AuditEntry& e)
{
    return {ChainValue::str(e.staffId), ChainValue::integer(e.at),  ChainValue::str(e.operation),
            ChainValue::str(e.target),  ChainValue::str(e.outcome), ChainValue::str(e.detail)};
}

} // namespace

AuditStore::AuditStore(Database& db)
    : _db(db), _chain(db, "audit_log",
                      {{"staff_id", ChainColumn::TEXT},
                       {"at", ChainColumn::INT},
                       {"operation", ChainColumn::TEXT},
                       {"target", ChainColumn::TEXT},
                       {"outcome", ChainColumn::TEXT},
                       {"detail", ChainColumn::TEXT}},
                      "at")
{
}

Result<Poco::Int64> AuditStore::append(const TenantCode& tenant, const AuditEntry& e)
{
    Status st = validate(e);
    if (!st)
        return st;
    return _chain.append(tenant, chainValues(e));
}

AuditEntry AuditStore::purgeEntry(const PurgeRequest& request, const ChainPurge& purged)
{
    AuditEntry e;
    e.staffId = request.by;
    e.at = request.nowMicros;
    e.operation = "retention.purge";
    e.target = "audit_log";
    e.outcome = "purged";
    e.detail = "retention " + std::to_string(request.retentionDays) + " days: purged " +
               std::to_string(purged.purged) + " entries, seq " + std::to_string(purged.firstSeq) +
               " to " + std::to_string(purged.lastSeq) + ", before " +
               SignedTime::format(Poco::Timestamp(request.cutoffMicros)) + " (" + request.refId +
               ")";
    return e;
}

Result<ChainPurge> AuditStore::purgeBefore(const TenantCode& tenant, const PurgeRequest& request)
{
    ChainPurge sample;
    Status st = validate(purgeEntry(request, sample));
    if (!st)
        return st;
    return _chain.purgeBefore(
        tenant, request.cutoffMicros, request.nowMicros,
        [&](const ChainPurge& purged) { return chainValues(purgeEntry(request, purged)); },
        request.maxRows);
}

std::vector<AuditEntry> AuditStore::query(const TenantCode& tenant, const AuditFilter& f,
                                          Poco::Int64 offset, int limit)
{
    Poco::Data::AbstractBindingVec binds;
    std::string sql =
        "SELECT seq, staff_id, at, operation, target, outcome, detail, prev_hash, hash"
        " FROM audit_log WHERE tenant_code = ?";
    binds.push_back(bind(tenant.str()));
    if (!f.staffId.empty())
    {
        sql += " AND staff_id = ?";
        binds.push_back(bind(f.staffId));
    }
    if (!f.operation.empty())
    {
        sql += " AND operation = ?";
        binds.push_back(bind(f.operation));
    }
    if (f.from)
    {
        sql += " AND at >= ?";
        binds.push_back(bind(*f.from));
    }
    if (f.to)
    {
        sql += " AND at < ?";
        binds.push_back(bind(*f.to));
    }
    sql += " ORDER BY seq LIMIT ? OFFSET ?";
    binds.push_back(bind(static_cast<Poco::Int64>(limit)));
    binds.push_back(bind(offset));
    Poco::Data::Session s = _db.session();
    Poco::Data::Statement st(s);
    st << sql, use(binds);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<AuditEntry> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
    {
        RowReader r(rs, i);
        AuditEntry e;
        e.seq = r.i64(0);
        e.staffId = r.str(1);
        e.at = r.i64(2);
        e.operation = r.str(3);
        e.target = r.str(4);
        e.outcome = r.str(5);
        e.detail = r.str(6);
        e.prevHash = r.str(7);
        e.hash = r.str(8);
        out.push_back(e);
    }
    return out;
}

} // namespace chukan
