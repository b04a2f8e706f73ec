// RetentionSweep: one tenant's retention pass (records, audit entries, inquiry results, old job
// rows), run by exactly one node per time slot under a JobStore lease.
#pragma once

#include "adapters/Clock.h"
#include "adapters/HashChain.h"

#include <string>
#include <vector>

namespace chukan
{

/// How long each kind of data is kept, in days (Settings: chukan.records.retentionDays,
/// chukan.audit.retentionDays, chukan.inquiry.resultRetentionDays, chukan.retention.historyDays).
struct RetentionPeriods
{
    int recordsDays = 2557;
    int auditDays = 2557;
    int inquiryResultDays = 30;
    int historyDays = 90; ///< finished retention job rows
};

/// What one pass did (counts and seqs only: it is logged).
struct RetentionReport
{
    std::string jobId;
    bool ran = false;      ///< this node did the work of the slot
    bool finished = false; ///< the slot's job is finished (by this node or another)
    std::string skipped;   ///< why it did not run (another node has the lease, already done)
    ChainPurge records;
    ChainPurge audit;
    Poco::Int64 resultsExpired = 0;   ///< inquiry results deleted (rows now "expired")
    Poco::Int64 inquiriesDeleted = 0; ///< expired inquiry rows past the records' retention
    Poco::Int64 jobsDeleted = 0;      ///< finished retention job rows past historyDays
    Poco::Int64 jobsAbandoned = 0;    ///< retention jobs of crashed nodes closed as failed
    std::vector<std::string> errors;  ///< steps that failed (the others still ran)
};

/// Several nodes may call runSlot() for the same tenant and slot at once: the job row
/// "retention-<slot start, UTC>" is created by whoever comes first and the lease (a conditional
/// UPDATE in batch_jobs) lets one node do the work; the others get ran = false. A node that dies
/// mid-pass leaves the lease to expire; the next caller takes over and repeats the steps, which
/// are all idempotent (prefix purges behind a moving checkpoint, conditional UPDATE/DELETE).
/// Thread-safety: no shared state; one instance per thread.
class RetentionSweep
{
public:
    /// Rows per purge transaction: a large backlog is purged in several steps (each recorded).
    static const Poco::Int64 PURGE_CHUNK = 10000;

    /// node names this process in leases; chunkRows: rows per purge transaction.
    RetentionSweep(Database& db, std::string node, const Clock& clock,
                   Poco::Int64 chunkRows = PURGE_CHUNK);

    /// "retention-20260101T100000Z" for the slot starting at slotStartMicros.
    static std::string jobId(Poco::Int64 slotStartMicros);

    /// The slot's pass for one tenant unless another node did it or holds the lease.
    /// institutionCode is ours (the records of a purge name it). Expected failures of single
    /// steps are in report.errors (the job ends failed); store outages throw.
    Result<RetentionReport> runSlot(const TenantCode& tenant, const std::string& institutionCode,
                                    const RetentionPeriods& periods, Poco::Int64 slotStartMicros,
                                    Poco::Int64 leaseMicros);

    /// The records purge of the pass (also chukanctl records purge): every record created more
    /// than days ago, in chunks, each chunk recorded. dryRun: what would go, nothing written.
    Result<ChainPurge> purgeRecords(const TenantCode& tenant, const std::string& institutionCode,
                                    int days, const std::string& refId, bool dryRun = false);
    /// The audit purge of the pass, recorded as an entry by staffId.
    Result<ChainPurge> purgeAudit(const TenantCode& tenant, int days, const std::string& refId,
                                  const std::string& staffId, bool dryRun = false);

private:
    /// Renews this node's lease; false (and report.skipped set) when another node took it.
    bool renew(const TenantCode& tenant, RetentionReport& report, Poco::Int64 leaseMicros);

    Database& _db;
    std::string _node;
    const Clock& _clock;
    Poco::Int64 _chunkRows;
};

} // namespace chukan
