// RecordStore: validation, chained append and filtered, bound-parameter queries over
// provision_records.
#include "adapters/RecordStore.h"

#include "adapters/RowReader.h"
#include "codecs/SignedTime.h"

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

std::vector<ChainColumn> columns()
{
    return {{"kind", ChainColumn::TEXT},           {"requester_code", ChainColumn::TEXT},
            {"provider_code", ChainColumn::TEXT},  {"jimu_code", ChainColumn::TEXT},
            {"procedure_code", ChainColumn::TEXT}, {"item_code", ChainColumn::TEXT},
            {"subject_fugo", ChainColumn::TEXT},   {"subject_atena", ChainColumn::TEXT},
            {"requested_at", ChainColumn::INT},    {"provided_at", ChainColumn::OPT_INT},
            {"outcome", ChainColumn::TEXT},        {"reason", ChainColumn::TEXT},
            {"nondisclosure", ChainColumn::INT},   {"ref_id", ChainColumn::TEXT},
            {"created_at", ChainColumn::INT}};
}

Status code16(const std::string& what, const std::string& field, const std::string& value)
{
    if (value.size() != 16)
        return Status::invalid(what + ": " + field + " '" + value +
                               "' must be 16 characters, got " + std::to_string(value.size()));
    return Status::ok();
}

Status length(const std::string& what, const std::string& field, const std::string& value,
              std::size_t min, std::size_t max)
{
    if (value.size() < min || value.size() > max)
        return Status::invalid(what + ": " + field + " must be " + std::to_string(min) + " to " +
                               std::to_string(max) + " bytes, got " + std::to_string(value.size()));
    return Status::ok();
}

/// " WHERE tenant_code = ? AND ..." with one bound copy per placeholder.
std::string whereClause(const TenantCode& tenant, const RecordFilter& f,
                        Poco::Data::AbstractBindingVec& binds)
{
    std::string sql = " WHERE tenant_code = ?";
    binds.push_back(bind(tenant.str()));
    if (!f.subjectAtena.empty())
    {
        sql += " AND subject_atena = ?";
        binds.push_back(bind(f.subjectAtena));
    }
    if (f.from)
    {
        sql += " AND created_at >= ?";
        binds.push_back(bind(*f.from));
    }
    if (f.to)
    {
        sql += " AND created_at < ?";
        binds.push_back(bind(*f.to));
    }
    if (!f.institutionCode.empty())
    {
        sql += " AND (requester_code = ? OR provider_code = ?)";
        binds.push_back(bind(f.institutionCode));
        binds.push_back(bind(f.institutionCode));
    }
    if (!f.jimuCode.empty())
    {
        sql += " AND jimu_code = ?";
        binds.push_back(bind(f.jimuCode));
    }
    if (!f.outcome.empty())
    {
        sql += " AND outcome = ?";
        binds.push_back(bind(f.outcome));
    }
    if (f.afterSeq > 0)
    {
        sql += " AND seq > ?";
        binds.push_back(bind(f.afterSeq));
    }
    if (!f.refId.empty())
    {
        sql += " AND ref_id = ? AND kind = ?";
        binds.push_back(bind(f.refId));
        binds.push_back(bind(f.kind));
    }
    return sql;
}

std::vector<ChainValue> chainValues(const ProvisionRecord& r)
{
    return {ChainValue::str(r.kind),
            ChainValue::str(r.requesterCode),
            ChainValue::str(r.providerCode),
            ChainValue::str(r.jimuCode),
            ChainValue::str(r.procedureCode),
            ChainValue::str(r.itemCode),
            ChainValue::str(r.subjectFugo),
            ChainValue::str(r.subjectAtena),
            ChainValue::integer(r.requestedAt),
            ChainValue::optInteger(r.providedAt),
            ChainValue::str(r.outcome),
            ChainValue::str(r.reason),
            ChainValue::integer(r.nondisclosure ? 1 : 0),
            ChainValue::str(r.refId),
            ChainValue::integer(r.createdAt)};
}

} // namespace

RecordStore::RecordStore(Database& db)
    : _db(db), _chain(db, "provision_records", columns(), "created_at")
{
}

Status RecordStore::validate(const ProvisionRecord& r)
{
    std::string what =
        "provision record " + (r.refId.empty() ? std::string("(no ref id)") : r.refId);
    Status st;
    if (r.kind == "purge")
    {
        // A purge has no subject and no 事務: only who purged (our 機関コード) and what.
        if (!(st = code16(what, "requester code (機関コード)", r.requesterCode)) ||
            !(st = length(what, "reason", r.reason, 1, 200)) ||
            !(st = length(what, "ref id", r.refId, 1, 64)))
            return st;
        if (r.providerCode != r.requesterCode || r.outcome != "purged")
            return Status::invalid(what + ": a purge record names our 機関コード as requester and "
                                          "provider and has outcome purged");
        if (!r.jimuCode.empty() || !r.procedureCode.empty() || !r.itemCode.empty() ||
            !r.subjectFugo.empty() || !r.subjectAtena.empty())
            return Status::invalid(what + ": a purge record has no 事務, data item or subject");
        return Status::ok();
    }
    if (r.kind != "inquiry" && r.kind != "provision")
        return Status::invalid(what + ": kind '" + r.kind +
                               "' must be inquiry, provision or purge");
    if (!(st = code16(what, "requester code (機関コード)", r.requesterCode)) ||
        !(st = code16(what, "provider code (機関コード)", r.providerCode)) ||
        !(st = code16(what, "事務コード", r.jimuCode)) ||
        !(st = code16(what, "事務手続きコード", r.procedureCode)) ||
        !(st = code16(what, "特定個人情報名コード", r.itemCode)) ||
        !(st = length(what, "subject 符号", r.subjectFugo, 1, 128)) ||
        !(st = length(what, "outcome", r.outcome, 1, 32)) ||
        !(st = length(what, "reason", r.reason, 0, 200)) ||
        !(st = length(what, "ref id", r.refId, 1, 64)))
        return st;
    if (r.subjectAtena.size() != 15 ||
        r.subjectAtena.find_first_not_of("0123456789") != std::string::npos)
        return Status::invalid(what + ": subject atena number '" + r.subjectAtena +
                               "' must be 15 digits");
    return Status::ok();
}

Result<Poco::Int64> RecordStore::append(const TenantCode& tenant, const ProvisionRecord& r)
{
    Status ok = validate(r);
    if (!ok)
        return ok;
    return _chain.append(tenant, chainValues(r));
}

ProvisionRecord RecordStore::purgeRecord(const PurgeRequest& request, const ChainPurge& purged)
{
    ProvisionRecord r;
    r.kind = "purge";
    r.requesterCode = request.by;
    r.providerCode = request.by;
    r.requestedAt = request.nowMicros;
    r.outcome = "purged";
    r.reason = "retention " + std::to_string(request.retentionDays) + " days: purged " +
               std::to_string(purged.purged) + " records, seq " + std::to_string(purged.firstSeq) +
               " to " + std::to_string(purged.lastSeq) + ", created before " +
               SignedTime::format(Poco::Timestamp(request.cutoffMicros));
    r.refId = request.refId;
    r.createdAt = request.nowMicros;
    return r;
}

Result<ChainPurge> RecordStore::purgeBefore(const TenantCode& tenant, const PurgeRequest& request)
{
    // Check the record before anything is deleted (the counts do not change its validity).
    ChainPurge sample;
    sample.purged = sample.firstSeq = sample.lastSeq = 1;
    Status ok = validate(purgeRecord(request, sample));
    if (!ok)
        return ok;
    return _chain.purgeBefore(
        tenant, request.cutoffMicros, request.nowMicros,
        [&](const ChainPurge& purged) { return chainValues(purgeRecord(request, purged)); },
        request.maxRows);
}

std::vector<ProvisionRecord> RecordStore::query(const TenantCode& tenant,
                                                const RecordFilter& filter, Poco::Int64 offset,
                                                int limit)
{
    Poco::Data::AbstractBindingVec binds;
    std::string sql = "SELECT seq, " + _chain.columnList() +
                      ", prev_hash, hash FROM provision_records" +
                      whereClause(tenant, filter, binds) + " ORDER BY seq LIMIT ? OFFSET ?";
    binds.push_back(bind(static_cast<Poco::Int64>(limit)));
    binds.push_back(bind(offset));
    Poco::Data::Session s = _db.session();
    Poco::Data::Statement st(s);
    st << sql, use(binds);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<ProvisionRecord> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
    {
        RowReader r(rs, i);
        ProvisionRecord p;
        p.seq = r.i64(0);
        p.kind = r.str(1);
        p.requesterCode = r.str(2);
        p.providerCode = r.str(3);
        p.jimuCode = r.str(4);
        p.procedureCode = r.str(5);
        p.itemCode = r.str(6);
        p.subjectFugo = r.str(7);
        p.subjectAtena = r.str(8);
        p.requestedAt = r.i64(9);
        p.providedAt = r.optI64(10);
        p.outcome = r.str(11);
        p.reason = r.str(12);
        p.nondisclosure = r.i64(13) != 0;
        p.refId = r.str(14);
        p.createdAt = r.i64(15);
        p.prevHash = r.str(16);
        p.hash = r.str(17);
        out.push_back(p);
    }
    return out;
}

Poco::Int64 RecordStore::count(const TenantCode& tenant, const RecordFilter& filter)
{
    Poco::Data::AbstractBindingVec binds;
    std::string sql = "SELECT COUNT(*) FROM provision_records" + whereClause(tenant, filter, binds);
    Poco::Data::Session s = _db.session();
    Poco::Int64 n = 0;
    Poco::Data::Statement st(s);
    st << sql, use(binds), into(n);
    st.execute();
    return n;
}

} // namespace chukan
