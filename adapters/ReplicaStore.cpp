// ReplicaStore: bound-parameter SQL over replica_items; versions are append-only, one is_current
// per record.
#include "adapters/ReplicaStore.h"

#include "adapters/BlobColumn.h"

#include <Poco/Data/LOB.h>

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

Poco::Nullable<Poco::Int64> nullable(const std::optional<Poco::Int64>& v)
{
    return v ? Poco::Nullable<Poco::Int64>(*v) : Poco::Nullable<Poco::Int64>();
}

bool sameContent(const ReplicaItem& a, const ReplicaItem& b)
{
    return a.atenaNo == b.atenaNo && a.itemCode == b.itemCode && a.datasetKey == b.datasetKey &&
           a.payload == b.payload && a.nilReason == b.nilReason && a.publishFrom == b.publishFrom &&
           a.publishTo == b.publishTo && a.autoAnswer == b.autoAnswer && a.deleted == b.deleted;
}

} // namespace

Status ReplicaStore::validate(const ReplicaItem& it)
{
    std::string what = "replica record " + it.recordId + " version " + std::to_string(it.version);
    if (it.recordId.empty() || it.recordId.size() > 64)
        return Status::invalid(what + ": record id must be 1 to 64 characters");
    if (it.version < 1)
        return Status::invalid(what + ": version must be 1 or more");
    if (it.atenaNo.size() != 15 || it.atenaNo.find_first_not_of("0123456789") != std::string::npos)
        return Status::invalid(what + ": atena number '" + it.atenaNo + "' must be 15 digits");
    if (it.itemCode.size() != 16)
        return Status::invalid(what + ": 特定個人情報名コード '" + it.itemCode +
                               "' must be 16 characters");
    if (it.datasetKey.size() > 64)
        return Status::invalid(what + ": data-set key must be at most 64 characters");
    if (!it.payload && it.nilReason.empty())
        return Status::invalid(what + ": an empty (nil) payload needs a nil reason");
    if (it.nilReason.size() > 64)
        return Status::invalid(what + ": nil reason must be at most 64 characters");
    if (it.sourceSystem.empty() || it.sourceSystem.size() > 64)
        return Status::invalid(what + ": source system must be 1 to 64 characters");
    if (it.publishFrom && it.publishTo && *it.publishTo < *it.publishFrom)
        return Status::invalid(what + ": publication ends before it starts");
    return Status::ok();
}

std::vector<ReplicaItem> ReplicaStore::select(Poco::Data::Session& s, const std::string& where,
                                              Poco::Data::AbstractBindingVec& binds,
                                              const std::string& tenant)
{
    Poco::Data::Statement st(s);
    st << "SELECT record_id, version, atena_no, item_code, dataset_key, nil_reason, publish_from, "
          "publish_to,"
          " auto_answer, is_current, deleted, source_system, updated_at, " +
              BlobColumn::select(_db, "payload") + " FROM replica_items " + where,
        use(binds);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<ReplicaItem> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
    {
        RowReader r(rs, i);
        ReplicaItem it;
        it.recordId = r.str(0);
        it.version = r.i64(1);
        it.atenaNo = r.str(2);
        it.itemCode = r.str(3);
        it.datasetKey = r.str(4);
        it.nilReason = r.str(5);
        it.publishFrom = r.optI64(6);
        it.publishTo = r.optI64(7);
        it.autoAnswer = r.i64(8) != 0;
        it.isCurrent = r.i64(9) != 0;
        it.deleted = r.i64(10) != 0;
        it.sourceSystem = r.str(11);
        it.updatedAt = r.i64(12);
        it.payload = BlobColumn::value(
            _db, s, r, 13, "replica_items", "payload", tenant,
            {{"record_id", it.recordId}, {"version", std::to_string(it.version)}});
        out.push_back(it);
    }
    return out;
}

Status ReplicaStore::insertVersion(Poco::Data::Session& s, const TenantCode& tenant,
                                   const ReplicaItem& item, Poco::Int64 nowMicros)
{
    std::string code = tenant.str();
    Poco::Data::AbstractBindingVec sameBinds{bind(code), bind(item.recordId), bind(item.version)};
    std::vector<ReplicaItem> same =
        select(s, "WHERE tenant_code = ? AND record_id = ? AND version = ?", sameBinds, code);
    std::string what =
        "replica record " + item.recordId + " version " + std::to_string(item.version);
    if (!same.empty())
        return sameContent(same.front(), item)
                   ? Status::ok()
                   : Status::exists(what + ": already registered with different content");
    std::string id = item.recordId;
    Poco::Nullable<Poco::Int64> max;
    s << "SELECT MAX(version) FROM replica_items WHERE tenant_code = ? AND record_id = ?",
        use(code), use(id), into(max), now;
    if (!max.isNull() && max.value() >= item.version)
        return Status::precondition(what + ": stale; the current version is " +
                                    std::to_string(max.value()));
    // Locks the previous current row, so a concurrent put of the same record waits for us.
    s << "UPDATE replica_items SET is_current = 0 WHERE tenant_code = ? AND record_id = ? AND "
         "is_current = 1",
        use(code), use(id), now;
    s << "SELECT MAX(version) FROM replica_items WHERE tenant_code = ? AND record_id = ?",
        use(code), use(id), into(max), now;
    if (!max.isNull() && max.value() >= item.version)
        return Status::precondition(what + ": stale; version " + std::to_string(max.value()) +
                                    " was stored concurrently");
    Poco::Nullable<Poco::Data::BLOB> payload;
    if (item.payload)
        payload = Poco::Data::BLOB(reinterpret_cast<const unsigned char*>(item.payload->data()),
                                   item.payload->size());
    Poco::Nullable<std::string> nil;
    if (!item.nilReason.empty())
        nil = item.nilReason;
    Poco::Int64 version = item.version, at = nowMicros;
    Poco::Nullable<Poco::Int64> from = nullable(item.publishFrom), to = nullable(item.publishTo);
    int autoAnswer = item.autoAnswer ? 1 : 0, current = 1, deleted = item.deleted ? 1 : 0;
    std::string atena = item.atenaNo, itemCode = item.itemCode, dataset = item.datasetKey,
                source = item.sourceSystem;
    s << "INSERT INTO replica_items (tenant_code, record_id, version, atena_no, item_code, "
         "dataset_key, payload,"
         " nil_reason, publish_from, publish_to, auto_answer, is_current, deleted, source_system, "
         "updated_at)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        use(code), use(id), use(version), use(atena), use(itemCode), use(dataset), use(payload),
        use(nil), use(from), use(to), use(autoAnswer), use(current), use(deleted), use(source),
        use(at), now;
    return Status::ok();
}

Status ReplicaStore::put(const TenantCode& tenant, const ReplicaItem& item, Poco::Int64 nowMicros)
{
    Status ok = validate(item);
    if (!ok)
        return ok;
    ReplicaItem row = item;
    row.deleted = false;
    for (int attempt = 1;; ++attempt)
    {
        try
        {
            return _db.write([&](Poco::Data::Session& s)
                             { return insertVersion(s, tenant, row, nowMicros); });
        }
        catch (const std::exception& e)
        {
            // Another node stored this version first: the next attempt compares with it.
            if (!_db.isDuplicateKey(e) || attempt >= 3)
                throw;
        }
    }
}

Result<std::vector<bool>> ReplicaStore::putBatch(const TenantCode& tenant,
                                                 const std::vector<ReplicaItem>& items,
                                                 Poco::Int64 nowMicros)
{
    for (ReplicaItem probe : items)
    {
        probe.version = 1; // assigned in the transaction
        Status ok = validate(probe);
        if (!ok)
            return ok;
    }
    std::vector<bool> stored;
    try
    {
        Status st = _db.write(
            [&](Poco::Data::Session& s)
            {
                stored.assign(items.size(), false);
                const std::string code = tenant.str();
                for (std::size_t i = 0; i < items.size(); ++i)
                {
                    const ReplicaItem& item = items[i];
                    Poco::Data::AbstractBindingVec binds{bind(code), bind(item.recordId)};
                    std::vector<ReplicaItem> cur = select(
                        s, "WHERE tenant_code = ? AND record_id = ? ORDER BY version DESC LIMIT 1",
                        binds, code);
                    if (!cur.empty() && !cur.front().deleted &&
                        cur.front().payload == item.payload &&
                        cur.front().atenaNo == item.atenaNo &&
                        cur.front().itemCode == item.itemCode &&
                        cur.front().datasetKey == item.datasetKey &&
                        cur.front().autoAnswer == item.autoAnswer)
                        continue;
                    ReplicaItem row = item;
                    row.deleted = false;
                    row.version = cur.empty() ? 1 : cur.front().version + 1;
                    Status one = insertVersion(s, tenant, row, nowMicros);
                    if (!one)
                        return one;
                    stored[i] = true;
                }
                return Status::ok();
            });
        if (!st)
            return st;
    }
    catch (const std::exception& e)
    {
        if (!_db.isDuplicateKey(e))
            throw;
        return Status::exists("replica batch of " + std::to_string(items.size()) +
                              " items raced with another writer");
    }
    return stored;
}

Status ReplicaStore::remove(const TenantCode& tenant, const std::string& recordId,
                            Poco::Int64 version, const std::string& sourceSystem,
                            Poco::Int64 nowMicros)
{
    std::optional<ReplicaItem> cur = current(tenant, recordId);
    if (!cur)
        return Status::notFound("replica record " + recordId + ": not found for tenant " +
                                tenant.str());
    ReplicaItem tomb = *cur;
    if (cur->deleted && cur->version == version)
        return Status::ok();
    tomb.version = version;
    tomb.payload.reset();
    tomb.nilReason = "deleted";
    tomb.deleted = true;
    tomb.sourceSystem = sourceSystem;
    Status ok = validate(tomb);
    if (!ok)
        return ok;
    for (int attempt = 1;; ++attempt)
    {
        try
        {
            return _db.write([&](Poco::Data::Session& s)
                             { return insertVersion(s, tenant, tomb, nowMicros); });
        }
        catch (const std::exception& e)
        {
            if (!_db.isDuplicateKey(e) || attempt >= 3)
                throw;
        }
    }
}

std::optional<ReplicaItem> ReplicaStore::current(const TenantCode& tenant,
                                                 const std::string& recordId)
{
    Poco::Data::Session s = _db.session();
    Poco::Data::AbstractBindingVec binds{bind(tenant.str()), bind(recordId)};
    std::vector<ReplicaItem> rows =
        select(s, "WHERE tenant_code = ? AND record_id = ? ORDER BY version DESC LIMIT 1", binds,
               tenant.str());
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<ReplicaItem> ReplicaStore::findCurrent(const TenantCode& tenant,
                                                   const std::string& atenaNo,
                                                   const std::string& itemCode)
{
    Poco::Data::Session s = _db.session();
    Poco::Data::AbstractBindingVec binds{bind(tenant.str()), bind(atenaNo), bind(itemCode)};
    return select(s,
                  "WHERE tenant_code = ? AND atena_no = ? AND item_code = ? AND is_current = 1 AND "
                  "deleted = 0"
                  " ORDER BY dataset_key, record_id",
                  binds, tenant.str());
}

std::vector<ReplicaItem> ReplicaStore::versions(const TenantCode& tenant,
                                                const std::string& recordId)
{
    Poco::Data::Session s = _db.session();
    Poco::Data::AbstractBindingVec binds{bind(tenant.str()), bind(recordId)};
    return select(s, "WHERE tenant_code = ? AND record_id = ? ORDER BY version", binds,
                  tenant.str());
}

std::vector<ReplicaItem> ReplicaStore::listCurrent(const TenantCode& tenant,
                                                   const std::string& afterRecordId, int limit)
{
    Poco::Data::Session s = _db.session();
    Poco::Data::AbstractBindingVec binds{bind(tenant.str()), bind(afterRecordId),
                                         bind(static_cast<Poco::Int64>(limit))};
    return select(
        s, "WHERE tenant_code = ? AND is_current = 1 AND record_id > ? ORDER BY record_id LIMIT ?",
        binds, tenant.str());
}

} // namespace chukan
