// OutboxStore: bound-parameter SQL over the outbox table; claims are conditional updates.
#include "adapters/OutboxStore.h"

#include "adapters/BlobColumn.h"
#include "adapters/RowReader.h"
#include "adapters/SqlQuery.h"

#include <Poco/Data/LOB.h>

using namespace Poco::Data::Keywords;

namespace chukan {

Status OutboxStore::add(const TenantCode& tenant, const OutboxMessage& m, Poco::Int64 nowMicros)
{
    if (m.messageId.empty() || m.messageId.size() > 64)
        return Status::invalid("outbox message: message id must be 1 to 64 characters");
    if (m.kind.empty() || m.kind.size() > 32)
        return Status::invalid("outbox message " + m.messageId + ": kind must be 1 to 32 characters");
    if (m.destination.empty() || m.destination.size() > 64)
        return Status::invalid("outbox message " + m.messageId + ": destination must be 1 to 64 characters");
    return _db.write([&](Poco::Data::Session& s) {
        SqlQuery count(s, "SELECT COUNT(*) FROM outbox WHERE tenant_code = ? AND message_id = ?");
        count.bind(tenant.str()).bind(m.messageId).execute();
        if (count.row(0).i64(0) > 0)
            return Status::ok();
        SqlQuery ins(s, "INSERT INTO outbox (tenant_code, message_id, kind, destination, body, state, attempts,"
                        " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ins.bind(tenant.str()).bind(m.messageId).bind(m.kind).bind(m.destination).bindBlob(m.body);
        ins.bind(std::string("pending")).bind(static_cast<Poco::Int64>(0)).bind(nowMicros).bind(nowMicros);
        ins.execute();
        return Status::ok();
    });
}

std::vector<OutboxMessage> OutboxStore::select(const std::string& where, const std::string& tenant,
                                               const std::vector<std::string>& args, Poco::Int64 number, int limit,
                                               bool withBody)
{
    Poco::Data::Session s = _db.session();
    SqlQuery st(s, "SELECT message_id, kind, destination, state, attempts, next_attempt_at, last_error, created_at, sent_at" +
                       (withBody ? ", " + BlobColumn::select(_db, "body") : std::string()) +
                       " FROM outbox WHERE tenant_code = ? " + where);
    st.bind(tenant);
    for (const std::string& a : args)
        st.bind(a);
    if (number >= 0)
        st.bind(number);
    if (limit > 0)
        st.bind(static_cast<Poco::Int64>(limit));
    st.execute();
    std::vector<OutboxMessage> out;
    for (std::size_t i = 0; i < st.rowCount(); ++i)
    {
        RowReader r = st.row(i);
        OutboxMessage m;
        m.messageId = r.str(0);
        m.kind = r.str(1);
        m.destination = r.str(2);
        m.state = r.str(3);
        m.attempts = static_cast<int>(r.i64(4));
        m.nextAttemptAt = r.i64(5);
        m.lastError = r.str(6);
        m.createdAt = r.i64(7);
        m.sentAt = r.optI64(8);
        if (withBody)
            m.body = BlobColumn::value(_db, s, r, 9, "outbox", "body", tenant, {{"message_id", m.messageId}})
                         .value_or(std::string());
        out.push_back(std::move(m));
    }
    return out;
}

std::optional<OutboxMessage> OutboxStore::get(const TenantCode& tenant, const std::string& messageId)
{
    std::vector<OutboxMessage> rows = select("AND message_id = ?", tenant.str(), {messageId}, -1, 0);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<OutboxMessage> OutboxStore::due(const TenantCode& tenant, Poco::Int64 nowMicros, int limit)
{
    return select("AND state = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, message_id LIMIT ?",
                  tenant.str(), {"pending"}, nowMicros, limit);
}

std::vector<OutboxMessage> OutboxStore::dueWithoutBody(const TenantCode& tenant, Poco::Int64 nowMicros, int limit)
{
    return select("AND state = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, message_id LIMIT ?",
                  tenant.str(), {"pending"}, nowMicros, limit, false);
}

bool OutboxStore::claim(const TenantCode& tenant, const OutboxMessage& message, Poco::Int64 leaseUntil)
{
    bool claimed = false;
    Status st = _db.write([&](Poco::Data::Session& s) {
        SqlQuery up(s, "UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE tenant_code = ? AND message_id = ?"
                       " AND state = ? AND attempts = ?");
        up.bind(static_cast<Poco::Int64>(message.attempts) + 1).bind(leaseUntil).bind(tenant.str());
        up.bind(message.messageId).bind(std::string("pending")).bind(static_cast<Poco::Int64>(message.attempts));
        claimed = up.execute() == 1;
        return Status::ok();
    });
    return st.isOk() && claimed;
}

Status OutboxStore::update(const TenantCode& tenant, const std::string& messageId, const std::string& setSql,
                           const std::string& text, Poco::Int64 number)
{
    return _db.write([&](Poco::Data::Session& s) {
        SqlQuery up(s, "UPDATE outbox SET " + setSql + " WHERE tenant_code = ? AND message_id = ?");
        up.bind(text.substr(0, 500)).bind(number).bind(tenant.str()).bind(messageId);
        if (up.execute() == 0)
            return Status::notFound("outbox message " + messageId + " does not exist");
        return Status::ok();
    });
}

Status OutboxStore::markSent(const TenantCode& tenant, const std::string& messageId, Poco::Int64 nowMicros)
{
    return update(tenant, messageId, "state = ?, sent_at = ?", "sent", nowMicros);
}

Status OutboxStore::markRetry(const TenantCode& tenant, const std::string& messageId, Poco::Int64 nextAttemptAt,
                              const std::string& error)
{
    return update(tenant, messageId, "last_error = ?, next_attempt_at = ?", error, nextAttemptAt);
}

Status OutboxStore::markFailed(const TenantCode& tenant, const std::string& messageId, const std::string& error)
{
    return _db.write([&](Poco::Data::Session& s) {
        SqlQuery up(s, "UPDATE outbox SET state = ?, last_error = ? WHERE tenant_code = ? AND message_id = ?");
        up.bind(std::string("failed")).bind(error.substr(0, 500)).bind(tenant.str()).bind(messageId);
        if (up.execute() == 0)
            return Status::notFound("outbox message " + messageId + " does not exist");
        return Status::ok();
    });
}

Poco::Int64 OutboxStore::countByState(const TenantCode& tenant, const std::string& state)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str(), st = state;
    Poco::Int64 n = 0;
    s << "SELECT COUNT(*) FROM outbox WHERE tenant_code = ? AND state = ?", use(code), use(st), into(n), now;
    return n;
}

} // namespace chukan
