// ReplicaStore: bound-parameter SQL over replica_items; versions are append-only, one is_current
// per record (on MariaDB also the unique key ux_replica_current, migration 10).
#include "adapters/ReplicaStore.h"

#include "adapters/BlobColumn.h"
#include "adapters/MariaDbStatement.h"
#include "adapters/SqlQuery.h"
#include "codecs/PayloadPacking.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/SQLite/Utility.h>

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

Poco::Nullable<Poco::Int64> nullable(const std::optional<Poco::Int64>& v)
{
    return v ? Poco::Nullable<Poco::Int64>(*v) : Poco::Nullable<Poco::Int64>();
}

/// "?, ?, …" with n placeholders.
std::string placeholders(std::size_t n)
{
    std::string s;
    s.reserve(n * 3);
    for (std::size_t i = 0; i < n; ++i)
        s += i ? ", ?" : "?";
    return s;
}

/// insertRows' INSERT: the head, then one placeholder row per row inserted.
const char* const kInsertSql =
    "INSERT INTO replica_items (tenant_code, record_id, version, atena_no, item_code, "
    "dataset_key, payload, nil_reason, publish_from, publish_to, auto_answer, is_current, "
    "deleted, source_system, updated_at) VALUES ";
const char* const kInsertRowSql = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)";

/// Calls fn(first, count) for each chunk of at most `chunk` of `total` items, in order.
template <typename Fn> void forEachChunk(std::size_t total, std::size_t chunk, Fn fn)
{
    for (std::size_t at = 0; at < total; at += chunk)
        fn(at, std::min(chunk, total - at));
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
    return validateAs(it, it.version);
}

Status ReplicaStore::validateAs(const ReplicaItem& it, Poco::Int64 version)
{
    auto what = [&] { return "replica record " + it.recordId + " version " + std::to_string(version); };
    if (it.recordId.empty() || it.recordId.size() > 64)
        return Status::invalid(what() + ": record id must be 1 to 64 characters");
    if (version < 1)
        return Status::invalid(what() + ": version must be 1 or more");
    if (it.atenaNo.size() != 15 || it.atenaNo.find_first_not_of("0123456789") != std::string::npos)
        return Status::invalid(what() + ": atena number '" + it.atenaNo + "' must be 15 digits");
    if (it.itemCode.size() != 16)
        return Status::invalid(what() + ": 特定個人情報名コード '" + it.itemCode +
                               "' must be 16 characters");
    if (it.datasetKey.size() > 64)
        return Status::invalid(what() + ": data-set key must be at most 64 characters");
    if (!it.payload && it.nilReason.empty())
        return Status::invalid(what() + ": an empty (nil) payload needs a nil reason");
    if (it.nilReason.size() > 64)
        return Status::invalid(what() + ": nil reason must be at most 64 characters");
    if (it.sourceSystem.empty() || it.sourceSystem.size() > 64)
        return Status::invalid(what() + ": source system must be 1 to 64 characters");
    if (it.publishFrom && it.publishTo && *it.publishTo < *it.publishFrom)
        return Status::invalid(what() + ": publication ends before it starts");
    return Status::ok();
}

namespace
{
/// select()'s columns, in readItem()'s order.
std::string itemColumns(Database& db)
{
    return "SELECT record_id, version, atena_no, item_code, dataset_key, nil_reason, publish_from, "
           "publish_to,"
           " auto_answer, is_current, deleted, source_system, updated_at, " +
           BlobColumn::select(db, "payload") + " FROM replica_items ";
}
} // namespace

ReplicaItem ReplicaStore::readItem(Poco::Data::Session& s, const RowReader& r, const std::string& tenant)
{
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
    it.payload = PayloadPacking::unpack(
        BlobColumn::value(_db, s, r, 13, "replica_items", "payload", tenant,
                          {{"record_id", it.recordId}, {"version", std::to_string(it.version)}}));
    return it;
}

std::vector<ReplicaItem> ReplicaStore::select(Poco::Data::Session& s, const std::string& where,
                                              Poco::Data::AbstractBindingVec& binds,
                                              const std::string& tenant)
{
    Poco::Data::Statement st(s);
    st << itemColumns(_db) + where, use(binds);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<ReplicaItem> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
        out.push_back(readItem(s, RowReader(rs, i), tenant));
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
    // Locks the previous current row, so a concurrent put of the same record waits for us. A
    // version another writer inserts meanwhile is current too: on MariaDB ux_replica_current
    // makes one of the two inserts a duplicate key, which put() retries (then compared with that
    // version); SQLite has one writer at a time.
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
    {
        const std::string packed = PayloadPacking::pack(*item.payload);
        payload = Poco::Data::BLOB(reinterpret_cast<const unsigned char*>(packed.data()),
                                   packed.size());
    }
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
                                                 Poco::Int64 nowMicros,
                                                 const std::vector<std::string>* givenPacked)
{
    if (givenPacked && givenPacked->size() != items.size())
        return Status::invalid("replica batch of " + std::to_string(items.size()) + " items: " +
                               std::to_string(givenPacked->size()) + " packed payloads");
    std::unordered_set<std::string_view> ids;
    ids.reserve(items.size());
    for (const ReplicaItem& item : items)
    {
        Status ok = validateAs(item, 1); // the version is assigned in the transaction
        if (!ok)
            return ok;
        if (!ids.insert(item.recordId).second)
            return Status::invalid("replica record " + item.recordId +
                                   ": given twice in one batch");
    }
    // The payloads as stored, packed once outside the transaction (or by the caller).
    std::vector<std::string> ownPacked;
    if (!givenPacked)
    {
        ownPacked.resize(items.size());
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i].payload)
                ownPacked[i] = PayloadPacking::pack(*items[i].payload);
    }
    const std::vector<std::string>& packed = givenPacked ? *givenPacked : ownPacked;
    std::vector<bool> stored;
    try
    {
        Status st = _db.write(
            [&](Poco::Data::Session& s)
            {
                stored.assign(items.size(), false);
                const std::string code = tenant.str();
                // The current version of every record of the batch, read per chunk.
                std::unordered_map<std::string, ReplicaItem> current;
                current.reserve(items.size());
                if (_db.backend() == Database::SQLITE)
                    readCurrentSqlite(s, code, items, current);
                else
                    readCurrentMariaDb(s, code, items, current);
                std::vector<const ReplicaItem*> rows;
                std::vector<const std::string*> payloads; // as stored (PayloadPacking)
                std::vector<Poco::Int64> versions;
                std::vector<std::size_t> replaced; // rows whose record's current row they replace
                for (std::size_t i = 0; i < items.size(); ++i)
                {
                    const ReplicaItem& item = items[i];
                    auto cur = current.find(item.recordId);
                    if (cur != current.end() && !cur->second.deleted &&
                        cur->second.payload.has_value() == item.payload.has_value() &&
                        (!item.payload ||
                         PayloadPacking::holds(*cur->second.payload, *item.payload, packed[i])) &&
                        cur->second.atenaNo == item.atenaNo &&
                        cur->second.itemCode == item.itemCode &&
                        cur->second.datasetKey == item.datasetKey &&
                        cur->second.autoAnswer == item.autoAnswer)
                        continue;
                    if (cur != current.end())
                        replaced.push_back(rows.size());
                    rows.push_back(&item);
                    payloads.push_back(item.payload ? &packed[i] : nullptr);
                    versions.push_back(cur == current.end() ? 1 : cur->second.version + 1);
                    stored[i] = true;
                }
                // The race guard (MariaDB; on SQLite, BEGIN IMMEDIATE excludes other writers
                // since the read, and the count below holds trivially). Every stored row is
                // inserted current and only ever demoted, and ux_replica_current (migration 10)
                // refuses a second current row of a record, so, committed, a record has one
                // current row, its highest version. Each row
                // read current is demoted here exactly, by its version, and only if it still
                // is current: the UPDATE reads the newest committed row and locks it until the
                // commit. All of them changed: none of those records got a newer version since
                // the read (that needs this row demoted or a second current row), and none can
                // until the commit (a put() waits for the lock, then finds our new row current
                // or, inserting beside it, a duplicate key). Fewer changed: another writer
                // replaced one of them first, and the batch is refused. A record read without a
                // current row gets version 1 inserted current: a version another writer stored
                // or is storing meanwhile is (or will be) current too, so the insert is a
                // duplicate key (after waiting for that writer), which refuses the batch below.
                // Refused batches roll back whole; the importer then stores the items one by
                // one with put().
                std::size_t demoted = 0;
                forEachChunk(replaced.size(), kReadChunk,
                             [&](std::size_t at, std::size_t n)
                             {
                                 Poco::Data::Statement up(s);
                                 if (_db.backend() == Database::SQLITE)
                                 {
                                     up << "UPDATE replica_items SET is_current = 0 WHERE "
                                           "tenant_code = ? AND is_current = 1 AND record_id IN (" +
                                               placeholders(n) + ")",
                                         bind(code);
                                     for (std::size_t i = at; i < at + n; ++i)
                                         up, bind(rows[replaced[i]]->recordId);
                                 }
                                 else
                                 {
                                     // The IN list of ids gives the range of primary keys to
                                     // visit, the (id, version) list picks the exact rows.
                                     std::string pairs;
                                     for (std::size_t i = 0; i < n; ++i)
                                         pairs += i ? ", (?, ?)" : "(?, ?)";
                                     up << "UPDATE replica_items SET is_current = 0 WHERE "
                                           "tenant_code = ? AND is_current = 1 AND record_id IN (" +
                                               placeholders(n) + ") AND (record_id, version) IN (" +
                                               pairs + ")",
                                         bind(code);
                                     for (std::size_t i = at; i < at + n; ++i)
                                         up, bind(rows[replaced[i]]->recordId);
                                     for (std::size_t i = at; i < at + n; ++i)
                                         up, bind(rows[replaced[i]]->recordId),
                                             bind(versions[replaced[i]] - 1);
                                 }
                                 demoted += up.execute();
                             });
                if (demoted != replaced.size())
                    return Status::exists("replica batch of " + std::to_string(items.size()) +
                                          " items: another writer stored a version of one of its "
                                          "records concurrently");
                insertRows(s, code, rows, payloads, versions, nowMicros);
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

void ReplicaStore::insertRows(Poco::Data::Session& s, const std::string& code,
                              const std::vector<const ReplicaItem*>& rows,
                              const std::vector<const std::string*>& payloads,
                              const std::vector<Poco::Int64>& versions, Poco::Int64 nowMicros)
{
    const char* const kInsert = kInsertSql;
    const char* const kRow = kInsertRowSql;
    if (rows.empty())
        return;
    if (_db.backend() == Database::SQLITE)
    {
        insertRowsSqlite(s, code, rows, payloads, versions, nowMicros);
        return;
    }
    if (insertRowsMariaDb(s, code, rows, payloads, versions, nowMicros))
        return;
    // A server without bulk execution (MySQL): multi-row statements through Poco, as before.
    // A statement of `width` rows ("(…), (…), …") is prepared once and executed `times` times
    // from column vectors: rows[first + t * width + r] is row r of execution t. SQLite: one row
    // wide, executed per row (no round trips). MariaDB: up to kInsertRows rows wide, bounded by
    // kInsertBytes (max_allowed_packet), so a prepare of thousands of placeholders — which
    // costs the server as much as the insert — is paid once per batch, not per chunk; the
    // remainder gets a statement of its own width.
    std::size_t width = 1;
    if (_db.backend() == Database::MARIADB)
    {
        std::size_t largest = 0;
        for (const std::string* payload : payloads)
            largest = std::max(largest, payload ? payload->size() : 0);
        width = std::max<std::size_t>(1, std::min(kInsertRows, kInsertBytes / (largest + 512)));
    }
    for (std::size_t first = 0; first < rows.size();)
    {
        std::size_t left = rows.size() - first;
        std::size_t w = std::min(width, left);
        std::size_t times = left / w;
        std::vector<InsertColumns> columns(w);
        for (std::size_t t = 0; t < times; ++t)
            for (std::size_t r = 0; r < w; ++r)
            {
                std::size_t i = first + t * w + r;
                columns[r].add(code, *rows[i], payloads[i], versions[i], nowMicros);
            }
        std::string sql = kInsert;
        for (std::size_t r = 0; r < w; ++r)
            sql += r == 0 ? kRow : std::string(", ") + kRow;
        Poco::Data::Statement st(s);
        st << sql;
        for (InsertColumns& c : columns)
            c.bindTo(st);
        st.execute();
        first += times * w;
    }
}

void ReplicaStore::readCurrentMariaDb(Poco::Data::Session& s, const std::string& code,
                                      const std::vector<ReplicaItem>& items,
                                      std::unordered_map<std::string, ReplicaItem>& current)
{
    // Most records of an import are either all new (a first import) or all present (a
    // re-import). First, one range read of the index of current rows (ux_replica_current,
    // index only) over the span of the batch's ids finds which of them have a current row at
    // all: for a new file none, and the read by id — whose range analysis of hundreds of ids
    // in an IN (…) was a fifth of the server's CPU — is not needed. When the current rows of
    // the span are mostly the batch's own, they are read whole by the same range; when the span
    // holds many others, the batch's are read by id; when it holds more than kProbeRows, every
    // id of the batch is read by id. Each way gives what reading every id by id gives: an id the
    // probe misses (its collation order differs from its bytes', PAD SPACE and control
    // characters) reads as new, and its insert is refused by the unique keys, so the batch
    // falls back to put().
    if (items.empty())
        return;
    auto [low, high] = std::minmax_element(items.begin(), items.end(),
                                           [](const ReplicaItem& x, const ReplicaItem& y)
                                           { return x.recordId < y.recordId; });
    std::unordered_set<std::string> found;
    {
        MariaDbStatement probe(s, "SELECT current_record FROM replica_items WHERE tenant_code = ? "
                                  "AND current_record BETWEEN ? AND ? LIMIT ?");
        probe.text(0, 0, code);
        probe.text(1, 0, low->recordId);
        probe.text(2, 0, high->recordId);
        probe.integer(3, 0, static_cast<Poco::Int64>(kProbeRows + 1));
        probe.execute();
        while (probe.fetch())
            found.insert(probe.text(0));
    }
    std::vector<const std::string*> wanted;
    for (const ReplicaItem& item : items)
        if (found.size() > kProbeRows || found.count(item.recordId))
            wanted.push_back(&item.recordId);
    if (wanted.empty())
        return;
    const char* const columns = "SELECT record_id, version, atena_no, item_code, dataset_key, "
                                "payload, auto_answer, deleted FROM replica_items WHERE "
                                "tenant_code = ? AND ";
    auto readRows = [&](MariaDbStatement& st, bool onlyWanted)
    {
        st.execute();
        while (st.fetch())
        {
            ReplicaItem row;
            row.recordId = st.text(0);
            if (onlyWanted && !found.count(row.recordId))
                continue;
            row.version = st.integer(1);
            row.atenaNo = st.text(2);
            row.itemCode = st.text(3);
            row.datasetKey = st.text(4);
            if (!st.isNull(5))
                row.payload = st.text(5);
            row.autoAnswer = st.integer(6) != 0;
            row.deleted = st.integer(7) != 0;
            row.isCurrent = true;
            std::string id = row.recordId;
            current[std::move(id)] = std::move(row);
        }
    };
    if (found.size() <= kProbeRows && found.size() <= wanted.size() + wanted.size() / 4)
    {
        // Mostly the batch's own rows: the same range, whole rows, the few others skipped.
        found.clear();
        for (const std::string* id : wanted)
            found.insert(*id);
        MariaDbStatement st(s, std::string(columns) + "current_record BETWEEN ? AND ?");
        st.text(0, 0, code);
        st.text(1, 0, low->recordId);
        st.text(2, 0, high->recordId);
        readRows(st, true);
        return;
    }
    // By id, a statement prepared once for every full chunk (the remainder gets its own).
    std::unique_ptr<MariaDbStatement> st;
    forEachChunk(wanted.size(), kReadChunk,
                 [&](std::size_t at, std::size_t n)
                 {
                     if (!st || st->parameterCount() != n + 1)
                         st = std::make_unique<MariaDbStatement>(
                             s, std::string(columns) + "is_current = 1 AND record_id IN (" +
                                    placeholders(n) + ")");
                     st->rows(1);
                     st->text(0, 0, code);
                     for (std::size_t i = 0; i < n; ++i)
                         st->text(i + 1, 0, *wanted[at + i]);
                     readRows(*st, false);
                 });
}

bool ReplicaStore::insertRowsMariaDb(Poco::Data::Session& s, const std::string& code,
                                     const std::vector<const ReplicaItem*>& rows,
                                     const std::vector<const std::string*>& payloads,
                                     const std::vector<Poco::Int64>& versions,
                                     Poco::Int64 nowMicros)
{
    // One single-row INSERT, prepared once and executed with all rows bound as arrays (one
    // COM_STMT_BULK_EXECUTE a chunk of at most kInsertBytes): the server parses and prepares
    // 13 placeholders instead of thousands, and the values go from the items to the wire
    // without copies.
    MariaDbStatement st(s, std::string(kInsertSql) + kInsertRowSql);
    if (!st.bulkSupported())
        return false;
    for (std::size_t first = 0; first < rows.size();)
    {
        std::size_t n = 0, bytes = 0;
        while (first + n < rows.size() && (n == 0 || bytes < kInsertBytes))
        {
            const std::string* payload = payloads[first + n];
            bytes += 512 + (payload ? payload->size() : 0);
            ++n;
        }
        st.rows(n);
        for (std::size_t r = 0; r < n; ++r)
        {
            const ReplicaItem& item = *rows[first + r];
            st.text(0, r, code);
            st.text(1, r, item.recordId);
            st.integer(2, r, versions[first + r]);
            st.text(3, r, item.atenaNo);
            st.text(4, r, item.itemCode);
            st.text(5, r, item.datasetKey);
            const std::string* payload = payloads[first + r];
            if (payload && !payload->empty()) // empty is NULL, as Poco binds it
                st.blob(6, r, *payload);
            if (!item.nilReason.empty())
                st.text(7, r, item.nilReason);
            if (item.publishFrom)
                st.integer(8, r, *item.publishFrom);
            if (item.publishTo)
                st.integer(9, r, *item.publishTo);
            st.integer(10, r, item.autoAnswer ? 1 : 0);
            st.text(11, r, item.sourceSystem);
            st.integer(12, r, nowMicros);
        }
        st.execute();
        first += n;
    }
    return true;
}

void ReplicaStore::readCurrentSqlite(Poco::Data::Session& s, const std::string& code,
                                     const std::vector<ReplicaItem>& items,
                                     std::unordered_map<std::string, ReplicaItem>& current)
{
    // The columns putBatch compares, read with the sqlite3 API: select() goes through Poco's
    // RecordSet, which converted every value of every row (half of a re-import's CPU).
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(s);
    auto check = [&](int result, const char* what)
    {
        if (result != SQLITE_OK && result != SQLITE_DONE && result != SQLITE_ROW)
            Poco::Data::SQLite::Utility::throwException(db, result & 0xff,
                                                        std::string("replica batch: ") + what);
    };
    if (items.empty())
        return;
    // A first import of a file stores records the table does not hold yet: one index-only
    // probe of the primary key over the span of the batch's ids (BINARY collation orders ids
    // by their bytes, as std::string does) finds that no id of the batch has any row, and the
    // read by id — a prepare of hundreds of placeholders and a lookup per id — is not needed.
    {
        auto [low, high] = std::minmax_element(items.begin(), items.end(),
                                               [](const ReplicaItem& x, const ReplicaItem& y)
                                               { return x.recordId < y.recordId; });
        SqlQuery probe(s, "SELECT 1 FROM replica_items WHERE tenant_code = ? AND record_id "
                          "BETWEEN ? AND ? LIMIT 1");
        probe.bind(code).bind(low->recordId).bind(high->recordId);
        if (probe.execute() == 0)
            return;
    }
    auto text = [](sqlite3_stmt* st, int col)
    {
        const unsigned char* p = sqlite3_column_text(st, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(st, col)))
                 : std::string();
    };
    forEachChunk(items.size(), kReadChunk,
                 [&](std::size_t at, std::size_t n)
                 {
                     const std::string sql =
                         "SELECT record_id, version, atena_no, item_code, dataset_key, payload, "
                         "auto_answer, deleted FROM replica_items WHERE tenant_code = ? AND "
                         "is_current = 1 AND record_id IN (" + placeholders(n) + ")";
                     sqlite3_stmt* raw = nullptr;
                     check(sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw,
                                              nullptr),
                           "prepare");
                     std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(raw,
                                                                              sqlite3_finalize);
                     check(sqlite3_bind_text(raw, 1, code.data(), static_cast<int>(code.size()),
                                             SQLITE_STATIC),
                           "bind");
                     for (std::size_t i = 0; i < n; ++i)
                     {
                         const std::string& id = items[at + i].recordId;
                         check(sqlite3_bind_text(raw, static_cast<int>(i) + 2, id.data(),
                                                 static_cast<int>(id.size()), SQLITE_STATIC),
                               "bind");
                     }
                     int rc;
                     while ((rc = sqlite3_step(raw)) == SQLITE_ROW)
                     {
                         ReplicaItem row;
                         row.recordId = text(raw, 0);
                         row.version = sqlite3_column_int64(raw, 1);
                         row.atenaNo = text(raw, 2);
                         row.itemCode = text(raw, 3);
                         row.datasetKey = text(raw, 4);
                         if (sqlite3_column_type(raw, 5) != SQLITE_NULL)
                         {
                             const void* bytes = sqlite3_column_blob(raw, 5);
                             int size = sqlite3_column_bytes(raw, 5);
                             row.payload = bytes ? std::string(static_cast<const char*>(bytes),
                                                               static_cast<std::size_t>(size))
                                                 : std::string();
                         }
                         row.autoAnswer = sqlite3_column_int64(raw, 6) != 0;
                         row.deleted = sqlite3_column_int64(raw, 7) != 0;
                         row.isCurrent = true;
                         std::string id = row.recordId;
                         current[std::move(id)] = std::move(row);
                     }
                     check(rc, "read");
                 });
}

void ReplicaStore::insertRowsSqlite(Poco::Data::Session& s, const std::string& code,
                                    const std::vector<const ReplicaItem*>& rows,
                                    const std::vector<const std::string*>& payloads,
                                    const std::vector<Poco::Int64>& versions,
                                    Poco::Int64 nowMicros)
{
    // The same INSERT and the same column types Poco's binder gives (text, BLOB, integers,
    // NULLs), but each value bound straight from the item (SQLITE_STATIC: no copy), the
    // statement prepared once and stepped per row.
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(s);
    const std::string sql = std::string(kInsertSql) + kInsertRowSql;
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(raw, sqlite3_finalize);
    auto check = [&](int result, const char* what)
    {
        if (result != SQLITE_OK && result != SQLITE_DONE)
            Poco::Data::SQLite::Utility::throwException(db, result & 0xff,
                                                        std::string("replica batch: ") + what);
    };
    check(rc, "prepare");
    auto text = [&](int col, const std::string& v)
    { check(sqlite3_bind_text(raw, col, v.data(), static_cast<int>(v.size()), SQLITE_STATIC), "bind"); };
    auto optInt = [&](int col, const std::optional<Poco::Int64>& v)
    { check(v ? sqlite3_bind_int64(raw, col, *v) : sqlite3_bind_null(raw, col), "bind"); };
    text(1, code);
    check(sqlite3_bind_int64(raw, 13, nowMicros), "bind");
    for (std::size_t i = 0; i < rows.size(); ++i)
    {
        const ReplicaItem& item = *rows[i];
        text(2, item.recordId);
        check(sqlite3_bind_int64(raw, 3, versions[i]), "bind");
        text(4, item.atenaNo);
        text(5, item.itemCode);
        text(6, item.datasetKey);
        // An empty BLOB binds as NULL, as Poco's binder does.
        if (const std::string* payload = payloads[i])
            check(sqlite3_bind_blob(raw, 7, payload->empty() ? nullptr : payload->data(),
                                    static_cast<int>(payload->size()), SQLITE_STATIC),
                  "bind");
        else
            check(sqlite3_bind_null(raw, 7), "bind");
        if (item.nilReason.empty())
            check(sqlite3_bind_null(raw, 8), "bind");
        else
            text(8, item.nilReason);
        optInt(9, item.publishFrom);
        optInt(10, item.publishTo);
        check(sqlite3_bind_int(raw, 11, item.autoAnswer ? 1 : 0), "bind");
        text(12, item.sourceSystem);
        check(sqlite3_step(raw), "insert");
        check(sqlite3_reset(raw), "insert");
    }
}

void ReplicaStore::InsertColumns::add(const std::string& code, const ReplicaItem& item,
                                      const std::string* payload, Poco::Int64 version,
                                      Poco::Int64 nowMicros)
{
    tenants.push_back(code);
    ids.push_back(item.recordId);
    versions.push_back(version);
    atenas.push_back(item.atenaNo);
    itemCodes.push_back(item.itemCode);
    datasets.push_back(item.datasetKey);
    payloads.emplace_back();
    if (payload)
        payloads.back() = Poco::Data::BLOB(reinterpret_cast<const unsigned char*>(payload->data()),
                                           payload->size());
    nils.emplace_back();
    if (!item.nilReason.empty())
        nils.back() = item.nilReason;
    froms.push_back(nullable(item.publishFrom));
    tos.push_back(nullable(item.publishTo));
    autoAnswers.push_back(item.autoAnswer ? 1 : 0);
    sources.push_back(item.sourceSystem);
    at.push_back(nowMicros);
}

void ReplicaStore::InsertColumns::bindTo(Poco::Data::Statement& st)
{
    st, use(tenants), use(ids), use(versions), use(atenas), use(itemCodes), use(datasets),
        use(payloads), use(nils), use(froms), use(tos), use(autoAnswers), use(sources), use(at);
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
    // Once per provision: a kept statement (SqlQuery), not one prepared per call.
    Poco::Data::Session s = _db.session();
    SqlQuery st(s, itemColumns(_db) +
                       "WHERE tenant_code = ? AND atena_no = ? AND item_code = ? AND is_current = 1 AND "
                       "deleted = 0 ORDER BY dataset_key, record_id");
    st.bind(tenant.str()).bind(atenaNo).bind(itemCode);
    st.execute();
    std::vector<ReplicaItem> out;
    for (std::size_t i = 0; i < st.rowCount(); ++i)
        out.push_back(readItem(s, st.row(i), tenant.str()));
    return out;
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
