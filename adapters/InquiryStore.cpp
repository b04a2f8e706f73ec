// InquiryStore: bound-parameter SQL over inquiries; state changes are single conditional UPDATEs.
#include "adapters/InquiryStore.h"

#include "adapters/BlobColumn.h"
#include "adapters/SqlQuery.h"

#include <Poco/Data/LOB.h>

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

Status sized(const std::string& what, const std::string& field, const std::string& v,
             std::size_t min, std::size_t max)
{
    if (v.size() < min || v.size() > max)
        return Status::invalid(what + ": " + field + " must be " +
                               (min == max ? std::to_string(min)
                                           : std::to_string(min) + " to " + std::to_string(max)) +
                               " characters, got " + std::to_string(v.size()));
    return Status::ok();
}

} // namespace

bool InquiryStore::isTerminal(const std::string& state)
{
    return state == "completed" || state == "error" || state == "aborted" || state == "expired";
}

bool InquiryStore::isState(const std::string& state)
{
    return state == "queued" || state == "sent" || isTerminal(state);
}

Status InquiryStore::add(const TenantCode& tenant, const Inquiry& q, Poco::Int64 nowMicros)
{
    std::string what = "inquiry " + q.serial;
    Status st;
    if (!(st = sized(what, "serial (処理通番)", q.serial, 1, 32)) ||
        !(st = sized(what, "system id", q.systemId, 1, 64)) ||
        !(st = sized(what, "batch id", q.batchId, 0, 64)) ||
        !(st = sized(what, "atena number", q.atenaNo, 15, 15)) ||
        !(st = sized(what, "事務コード", q.jimuCode, 16, 16)) ||
        !(st = sized(what, "事務手続きコード", q.procedureCode, 16, 16)) ||
        !(st = sized(what, "特定個人情報名コード", q.itemCode, 16, 16)) ||
        !(st = sized(what, "provider code (機関コード)", q.providerCode, 16, 16)))
        return st;
    if (q.atenaNo.find_first_not_of("0123456789") != std::string::npos)
        return Status::invalid(what + ": atena number '" + q.atenaNo + "' must be digits only");
    for (int attempt = 1;; ++attempt)
    {
        try
        {
            return _db.write(
                [&](Poco::Data::Session& s)
                {
                    // The primary key refuses a repeated serial: no read before the insert (a
                    // failed INSERT undoes only itself, and the write then rolls back).
                    try
                    {
                        SqlQuery ins(s, "INSERT INTO inquiries (tenant_code, serial, system_id, batch_id, "
                                        "atena_no, jimu_code,"
                                        " procedure_code, item_code, provider_code, message_id, state, "
                                        "requested_at, updated_at)"
                                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                        ins.bind(tenant.str()).bind(q.serial).bind(q.systemId).bindOrNull(q.batchId);
                        ins.bind(q.atenaNo).bind(q.jimuCode).bind(q.procedureCode).bind(q.itemCode);
                        ins.bind(q.providerCode).bindOrNull(q.messageId).bind(std::string("queued"));
                        ins.bind(nowMicros).bind(nowMicros).execute();
                    }
                    catch (const std::exception& e)
                    {
                        if (!_db.isDuplicateKey(e))
                            throw;
                        return Status::exists("inquiry " + q.serial +
                                              ": serial (処理通番) already exists");
                    }
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

std::vector<Inquiry> InquiryStore::select(const std::string& where,
                                          const std::function<void(SqlQuery&)>& binds,
                                          const std::string& tenant)
{
    Poco::Data::Session s = _db.session();
    SqlQuery st(s, "SELECT serial, system_id, batch_id, atena_no, jimu_code, procedure_code, item_code, "
                   "provider_code,"
                   " message_id, state, error_code, error_message, requested_at, updated_at, "
                   "completed_at, " +
                       BlobColumn::select(_db, "result") + " FROM inquiries " + where);
    binds(st);
    st.execute();
    std::vector<Inquiry> out;
    for (std::size_t i = 0; i < st.rowCount(); ++i)
    {
        RowReader r = st.row(i);
        Inquiry q;
        q.serial = r.str(0);
        q.systemId = r.str(1);
        q.batchId = r.str(2);
        q.atenaNo = r.str(3);
        q.jimuCode = r.str(4);
        q.procedureCode = r.str(5);
        q.itemCode = r.str(6);
        q.providerCode = r.str(7);
        q.messageId = r.str(8);
        q.state = r.str(9);
        q.errorCode = r.str(10);
        q.errorMessage = r.str(11);
        q.requestedAt = r.i64(12);
        q.updatedAt = r.i64(13);
        q.completedAt = r.optI64(14);
        q.result =
            BlobColumn::value(_db, s, r, 15, "inquiries", "result", tenant, {{"serial", q.serial}});
        out.push_back(std::move(q));
    }
    return out;
}

std::optional<Inquiry> InquiryStore::get(const TenantCode& tenant, const std::string& serial)
{
    std::vector<Inquiry> rows = select(
        "WHERE tenant_code = ? AND serial = ?", [&](SqlQuery& q) { q.bind(tenant.str()).bind(serial); },
        tenant.str());
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

Status InquiryStore::classify(const TenantCode& tenant, const std::string& serial,
                              const std::string& expected)
{
    std::optional<Inquiry> row = get(tenant, serial);
    if (!row)
        return Status::notFound("inquiry " + serial + ": not found for tenant " + tenant.str());
    return Status::precondition("inquiry " + serial + ": state is " + row->state + ", expected " +
                                expected);
}

Status InquiryStore::transition(const TenantCode& tenant, const std::string& serial,
                                const std::string& fromState, const std::string& toState,
                                Poco::Int64 nowMicros, const std::string& errorCode,
                                const std::string& errorMessage, const std::string& messageId)
{
    if (!isState(toState) || !isState(fromState))
        return Status::invalid("inquiry " + serial + ": unknown state '" +
                               (isState(toState) ? fromState : toState) + "'");
    if (errorCode.size() > 32 || errorMessage.size() > 1000 || messageId.size() > 64)
        return Status::invalid("inquiry " + serial +
                               ": error code, error message or message id too long");
    std::size_t changed = 0;
    Status st = _db.write(
        [&](Poco::Data::Session& s)
        {
            SqlQuery up(s, "UPDATE inquiries SET state = ?, updated_at = ?, error_code = ?, error_message = "
                           "?,"
                           " message_id = COALESCE(?, message_id), completed_at = COALESCE(?, completed_at)"
                           " WHERE tenant_code = ? AND serial = ? AND state = ?");
            up.bind(toState).bind(nowMicros).bindOrNull(errorCode).bindOrNull(errorMessage);
            up.bindOrNull(messageId);
            up.bind(isTerminal(toState) ? std::optional<Poco::Int64>(nowMicros) : std::nullopt);
            up.bind(tenant.str()).bind(serial).bind(fromState);
            changed = up.execute();
            return Status::ok();
        });
    if (!st)
        return st;
    return changed == 1 ? Status::ok() : classify(tenant, serial, fromState);
}

Status InquiryStore::setResult(const TenantCode& tenant, const std::string& serial,
                               const std::string& bytes, Poco::Int64 nowMicros)
{
    std::size_t changed = 0;
    Status st = _db.write(
        [&](Poco::Data::Session& s)
        {
            // 'queued' too: the answer can arrive before the sender marked the inquiry sent
            // (the network answered faster than the local UPDATE); the answer proves it left.
            SqlQuery up(s, "UPDATE inquiries SET state = ?, result = ?, updated_at = ?, completed_at = ?"
                           " WHERE tenant_code = ? AND serial = ? AND state IN (?, ?)");
            up.bind(std::string("completed")).bindBlob(bytes).bind(nowMicros).bind(nowMicros);
            up.bind(tenant.str()).bind(serial).bind(std::string("queued")).bind(std::string("sent"));
            changed = up.execute();
            return Status::ok();
        });
    if (!st)
        return st;
    return changed == 1 ? Status::ok() : classify(tenant, serial, "queued or sent");
}

std::vector<Inquiry> InquiryStore::listByBatch(const TenantCode& tenant, const std::string& batchId)
{
    return select(
        "WHERE tenant_code = ? AND batch_id = ? ORDER BY serial",
        [&](SqlQuery& q) { q.bind(tenant.str()).bind(batchId); }, tenant.str());
}

std::vector<Inquiry> InquiryStore::listByBatchAfter(const TenantCode& tenant,
                                                    const std::string& batchId,
                                                    const std::string& afterSerial, int limit)
{
    return select(
        "WHERE tenant_code = ? AND batch_id = ? AND serial > ? ORDER BY serial LIMIT ?",
        [&](SqlQuery& q)
        { q.bind(tenant.str()).bind(batchId).bind(afterSerial).bind(static_cast<Poco::Int64>(limit)); },
        tenant.str());
}

std::vector<Inquiry> InquiryStore::listByState(const TenantCode& tenant, const std::string& state,
                                               int limit)
{
    return select(
        "WHERE tenant_code = ? AND state = ? ORDER BY updated_at, serial LIMIT ?",
        [&](SqlQuery& q) { q.bind(tenant.str()).bind(state).bind(static_cast<Poco::Int64>(limit)); },
        tenant.str());
}

std::vector<std::string> InquiryStore::serialsByState(const TenantCode& tenant,
                                                     const std::string& state, int limit)
{
    Poco::Data::Session s = _db.session();
    SqlQuery q(s, "SELECT serial FROM inquiries WHERE tenant_code = ? AND state = ?"
                  " ORDER BY updated_at, serial LIMIT ?");
    q.bind(tenant.str()).bind(state).bind(static_cast<Poco::Int64>(limit));
    q.execute();
    std::vector<std::string> serials;
    serials.reserve(q.rowCount());
    for (std::size_t i = 0; i < q.rowCount(); ++i)
        serials.push_back(q.row(i).str(0));
    return serials;
}

Poco::Int64 InquiryStore::purgeCompletedBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros)
{
    Poco::Int64 deleted = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), c = "completed", e = "error", a = "aborted";
            Poco::Int64 cutoff = cutoffMicros;
            Poco::Data::Statement del(s);
            del << "DELETE FROM inquiries WHERE tenant_code = ? AND state IN (?, ?, ?) AND "
                   "completed_at < ?",
                use(code), use(c), use(e), use(a), use(cutoff);
            deleted = static_cast<Poco::Int64>(del.execute());
            return Status::ok();
        });
    return deleted;
}

Poco::Int64 InquiryStore::expireResultsBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros,
                                              int retentionDays, Poco::Int64 nowMicros)
{
    Poco::Int64 changed = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), c = "completed", e = "error", a = "aborted",
                        to = "expired", errorCode = "EXPIRED",
                        message = "照会結果は保存期間（" + std::to_string(retentionDays) +
                                  "日）を過ぎたため削除されました。";
            Poco::Int64 cutoff = cutoffMicros, at = nowMicros;
            Poco::Data::Statement up(s);
            up << "UPDATE inquiries SET state = ?, result = NULL, error_code = ?, error_message = "
                  "?,"
                  " updated_at = ? WHERE tenant_code = ? AND state IN (?, ?, ?) AND completed_at < "
                  "?",
                use(to), use(errorCode), use(message), use(at), use(code), use(c), use(e), use(a),
                use(cutoff);
            changed = static_cast<Poco::Int64>(up.execute());
            return Status::ok();
        });
    return changed;
}

Poco::Int64 InquiryStore::deleteExpiredBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros)
{
    Poco::Int64 deleted = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), x = "expired";
            Poco::Int64 cutoff = cutoffMicros;
            Poco::Data::Statement del(s);
            del << "DELETE FROM inquiries WHERE tenant_code = ? AND state = ? AND completed_at < ?",
                use(code), use(x), use(cutoff);
            deleted = static_cast<Poco::Int64>(del.execute());
            return Status::ok();
        });
    return deleted;
}

} // namespace chukan
