// JobStore: bound-parameter SQL over batch_jobs; leases are taken with one conditional UPDATE.
#include "adapters/JobStore.h"

#include "adapters/RowReader.h"

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

const char* kSelect =
    "SELECT job_id, kind, state, total, done, failed, error, owner_node, lease_until, created_at,"
    " updated_at FROM batch_jobs ";

BatchJob readRow(Poco::Data::RecordSet& rs, std::size_t i)
{
    RowReader r(rs, i);
    BatchJob j;
    j.jobId = r.str(0);
    j.kind = r.str(1);
    j.state = r.str(2);
    j.total = r.i64(3);
    j.done = r.i64(4);
    j.failed = r.i64(5);
    j.error = r.str(6);
    j.ownerNode = r.str(7);
    j.leaseUntil = r.optI64(8);
    j.createdAt = r.i64(9);
    j.updatedAt = r.i64(10);
    return j;
}

std::size_t update(Database& db, const std::function<std::size_t(Poco::Data::Session&)>& fn)
{
    std::size_t changed = 0;
    db.write(
        [&](Poco::Data::Session& s)
        {
            changed = fn(s);
            return Status::ok();
        });
    return changed;
}

} // namespace

Status JobStore::create(const TenantCode& tenant, const std::string& jobId, const std::string& kind,
                        Poco::Int64 total, Poco::Int64 nowMicros)
{
    if (jobId.empty() || jobId.size() > 64)
        return Status::invalid("job " + jobId + ": job id must be 1 to 64 characters");
    if (kind.empty() || kind.size() > 32)
        return Status::invalid("job " + jobId + ": kind must be 1 to 32 characters");
    if (total < 0)
        return Status::invalid("job " + jobId + ": total must not be negative");
    for (int attempt = 1;; ++attempt)
    {
        try
        {
            return _db.write(
                [&](Poco::Data::Session& s)
                {
                    std::string code = tenant.str(), id = jobId, k = kind, state = "queued";
                    Poco::Int64 t = total, zero = 0, at = nowMicros;
                    int n = 0;
                    s << "SELECT COUNT(*) FROM batch_jobs WHERE tenant_code = ? AND job_id = ?",
                        use(code), use(id), into(n), now;
                    if (n > 0)
                        return Status::exists("job " + jobId + ": already exists");
                    s << "INSERT INTO batch_jobs (tenant_code, job_id, kind, state, total, done, "
                         "failed, created_at,"
                         " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        use(code), use(id), use(k), use(state), use(t), use(zero), use(zero),
                        use(at), use(at), now;
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

std::optional<BatchJob> JobStore::get(const TenantCode& tenant, const std::string& jobId)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str(), id = jobId;
    Poco::Data::Statement st(s);
    st << kSelect << "WHERE tenant_code = ? AND job_id = ?", use(code), use(id);
    st.execute();
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() == 0)
        return std::nullopt;
    return readRow(rs, 0);
}

Status JobStore::explain(const TenantCode& tenant, const std::string& jobId,
                         const std::string& node, Poco::Int64 nowMicros)
{
    std::optional<BatchJob> j = get(tenant, jobId);
    if (!j)
        return Status::notFound("job " + jobId + ": not found for tenant " + tenant.str());
    if (j->state != "queued" && j->state != "running")
        return Status::precondition("job " + jobId + ": already " + j->state);
    if (!j->ownerNode.empty() && j->ownerNode != node && j->leaseUntil.value_or(0) >= nowMicros)
        return Status::precondition("job " + jobId + ": leased by node " + j->ownerNode +
                                    " until " + std::to_string(j->leaseUntil.value_or(0)));
    return Status::precondition("job " + jobId + ": node " + node + " does not hold the lease");
}

Status JobStore::claim(const TenantCode& tenant, const std::string& jobId, const std::string& node,
                       Poco::Int64 leaseUntilMicros, Poco::Int64 nowMicros)
{
    if (node.empty() || node.size() > 64)
        return Status::invalid("job " + jobId + ": node must be 1 to 64 characters");
    if (leaseUntilMicros <= nowMicros)
        return Status::invalid("job " + jobId + ": lease must end in the future");
    std::size_t changed = update(
        _db,
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = jobId, who = node, running = "running",
                        queued = "queued";
            Poco::Int64 until = leaseUntilMicros, at = nowMicros;
            Poco::Data::Statement up(s);
            up << "UPDATE batch_jobs SET owner_node = ?, lease_until = ?, state = ?, updated_at = ?"
                  " WHERE tenant_code = ? AND job_id = ? AND state IN (?, ?)"
                  " AND (owner_node IS NULL OR owner_node = ? OR lease_until < ?)",
                use(who), use(until), use(running), use(at), use(code), use(id), use(queued),
                use(running), use(who), use(at);
            return up.execute();
        });
    if (changed == 1)
        return Status::ok();
    // MariaDB counts changed rows, not matched ones: a renewal that writes the values already
    // there (same lease end, same instant) reports 0 although this node holds the lease.
    std::optional<BatchJob> j = get(tenant, jobId);
    if (j && j->state == "running" && j->ownerNode == node &&
        j->leaseUntil.value_or(0) == leaseUntilMicros && j->updatedAt == nowMicros)
        return Status::ok();
    return explain(tenant, jobId, node, nowMicros);
}

Status JobStore::updateProgress(const TenantCode& tenant, const std::string& jobId,
                                const std::string& node, Poco::Int64 done, Poco::Int64 failed,
                                Poco::Int64 nowMicros)
{
    if (done < 0 || failed < 0)
        return Status::invalid("job " + jobId + ": progress counters must not be negative");
    std::size_t changed =
        update(_db,
               [&](Poco::Data::Session& s)
               {
                   std::string code = tenant.str(), id = jobId, who = node, running = "running";
                   Poco::Int64 d = done, f = failed, at = nowMicros;
                   Poco::Data::Statement up(s);
                   up << "UPDATE batch_jobs SET done = ?, failed = ?, updated_at = ?"
                         " WHERE tenant_code = ? AND job_id = ? AND state = ? AND owner_node = ? "
                         "AND lease_until >= ?",
                       use(d), use(f), use(at), use(code), use(id), use(running), use(who), use(at);
                   return up.execute();
               });
    if (changed == 1)
        return Status::ok();
    std::optional<BatchJob> j = get(tenant, jobId); // unchanged values: see claim()
    if (j && j->state == "running" && j->ownerNode == node &&
        j->leaseUntil.value_or(0) >= nowMicros && j->done == done && j->failed == failed &&
        j->updatedAt == nowMicros)
        return Status::ok();
    return explain(tenant, jobId, node, nowMicros);
}

Status JobStore::finish(const TenantCode& tenant, const std::string& jobId, const std::string& node,
                        const std::string& state, const std::string& error, Poco::Int64 nowMicros)
{
    if (state != "done" && state != "failed" && state != "aborted")
        return Status::invalid("job " + jobId + ": final state '" + state +
                               "' must be done, failed or aborted");
    if (error.size() > 1000)
        return Status::invalid("job " + jobId + ": error must be at most 1000 bytes");
    std::size_t changed =
        update(_db,
               [&](Poco::Data::Session& s)
               {
                   std::string code = tenant.str(), id = jobId, who = node, to = state,
                               running = "running", queued = "queued";
                   Poco::Nullable<std::string> err;
                   if (!error.empty())
                       err = error;
                   Poco::Int64 at = nowMicros;
                   Poco::Data::Statement up(s);
                   if (state == "aborted" && node.empty())
                       up << "UPDATE batch_jobs SET state = ?, error = ?, owner_node = NULL, "
                             "lease_until = NULL, updated_at = ?"
                             " WHERE tenant_code = ? AND job_id = ? AND state = ?",
                           use(to), use(err), use(at), use(code), use(id), use(queued);
                   else
                       up << "UPDATE batch_jobs SET state = ?, error = ?, owner_node = NULL, "
                             "lease_until = NULL, updated_at = ?"
                             " WHERE tenant_code = ? AND job_id = ? AND state = ? AND owner_node = "
                             "? AND lease_until >= ?",
                           use(to), use(err), use(at), use(code), use(id), use(running), use(who),
                           use(at);
                   return up.execute();
               });
    return changed == 1 ? Status::ok() : explain(tenant, jobId, node, nowMicros);
}

std::vector<BatchJob> JobStore::list(const TenantCode& tenant, const std::string& state)
{
    Poco::Data::Session s = _db.session();
    std::string code = tenant.str(), stt = state;
    Poco::Data::Statement st(s);
    if (state.empty())
        st << kSelect << "WHERE tenant_code = ? ORDER BY created_at, job_id", use(code);
    else
        st << kSelect << "WHERE tenant_code = ? AND state = ? ORDER BY created_at, job_id",
            use(code), use(stt);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<BatchJob> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
        out.push_back(readRow(rs, i));
    return out;
}

Poco::Int64 JobStore::purgeFinished(const TenantCode& tenant, const std::string& kind,
                                    Poco::Int64 cutoffMicros)
{
    return static_cast<Poco::Int64>(update(
        _db,
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), k = kind, d = "done", f = "failed", a = "aborted";
            Poco::Int64 cutoff = cutoffMicros;
            Poco::Data::Statement del(s);
            del << "DELETE FROM batch_jobs WHERE tenant_code = ? AND kind = ? AND state IN "
                   "(?, ?, ?) AND updated_at < ?",
                use(code), use(k), use(d), use(f), use(a), use(cutoff);
            return del.execute();
        }));
}

} // namespace chukan
