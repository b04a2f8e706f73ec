// RetentionSweep: the steps of a retention pass, in order, each behind a renewed lease.
#include "adapters/RetentionSweep.h"

#include "adapters/AuditStore.h"
#include "adapters/InquiryStore.h"
#include "adapters/JobStore.h"
#include "adapters/RecordStore.h"
#include "policy/Retention.h"

#include <Poco/DateTimeFormatter.h>

#include <functional>

namespace chukan
{

namespace
{

const char* kKind = "retention";

/// Purges in chunks until the cutoff is reached; between() may stop it (lease lost).
Result<ChainPurge> inChunks(const std::function<Result<ChainPurge>()>& chunk,
                            const std::function<bool()>& between)
{
    ChainPurge total;
    for (;;)
    {
        Result<ChainPurge> p = chunk();
        if (!p)
            return total.purged > 0
                       ? Status(p.status().code(), p.status().message() + " (after " +
                                                       std::to_string(total.purged) + " purged)")
                       : p.status();
        if (p->purged > 0)
        {
            if (total.purged == 0)
                total.firstSeq = p->firstSeq;
            total.purged += p->purged;
            total.lastSeq = p->lastSeq;
            total.checkpointHash = p->checkpointHash;
            total.noteSeq = p->noteSeq;
        }
        if (!p->more || (between && !between()))
        {
            total.more = p->more;
            return total;
        }
    }
}

} // namespace

RetentionSweep::RetentionSweep(Database& db, std::string node, const Clock& clock,
                               Poco::Int64 chunkRows)
    : _db(db), _node(std::move(node)), _clock(clock), _chunkRows(chunkRows)
{
}

std::string RetentionSweep::jobId(Poco::Int64 slotStartMicros)
{
    return std::string(kKind) + "-" +
           Poco::DateTimeFormatter::format(Poco::Timestamp(slotStartMicros), "%Y%m%dT%H%M%SZ");
}

Result<ChainPurge> RetentionSweep::purgeRecords(const TenantCode& tenant,
                                                const std::string& institutionCode, int days,
                                                const std::string& refId, bool dryRun)
{
    Poco::Int64 now = _clock.nowMicros();
    Result<Poco::Int64> cutoff = Retention::cutoff(now, days);
    if (!cutoff)
        return cutoff.status();
    RecordStore records(_db);
    PurgeRequest request;
    request.cutoffMicros = cutoff.value();
    request.nowMicros = now;
    request.retentionDays = days;
    request.by = institutionCode;
    request.refId = refId;
    if (dryRun)
        return records.planPurge(tenant, request);
    request.maxRows = _chunkRows;
    return inChunks(
        [&]
        {
            request.nowMicros = _clock.nowMicros();
            return records.purgeBefore(tenant, request);
        },
        {});
}

Result<ChainPurge> RetentionSweep::purgeAudit(const TenantCode& tenant, int days,
                                              const std::string& refId, const std::string& staffId,
                                              bool dryRun)
{
    Poco::Int64 now = _clock.nowMicros();
    Result<Poco::Int64> cutoff = Retention::cutoff(now, days);
    if (!cutoff)
        return cutoff.status();
    AuditStore audit(_db);
    PurgeRequest request;
    request.cutoffMicros = cutoff.value();
    request.nowMicros = now;
    request.retentionDays = days;
    request.by = staffId;
    request.refId = refId;
    if (dryRun)
        return audit.planPurge(tenant, request);
    request.maxRows = _chunkRows;
    return inChunks(
        [&]
        {
            request.nowMicros = _clock.nowMicros();
            return audit.purgeBefore(tenant, request);
        },
        {});
}

bool RetentionSweep::renew(const TenantCode& tenant, RetentionReport& report,
                           Poco::Int64 leaseMicros)
{
    Poco::Int64 now = _clock.nowMicros();
    Status st = JobStore(_db).claim(tenant, report.jobId, _node, now + leaseMicros, now);
    if (!st)
        report.skipped = "lease lost: " + st.message();
    return st.isOk();
}

Result<RetentionReport> RetentionSweep::runSlot(const TenantCode& tenant,
                                                const std::string& institutionCode,
                                                const RetentionPeriods& periods,
                                                Poco::Int64 slotStartMicros,
                                                Poco::Int64 leaseMicros)
{
    RetentionReport report;
    report.jobId = jobId(slotStartMicros);
    JobStore jobs(_db);
    Poco::Int64 now = _clock.nowMicros();
    Status created = jobs.create(tenant, report.jobId, kKind, 0, now);
    if (!created && created.code() != Status::ALREADY_EXISTS)
        return created;
    Status claimed = jobs.claim(tenant, report.jobId, _node, now + leaseMicros, now);
    if (!claimed)
    {
        if (claimed.code() != Status::FAILED_PRECONDITION)
            return claimed;
        std::optional<BatchJob> job = jobs.get(tenant, report.jobId);
        report.finished = job && job->state != "queued" && job->state != "running";
        report.skipped = claimed.message();
        return report;
    }
    report.ran = true;
    auto failed = [&](const char* step, const Status& st)
    { report.errors.push_back(std::string(step) + ": " + st.message()); };

    // 1. 情報提供等記録 past their retention (each chunk records itself in the chain).
    RecordStore records(_db);
    PurgeRequest request;
    request.retentionDays = periods.recordsDays;
    request.by = institutionCode;
    request.refId = report.jobId;
    request.maxRows = _chunkRows;
    Result<Poco::Int64> recordsCutoff = Retention::cutoff(now, periods.recordsDays);
    if (!recordsCutoff)
        return recordsCutoff.status();
    request.cutoffMicros = recordsCutoff.value();
    bool leased = true;
    auto between = [&] { return leased = renew(tenant, report, leaseMicros); };
    Result<ChainPurge> r = inChunks(
        [&]
        {
            request.nowMicros = _clock.nowMicros();
            return records.purgeBefore(tenant, request);
        },
        between);
    if (r)
        report.records = r.value();
    else
        failed("records", r.status());
    if (!leased || !renew(tenant, report, leaseMicros))
        return report;

    // 2. Staff audit entries past theirs.
    AuditStore audit(_db);
    Result<Poco::Int64> auditCutoff = Retention::cutoff(now, periods.auditDays);
    if (!auditCutoff)
        return auditCutoff.status();
    PurgeRequest auditRequest = request;
    auditRequest.cutoffMicros = auditCutoff.value();
    auditRequest.retentionDays = periods.auditDays;
    auditRequest.by = "system";
    Result<ChainPurge> a = inChunks(
        [&]
        {
            auditRequest.nowMicros = _clock.nowMicros();
            return audit.purgeBefore(tenant, auditRequest);
        },
        between);
    if (a)
        report.audit = a.value();
    else
        failed("audit", a.status());
    if (!leased || !renew(tenant, report, leaseMicros))
        return report;

    // 3. Inquiry results: the payload goes after its period; the row, answering "expired",
    //    after the records' retention.
    InquiryStore inquiries(_db);
    Result<Poco::Int64> resultCutoff = Retention::cutoff(now, periods.inquiryResultDays);
    if (!resultCutoff)
        return resultCutoff.status();
    report.resultsExpired = inquiries.expireResultsBefore(
        tenant, resultCutoff.value(), periods.inquiryResultDays, _clock.nowMicros());
    report.inquiriesDeleted = inquiries.deleteExpiredBefore(tenant, recordsCutoff.value());
    if (!renew(tenant, report, leaseMicros))
        return report;

    // 4. Our own history: finished retention jobs past historyDays; jobs of crashed nodes.
    Result<Poco::Int64> historyCutoff = Retention::cutoff(now, periods.historyDays);
    if (!historyCutoff)
        return historyCutoff.status();
    report.jobsDeleted = jobs.purgeFinished(tenant, kKind, historyCutoff.value());
    for (const BatchJob& j : jobs.list(tenant, "running"))
    {
        Poco::Int64 at = _clock.nowMicros();
        if (j.kind != kKind || j.jobId == report.jobId || j.leaseUntil.value_or(0) >= at)
            continue;
        if (jobs.claim(tenant, j.jobId, _node, at + leaseMicros, at) &&
            jobs.finish(tenant, j.jobId, _node, "failed",
                        "abandoned: the lease of node " + j.ownerNode + " expired; superseded by " +
                            report.jobId,
                        at))
            ++report.jobsAbandoned;
    }

    Poco::Int64 touched = report.records.purged + report.audit.purged + report.resultsExpired +
                          report.inquiriesDeleted + report.jobsDeleted;
    Poco::Int64 at = _clock.nowMicros();
    Status progress = jobs.updateProgress(tenant, report.jobId, _node, touched,
                                          static_cast<Poco::Int64>(report.errors.size()), at);
    std::string error;
    for (const std::string& e : report.errors)
        error += (error.empty() ? "" : "; ") + e;
    if (error.size() > 1000)
    {
        std::size_t cut = 997;
        while (cut > 0 && (static_cast<unsigned char>(error[cut]) & 0xC0) == 0x80)
            --cut; // not inside a UTF-8 sequence
        error = error.substr(0, cut) + "...";
    }
    Status done = progress ? jobs.finish(tenant, report.jobId, _node,
                                         report.errors.empty() ? "done" : "failed", error, at)
                           : progress;
    if (!done)
        report.skipped = "lease lost: " + done.message();
    else
        report.finished = true;
    return report;
}

} // namespace chukan
