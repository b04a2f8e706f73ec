// StatsStore: bound-parameter COUNT and GROUP BY queries, the same SQL on SQLite and MariaDB.
#include "adapters/StatsStore.h"

#include "adapters/RowReader.h"

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

Poco::Int64 countWhere(Poco::Data::Session& s, const std::string& sql, const std::string& tenant,
                       std::string value)
{
    std::string code = tenant;
    Poco::Int64 n = 0;
    s << sql, use(code), use(value), into(n), now;
    return n;
}

} // namespace

QueueDepths StatsStore::queueDepths(const TenantCode& tenant)
{
    Poco::Data::Session s = _db.session();
    const std::string code = tenant.str();
    QueueDepths d;
    d.outboxPending = countWhere(
        s, "SELECT COUNT(*) FROM outbox WHERE tenant_code = ? AND state = ?", code, "pending");
    d.inquiriesQueued = countWhere(
        s, "SELECT COUNT(*) FROM inquiries WHERE tenant_code = ? AND state = ?", code, "queued");
    d.inquiriesInFlight = countWhere(
        s, "SELECT COUNT(*) FROM inquiries WHERE tenant_code = ? AND state = ?", code, "sent");
    d.holdsPending = countWhere(s, "SELECT COUNT(*) FROM holds WHERE tenant_code = ? AND state = ?",
                                code, "pending");
    std::string c = code, running = "running", kind = "bulk-inquiry";
    Poco::Int64 n = 0;
    s << "SELECT COUNT(*) FROM batch_jobs WHERE tenant_code = ? AND state = ? AND kind = ?", use(c),
        use(running), use(kind), into(n), now;
    d.bulkJobsRunning = n;
    return d;
}

std::vector<RecordCount> StatsStore::recordCounts(const TenantCode& tenant, Poco::Int64 fromMicros,
                                                  Poco::Int64 toMicros)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str(), inquiry = "inquiry", provision = "provision",
                inquiry2 = "inquiry";
    Poco::Int64 from = fromMicros, to = toMicros;
    // day = start of the day in Japan time, shifted back to UTC after grouping (in C++).
    Poco::Data::Statement st(s);
    st << "SELECT (created_at + 32400000000) - ((created_at + 32400000000) % 86400000000) AS d,"
          " kind, jimu_code, item_code,"
          " CASE WHEN kind = ? THEN provider_code ELSE requester_code END AS cp,"
          " outcome, COUNT(*) FROM provision_records"
          " WHERE tenant_code = ? AND created_at >= ? AND created_at < ? AND kind IN (?, ?)"
          " GROUP BY d, kind, jimu_code, item_code, cp, outcome"
          " ORDER BY d, kind, jimu_code, item_code, cp, outcome",
        use(inquiry2), use(code), use(from), use(to), use(inquiry), use(provision);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<RecordCount> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
    {
        RowReader r(rs, i);
        RecordCount c;
        c.dayStart = r.i64(0) - JST_OFFSET_MICROS;
        c.kind = r.str(1);
        c.jimuCode = r.str(2);
        c.itemCode = r.str(3);
        c.counterpartCode = r.str(4);
        c.outcome = r.str(5);
        c.count = r.i64(6);
        out.push_back(c);
    }
    return out;
}

std::vector<HoldTiming> StatsStore::holds(const TenantCode& tenant, Poco::Int64 fromMicros,
                                          Poco::Int64 toMicros)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str(), system = "system";
    Poco::Int64 from = fromMicros, to = toMicros;
    Poco::Data::Statement st(s);
    st << "SELECT h.state, h.created_at, h.decided_at, h.decided_by, p.jimu_code, p.item_code,"
          " p.requester_code FROM holds h LEFT JOIN provision_requests p"
          " ON p.tenant_code = h.tenant_code AND p.message_id = h.message_id"
          " WHERE h.tenant_code = ? AND h.created_at >= ? AND h.created_at < ?"
          " ORDER BY h.created_at, h.hold_id",
        use(code), use(from), use(to);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<HoldTiming> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
    {
        RowReader r(rs, i);
        HoldTiming h;
        h.state = r.str(0);
        h.createdAt = r.i64(1);
        h.decidedAt = r.optI64(2);
        h.decidedByReviewer = (h.state == "approved" || h.state == "rejected") &&
                              h.decidedAt.has_value() && r.str(3) != system;
        h.jimuCode = r.str(4);
        h.itemCode = r.str(5);
        h.requesterCode = r.str(6);
        out.push_back(h);
    }
    return out;
}

} // namespace chukan
