// BulkInquiryStore: bound-parameter SQL over batch_jobs and inquiries; items go in with multi-row
// INSERTs.
#include "adapters/BulkInquiryStore.h"
#include "adapters/InquiryStore.h"

#include "adapters/BlobColumn.h"
#include "adapters/RowReader.h"

#include <Poco/Data/LOB.h>

#include <algorithm>

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

const std::size_t kRowsPerStatement =
    50; // 14 parameters a row at most: under SQLite's oldest limit (999)

} // namespace

Status BulkInquiryStore::create(const TenantCode& tenant, const BulkJob& job, Poco::Int64 nowMicros)
{
    if (job.jobId.empty() || job.jobId.size() > 64)
        return Status::invalid("bulk job " + job.jobId + ": job id must be 1 to 64 characters");
    if (job.systemId.empty() || job.systemId.size() > 64 || job.idempotencyKey.size() > 128 ||
        job.fileDigest.size() > 64)
        return Status::invalid("bulk job " + job.jobId + ": system id, key or digest too long");
    try
    {
        return _db.write(
            [&](Poco::Data::Session& s)
            {
                std::string code = tenant.str(), id = job.jobId, kind = KIND, state = "queued",
                            sys = job.systemId, key = job.idempotencyKey, digest = job.fileDigest;
                Poco::Int64 total = job.total, zero = 0, at = nowMicros;
                int n = 0;
                s << "SELECT COUNT(*) FROM batch_jobs WHERE tenant_code = ? AND job_id = ?",
                    use(code), use(id), into(n), now;
                if (n > 0)
                    return Status::exists("bulk job " + job.jobId + ": already exists");
                s << "INSERT INTO batch_jobs (tenant_code, job_id, kind, state, total, done, "
                     "failed,"
                     " system_id, idempotency_key, file_digest, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    use(code), use(id), use(kind), use(state), use(total), use(zero), use(zero),
                    use(sys), use(key), use(digest), use(at), use(at), now;
                return Status::ok();
            });
    }
    catch (const std::exception& e)
    {
        if (_db.isDuplicateKey(e)) // another node created it between our check and insert
            return Status::exists("bulk job " + job.jobId + ": already exists");
        throw;
    }
}

std::optional<BulkJob> BulkInquiryStore::get(const TenantCode& tenant, const std::string& jobId)
{
    Poco::Data::Session s = _db.session();
    Poco::Data::Statement st(s);
    std::string code = tenant.str(), id = jobId, kind = KIND;
    st << "SELECT job_id, system_id, idempotency_key, file_digest, state, total, done, failed, "
          "created_at,"
          " updated_at, " +
              BlobColumn::select(_db, "report") +
              " FROM batch_jobs WHERE tenant_code = ? AND job_id = ? AND kind = ?",
        use(code), use(id), use(kind);
    st.execute();
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() == 0)
        return std::nullopt;
    RowReader r(rs, 0);
    BulkJob j;
    j.jobId = r.str(0);
    j.systemId = r.str(1);
    j.idempotencyKey = r.str(2);
    j.fileDigest = r.str(3);
    j.state = r.str(4);
    j.total = r.i64(5);
    j.done = r.i64(6);
    j.failed = r.i64(7);
    j.createdAt = r.i64(8);
    j.updatedAt = r.i64(9);
    j.report = BlobColumn::value(_db, s, r, 10, "batch_jobs", "report", code, {{"job_id", jobId}})
                   .value_or("");
    return j;
}

Status BulkInquiryStore::stage(const TenantCode& tenant, const std::vector<Inquiry>& items,
                               Poco::Int64 nowMicros)
{
    const std::string insert =
        _db.backend() == Database::SQLITE ? "INSERT OR IGNORE INTO" : "INSERT IGNORE INTO";
    return _db.write(
        [&](Poco::Data::Session& s)
        {
            // Two shapes, so that error_code stays NULL for the items that will be queued.
            for (int refused = 0; refused < 2; ++refused)
            {
                std::vector<const Inquiry*> rows;
                for (const Inquiry& q : items)
                    if (q.errorCode.empty() == (refused == 0))
                        rows.push_back(&q);
                for (std::size_t from = 0; from < rows.size(); from += kRowsPerStatement)
                {
                    std::size_t to = std::min(rows.size(), from + kRowsPerStatement);
                    std::string sql =
                        insert +
                        " inquiries (tenant_code, serial, system_id, batch_id, atena_no, jimu_code,"
                        " procedure_code, item_code, provider_code, state, requested_at, "
                        "updated_at" +
                        (refused ? ", error_code, error_message" : "") + ") VALUES ";
                    Poco::Data::AbstractBindingVec binds;
                    for (std::size_t i = from; i < to; ++i)
                    {
                        const Inquiry& q = *rows[i];
                        sql += i == from ? "" : ", ";
                        sql += refused ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                       : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                        binds.push_back(bind(tenant.str()));
                        binds.push_back(bind(q.serial));
                        binds.push_back(bind(q.systemId));
                        binds.push_back(bind(q.batchId));
                        binds.push_back(bind(q.atenaNo));
                        binds.push_back(bind(q.jimuCode));
                        binds.push_back(bind(q.procedureCode));
                        binds.push_back(bind(q.itemCode));
                        binds.push_back(bind(q.providerCode));
                        binds.push_back(bind(std::string("staged")));
                        binds.push_back(bind(q.requestedAt ? q.requestedAt : nowMicros));
                        binds.push_back(bind(nowMicros));
                        if (refused)
                        {
                            binds.push_back(bind(q.errorCode.substr(0, 32)));
                            binds.push_back(bind(q.errorMessage.substr(0, 1000)));
                        }
                    }
                    Poco::Data::Statement st(s);
                    st << sql, use(binds);
                    st.execute();
                }
            }
            return Status::ok();
        });
}

Status BulkInquiryStore::release(const TenantCode& tenant, const std::string& jobId,
                                 Poco::Int64 total, const std::string& report,
                                 Poco::Int64 nowMicros)
{
    return _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = jobId, staged = "staged", queued = "queued",
                        error = "error", running = "running", kind = KIND;
            Poco::Int64 at = nowMicros, t = total;
            s << "UPDATE inquiries SET state = CASE WHEN error_code IS NULL THEN ? ELSE ? END,"
                 " completed_at = CASE WHEN error_code IS NULL THEN NULL ELSE ? END, updated_at = ?"
                 " WHERE tenant_code = ? AND batch_id = ? AND state = ?",
                use(queued), use(error), use(at), use(at), use(code), use(id), use(staged), now;
            Poco::Data::BLOB blob(reinterpret_cast<const unsigned char*>(report.data()),
                                  report.size());
            s << "UPDATE batch_jobs SET state = ?, total = ?, report = ?, updated_at = ?"
                 " WHERE tenant_code = ? AND job_id = ? AND kind = ? AND state = ?",
                use(running), use(t), use(blob), use(at), use(code), use(id), use(kind),
                use(queued), now;
            return Status::ok();
        });
}

Status BulkInquiryStore::finish(const TenantCode& tenant, const std::string& jobId,
                                Poco::Int64 done, Poco::Int64 failed, Poco::Int64 nowMicros)
{
    return _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), id = jobId, running = "running", to = "done",
                        kind = KIND;
            Poco::Int64 at = nowMicros, d = done, f = failed;
            s << "UPDATE batch_jobs SET state = ?, done = ?, failed = ?, updated_at = ?"
                 " WHERE tenant_code = ? AND job_id = ? AND kind = ? AND state = ?",
                use(to), use(d), use(f), use(at), use(code), use(id), use(kind), use(running), now;
            return Status::ok();
        });
}

BulkCounts BulkInquiryStore::counts(const TenantCode& tenant, const std::string& jobId)
{
    Poco::Data::Session s = _db.session();
    Poco::Data::Statement st(s);
    std::string code = tenant.str(), id = jobId;
    st << "SELECT state, COUNT(*) FROM inquiries WHERE tenant_code = ? AND batch_id = ? GROUP BY "
          "state",
        use(code), use(id);
    st.execute();
    Poco::Data::RecordSet rs(st);
    BulkCounts c;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
    {
        RowReader r(rs, i);
        std::string state = r.str(0);
        Poco::Int64 n = r.i64(1);
        if (state == "staged")
            c.staged = n;
        else if (state == "queued")
            c.queued = n;
        else if (state == "sent")
            c.sent = n;
        else if (state == "completed")
            c.completed = n;
        else if (state == "error")
            c.error = n;
        else if (state == "aborted")
            c.aborted = n;
        else if (state == "expired")
            c.expired = n;
    }
    return c;
}

std::vector<Inquiry> BulkInquiryStore::page(const TenantCode& tenant, const std::string& jobId,
                                            const std::string& afterSerial, int limit)
{
    return InquiryStore(_db).listByBatchAfter(tenant, jobId, afterSerial, limit);
}

std::set<std::string> BulkInquiryStore::recordedSerials(const TenantCode& tenant,
                                                        const std::string& jobId)
{
    Poco::Data::Session s = _db.session();
    Poco::Data::Statement st(s);
    std::string code = tenant.str(), kind = "inquiry", pattern = jobId + "-%";
    st << "SELECT ref_id FROM provision_records WHERE tenant_code = ? AND kind = ? AND ref_id LIKE "
          "?",
        use(code), use(kind), use(pattern);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::set<std::string> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
        out.insert(RowReader(rs, i).str(0));
    return out;
}

} // namespace chukan
