// ProvisionStore: bound-parameter SQL over provision_requests with conditional state changes.
#include "adapters/ProvisionStore.h"

#include "adapters/BlobColumn.h"
#include "adapters/SqlQuery.h"

#include <Poco/Data/LOB.h>

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

std::string selectSql(const Database& db)
{
    return "SELECT message_id, permit_id, requester_code, jimu_code, procedure_code, item_code, "
           "fugo,"
           " route, state, outcome, received_at, answered_at, serial, " +
           BlobColumn::select(db, "response") + " FROM provision_requests ";
}

ProvisionRequest readRow(Database& db, Poco::Data::Session& s, const std::string& tenant,
                         const RowReader& r)
{
    ProvisionRequest p;
    p.messageId = r.str(0);
    p.permitId = r.str(1);
    p.requesterCode = r.str(2);
    p.jimuCode = r.str(3);
    p.procedureCode = r.str(4);
    p.itemCode = r.str(5);
    p.fugo = r.str(6);
    p.route = r.str(7);
    p.state = r.str(8);
    p.outcome = r.str(9);
    p.receivedAt = r.i64(10);
    p.answeredAt = r.optI64(11);
    p.serial = r.str(12);
    p.response = BlobColumn::value(db, s, r, 13, "provision_requests", "response", tenant,
                                   {{"message_id", p.messageId}})
                     .value_or(std::string());
    return p;
}

std::optional<ProvisionRequest> selectOne(Database& db, Poco::Data::Session& s,
                                          const std::string& tenant, const std::string& messageId)
{
    SqlQuery st(s, selectSql(db) + "WHERE tenant_code = ? AND message_id = ?");
    st.bind(tenant).bind(messageId);
    st.execute();
    if (st.rowCount() == 0)
        return std::nullopt;
    return readRow(db, s, tenant, st.row(0));
}

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

Status ProvisionStore::validate(const ProvisionRequest& p)
{
    std::string what = "provision request " + p.messageId;
    Status st;
    if (!(st = sized(what, "message id", p.messageId, 1, 64)) ||
        !(st = sized(what, "permit id", p.permitId, 1, 64)) ||
        !(st = sized(what, "requester code (機関コード)", p.requesterCode, 16, 16)) ||
        !(st = sized(what, "事務コード", p.jimuCode, 16, 16)) ||
        !(st = sized(what, "事務手続きコード", p.procedureCode, 16, 16)) ||
        !(st = sized(what, "特定個人情報名コード", p.itemCode, 16, 16)) ||
        !(st = sized(what, "符号", p.fugo, 1, 128)) ||
        !(st = sized(what, "route (経路情報)", p.route, 1, 500)))
        return st;
    return Status::ok();
}

Result<ProvisionAdd> ProvisionStore::add(const TenantCode& tenant, const ProvisionRequest& request,
                                         Poco::Int64 nowMicros)
{
    Status valid = validate(request);
    if (!valid)
        return valid;
    for (int attempt = 1;; ++attempt)
    {
        ProvisionAdd out;
        try
        {
            Status st = _db.write(
                [&](Poco::Data::Session& s)
                {
                    std::string code = tenant.str();
                    auto resend = [&](const ProvisionRequest& existing)
                    {
                        if (existing.permitId != request.permitId)
                            return Status::exists("provision request " + request.messageId +
                                                  ": message ID already received with permit " +
                                                  existing.permitId + ", not " + request.permitId);
                        out.row = existing;
                        out.duplicate = true;
                        return Status::ok();
                    };
                    std::optional<ProvisionRequest> existing =
                        selectOne(_db, s, code, request.messageId);
                    if (existing)
                        return resend(*existing);
                    const std::string& permit = request.permitId;
                    std::string usedBy;
                    SqlQuery used(s, "SELECT message_id FROM provision_requests WHERE tenant_code = ? AND "
                                     "permit_id = ?");
                    used.bind(code).bind(permit).execute();
                    if (used.rowCount() > 0)
                        usedBy = used.row(0).str(0);
                    // READ COMMITTED: another node may have committed this very message just now.
                    if (usedBy == request.messageId &&
                        (existing = selectOne(_db, s, code, request.messageId)))
                        return resend(*existing);
                    if (!usedBy.empty())
                        return Status::exists("provision request " + request.messageId +
                                              ": permit " + permit + " already used by message " +
                                              usedBy + " (replay refused)");
                    ProvisionRequest row = request;
                    row.state = "received";
                    row.outcome.clear();
                    row.response.clear();
                    row.receivedAt = nowMicros;
                    row.answeredAt.reset();
                    SqlQuery ins(s, "INSERT INTO provision_requests (tenant_code, message_id, permit_id, "
                                    "requester_code, jimu_code,"
                                    " procedure_code, item_code, fugo, route, state, received_at, serial)"
                                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    ins.bind(code).bind(row.messageId).bind(row.permitId).bind(row.requesterCode);
                    ins.bind(row.jimuCode).bind(row.procedureCode).bind(row.itemCode).bind(row.fugo);
                    ins.bind(row.route).bind(row.state).bind(row.receivedAt).bind(row.serial).execute();
                    out.row = row;
                    return Status::ok();
                });
            if (!st)
                return st;
            return out;
        }
        catch (const std::exception& e)
        {
            // Another node stored the same message or permit first: the next attempt sees its row.
            if (!_db.isDuplicateKey(e) || attempt >= 3)
                throw;
        }
    }
}

std::optional<ProvisionRequest> ProvisionStore::get(const TenantCode& tenant,
                                                    const std::string& messageId)
{
    Poco::Data::Session s = _db.session();
    return selectOne(_db, s, tenant.str(), messageId);
}

Status ProvisionStore::classify(const TenantCode& tenant, const std::string& messageId,
                                const std::string& expected)
{
    std::optional<ProvisionRequest> row = get(tenant, messageId);
    if (!row)
        return Status::notFound("provision request " + messageId + ": not found for tenant " +
                                tenant.str());
    return Status::precondition("provision request " + messageId + ": state is " + row->state +
                                ", expected " + expected);
}

Status ProvisionStore::markHeld(const TenantCode& tenant, const std::string& messageId,
                                Poco::Int64 nowMicros)
{
    (void)nowMicros; // provision_requests keeps no per-state timestamp; the hold row has created_at
    std::size_t changed = 0;
    Status st = _db.write(
        [&](Poco::Data::Session& s)
        {
            SqlQuery up(s, "UPDATE provision_requests SET state = ? WHERE tenant_code = ? AND message_id = "
                           "? AND state = ?");
            up.bind(std::string("held")).bind(tenant.str()).bind(messageId).bind(std::string("received"));
            changed = up.execute();
            return Status::ok();
        });
    if (!st)
        return st;
    return changed == 1 ? Status::ok() : classify(tenant, messageId, "received");
}

Status ProvisionStore::setAnswered(const TenantCode& tenant, const std::string& messageId,
                                   const std::string& outcome, const std::string& responseBytes,
                                   Poco::Int64 nowMicros)
{
    if (outcome.empty() || outcome.size() > 32)
        return Status::invalid("provision request " + messageId +
                               ": outcome must be 1 to 32 characters");
    std::size_t changed = 0;
    Status st = _db.write(
        [&](Poco::Data::Session& s)
        {
            SqlQuery up(s, "UPDATE provision_requests SET state = ?, outcome = ?, response = ?, answered_at "
                           "= ?"
                           " WHERE tenant_code = ? AND message_id = ? AND state IN (?, ?)");
            up.bind(std::string("answered")).bind(outcome).bindBlob(responseBytes).bind(nowMicros);
            up.bind(tenant.str()).bind(messageId).bind(std::string("received")).bind(std::string("held"));
            changed = up.execute();
            return Status::ok();
        });
    if (!st)
        return st;
    return changed == 1 ? Status::ok() : classify(tenant, messageId, "received or held");
}

std::vector<ProvisionRequest> ProvisionStore::listByState(const TenantCode& tenant,
                                                          const std::string& state, int limit)
{
    Poco::Data::Session s = _db.session();
    const std::string code = tenant.str();
    SqlQuery st(s, selectSql(_db) + "WHERE tenant_code = ? AND state = ? ORDER BY received_at, message_id LIMIT ?");
    st.bind(code).bind(state).bind(static_cast<Poco::Int64>(limit));
    st.execute();
    std::vector<ProvisionRequest> out;
    for (std::size_t i = 0; i < st.rowCount(); ++i)
        out.push_back(readRow(_db, s, code, st.row(i)));
    return out;
}

} // namespace chukan
