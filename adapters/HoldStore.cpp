// HoldStore: bound-parameter SQL over holds; every decision is one conditional UPDATE on state =
// pending.
#include "adapters/HoldStore.h"

#include "adapters/RowReader.h"

#include <limits>

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

const char* kSelect =
    "SELECT hold_id, message_id, reason, state, deadline, created_at, first_reviewer, decided_by,"
    " decided_at, decision_reason FROM holds ";

Hold readRow(Poco::Data::RecordSet& rs, std::size_t i)
{
    RowReader r(rs, i);
    Hold h;
    h.holdId = r.str(0);
    h.messageId = r.str(1);
    h.reason = r.str(2);
    h.state = r.str(3);
    h.deadline = r.i64(4);
    h.createdAt = r.i64(5);
    h.firstReviewer = r.str(6);
    h.decidedBy = r.str(7);
    h.decidedAt = r.optI64(8);
    h.decisionReason = r.str(9);
    return h;
}

} // namespace

Status HoldStore::add(const TenantCode& tenant, const Hold& hold, Poco::Int64 nowMicros)
{
    std::string what = "hold " + hold.holdId;
    if (hold.holdId.empty() || hold.holdId.size() > 64)
        return Status::invalid(what + ": hold id must be 1 to 64 characters");
    if (hold.messageId.empty() || hold.messageId.size() > 64)
        return Status::invalid(what + ": message id must be 1 to 64 characters");
    if (hold.reason.empty() || hold.reason.size() > 200)
        return Status::invalid(what + ": reason must be 1 to 200 bytes");
    if (hold.deadline <= nowMicros)
        return Status::invalid(what + ": deadline must be in the future");
    for (int attempt = 1;; ++attempt)
    {
        try
        {
            return _db.write(
                [&](Poco::Data::Session& s)
                {
                    std::string code = tenant.str(), id = hold.holdId, msg = hold.messageId,
                                reason = hold.reason, state = "pending";
                    Poco::Int64 deadline = hold.deadline, at = nowMicros;
                    int n = 0;
                    s << "SELECT COUNT(*) FROM holds WHERE tenant_code = ? AND hold_id = ?",
                        use(code), use(id), into(n), now;
                    if (n > 0)
                        return Status::exists(what + ": already exists");
                    s << "INSERT INTO holds (tenant_code, hold_id, message_id, reason, state, "
                         "deadline, created_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        use(code), use(id), use(msg), use(reason), use(state), use(deadline),
                        use(at), now;
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

std::optional<Hold> HoldStore::get(const TenantCode& tenant, const std::string& holdId)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str(), id = holdId;
    Poco::Data::Statement st(s);
    st << kSelect << "WHERE tenant_code = ? AND hold_id = ?", use(code), use(id);
    st.execute();
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() == 0)
        return std::nullopt;
    return readRow(rs, 0);
}

std::vector<Hold> HoldStore::listPending(const TenantCode& tenant, int limit)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str(), state = "pending";
    Poco::Int64 lim = limit;
    Poco::Data::Statement st(s);
    st << kSelect << "WHERE tenant_code = ? AND state = ? ORDER BY deadline, hold_id LIMIT ?",
        use(code), use(state), use(lim);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<Hold> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
        out.push_back(readRow(rs, i));
    return out;
}

Status HoldStore::explain(const TenantCode& tenant, const std::string& holdId,
                          Poco::Int64 nowMicros)
{
    std::optional<Hold> h = get(tenant, holdId);
    if (!h)
        return Status::notFound("hold " + holdId + ": not found for tenant " + tenant.str());
    if (h->state != "pending")
        return Status::precondition("hold " + holdId + ": already " + h->state + " by " +
                                    h->decidedBy);
    if (h->deadline < nowMicros)
        return Status::precondition("hold " + holdId + ": deadline has passed; it can only expire");
    return Status::precondition("hold " + holdId + ": changed concurrently; reload and retry");
}

Status HoldStore::recordFirstApproval(const TenantCode& tenant, const std::string& holdId,
                                      const std::string& reviewer, Poco::Int64 nowMicros)
{
    if (reviewer.empty() || reviewer.size() > 64)
        return Status::invalid("hold " + holdId + ": reviewer must be 1 to 64 characters");
    std::size_t changed = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = holdId, who = reviewer, pending = "pending";
            Poco::Int64 at = nowMicros;
            Poco::Data::Statement up(s);
            up << "UPDATE holds SET first_reviewer = ? WHERE tenant_code = ? AND hold_id = ? AND "
                  "state = ?"
                  " AND first_reviewer IS NULL AND deadline >= ?",
                use(who), use(code), use(id), use(pending), use(at);
            changed = up.execute();
            return Status::ok();
        });
    if (changed == 1)
        return Status::ok();
    std::optional<Hold> h = get(tenant, holdId);
    if (h && h->state == "pending" && h->deadline >= nowMicros && !h->firstReviewer.empty())
        return h->firstReviewer == reviewer
                   ? Status::ok()
                   : Status::precondition("hold " + holdId + ": first approval already given by " +
                                          h->firstReviewer);
    return explain(tenant, holdId, nowMicros);
}

Status HoldStore::decide(const TenantCode& tenant, const std::string& holdId,
                         const std::string& state, const std::string& reviewer,
                         const std::string& reason, Poco::Int64 nowMicros, bool fourEyes)
{
    if (state != "approved" && state != "rejected" && state != "expired")
        return Status::invalid("hold " + holdId + ": decision '" + state +
                               "' must be approved, rejected or expired");
    if (reviewer.empty() || reviewer.size() > 64)
        return Status::invalid("hold " + holdId + ": reviewer must be 1 to 64 characters");
    if (reason.size() > 200)
        return Status::invalid("hold " + holdId + ": decision reason must be at most 200 bytes");
    bool approving = state == "approved";
    bool needSecond = approving && fourEyes;
    std::size_t changed = 0;
    _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = holdId, to = state, who = reviewer, why = reason,
                        pending = "pending";
            Poco::Int64 at = nowMicros;
            // Approval only before the deadline; with four eyes only after someone else's first
            // approval.
            Poco::Int64 notBefore = approving ? nowMicros : std::numeric_limits<Poco::Int64>::min();
            Poco::Data::Statement up(s);
            up << std::string(
                      "UPDATE holds SET state = ?, decided_by = ?, decided_at = ?, decision_reason "
                      "= ?"
                      " WHERE tenant_code = ? AND hold_id = ? AND state = ? AND deadline >= ?") +
                      (needSecond ? " AND first_reviewer IS NOT NULL AND first_reviewer <> ?" : ""),
                use(to), use(who), use(at), use(why), use(code), use(id), use(pending),
                use(notBefore);
            if (needSecond)
                up, use(who);
            changed = up.execute();
            return Status::ok();
        });
    if (changed == 1)
        return Status::ok();
    std::optional<Hold> h = get(tenant, holdId);
    if (needSecond && h && h->state == "pending" && h->deadline >= nowMicros)
    {
        if (h->firstReviewer.empty())
            return Status::precondition("hold " + holdId +
                                        ": four-eyes approval needs a first approval first");
        if (h->firstReviewer == reviewer)
            return Status::denied("hold " + holdId + ": reviewer " + reviewer +
                                  " gave the first approval and cannot give the second");
    }
    return explain(tenant, holdId, nowMicros);
}

std::vector<std::string> HoldStore::expireDue(const TenantCode& tenant, Poco::Int64 nowMicros)
{
    std::vector<std::string> due, expired;
    {
        Poco::Data::Session s = _db.session();
        std::string code = tenant.str(), pending = "pending";
        Poco::Int64 at = nowMicros;
        s << "SELECT hold_id FROM holds WHERE tenant_code = ? AND state = ? AND deadline < ? ORDER "
             "BY deadline, hold_id",
            use(code), use(pending), use(at), into(due), now;
    }
    for (const std::string& holdId : due)
    {
        // One conditional UPDATE per hold: a hold decided meanwhile, or expired by another node, is
        // skipped.
        std::size_t changed = 0;
        _db.write(
            [&](Poco::Data::Session& s)
            {
                std::string code = tenant.str(), id = holdId, to = "expired", who = "system",
                            why = "deadline passed", pending = "pending";
                Poco::Int64 at = nowMicros;
                Poco::Data::Statement up(s);
                up << "UPDATE holds SET state = ?, decided_by = ?, decided_at = ?, decision_reason "
                      "= ?"
                      " WHERE tenant_code = ? AND hold_id = ? AND state = ? AND deadline < ?",
                    use(to), use(who), use(at), use(why), use(code), use(id), use(pending), use(at);
                changed = up.execute();
                return Status::ok();
            });
        if (changed == 1)
            expired.push_back(holdId);
    }
    return expired;
}

} // namespace chukan
