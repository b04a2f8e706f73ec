// RetentionJob: slot arithmetic, the per-tenant sweep, one log line per run (IDs and counts only).
#include "gateway/RetentionJob.h"

#include "adapters/RetentionSweep.h"

#include <Poco/Logger.h>

#include <algorithm>

namespace chukan
{

namespace
{
const Poco::Int64 SECOND = 1000000;
/// A node that holds a slot and dies gives it up after this long; renewed between steps.
const Poco::Int64 LEASE = 600 * SECOND;
/// How often a node looks again at a slot another node holds (to take over after a crash).
const Poco::Int64 RECHECK = 60 * SECOND;

std::string range(const ChainPurge& p)
{
    return p.purged == 0 ? std::string()
                         : " (seq " + std::to_string(p.firstSeq) + "-" + std::to_string(p.lastSeq) +
                               ", recorded as seq " + std::to_string(p.noteSeq) + ")";
}
} // namespace

RetentionJob::RetentionJob(GatewayServices& s)
    : _services(s),
      _runsDone(s.metrics.counter("chukan_retention_runs_total", "outcome=\"done\"",
                                  "Retention runs of this node per tenant and slot")),
      _runsFailed(s.metrics.counter("chukan_retention_runs_total", "outcome=\"failed\"")),
      _runsSkipped(s.metrics.counter("chukan_retention_runs_total", "outcome=\"skipped\"")),
      _records(s.metrics.counter("chukan_retention_purged_total", "what=\"records\"",
                                 "Rows removed by retention on this node")),
      _audit(s.metrics.counter("chukan_retention_purged_total", "what=\"audit\"")),
      _results(s.metrics.counter("chukan_retention_purged_total", "what=\"inquiry_results\"")),
      _inquiries(s.metrics.counter("chukan_retention_purged_total", "what=\"inquiries\"")),
      _jobs(s.metrics.counter("chukan_retention_purged_total", "what=\"jobs\""))
{
}

int RetentionJob::runDue()
{
    const Poco::Int64 now = _services.clock->nowMicros();
    if (now < _nextCheck)
        return 0;
    const Settings& settings = _services.settings;
    const Poco::Int64 interval = std::max(1, settings.retentionIntervalSeconds) * SECOND;
    const Poco::Int64 slot = now - now % interval;
    _nextCheck = std::min(now + RECHECK, slot + interval);

    RetentionPeriods periods;
    periods.recordsDays = settings.recordsRetentionDays;
    periods.auditDays = settings.auditRetentionDays;
    periods.inquiryResultDays = settings.inquiryResultRetentionDays;
    periods.historyDays = settings.retentionHistoryDays;
    Poco::Logger& log = Poco::Logger::get("chukan.retention");
    int work = 0;
    for (const TenantProfile& p : settings.tenants)
    {
        const std::string code = p.tenant.str();
        auto seen = _finishedSlot.find(code);
        if (seen != _finishedSlot.end() && seen->second == slot)
            continue;
        RetentionSweep sweep(*_services.db, settings.nodeId, *_services.clock);
        Result<RetentionReport> r = sweep.runSlot(p.tenant, p.institutionCode, periods, slot, LEASE);
        if (!r)
        {
            _runsFailed.inc();
            log.error("retention tenant %s slot %s: %s", code, RetentionSweep::jobId(slot),
                      r.status().toString());
            continue;
        }
        if (r->finished)
            _finishedSlot[code] = slot;
        if (!r->ran)
        {
            _runsSkipped.inc();
            log.debug("retention tenant %s %s on node %s: not run here: %s", code, r->jobId,
                      settings.nodeId, r->skipped);
            continue;
        }
        _records.inc(static_cast<std::uint64_t>(r->records.purged));
        _audit.inc(static_cast<std::uint64_t>(r->audit.purged));
        _results.inc(static_cast<std::uint64_t>(r->resultsExpired));
        _inquiries.inc(static_cast<std::uint64_t>(r->inquiriesDeleted));
        _jobs.inc(static_cast<std::uint64_t>(r->jobsDeleted));
        work += static_cast<int>(r->records.purged + r->audit.purged + r->resultsExpired +
                                 r->inquiriesDeleted + r->jobsDeleted);
        std::string line = "retention tenant " + code + " " + r->jobId + " on node " +
                           settings.nodeId + ": records purged " +
                           std::to_string(r->records.purged) + range(r->records) +
                           ", audit entries purged " + std::to_string(r->audit.purged) +
                           range(r->audit) + ", inquiry results expired " +
                           std::to_string(r->resultsExpired) + ", expired inquiries deleted " +
                           std::to_string(r->inquiriesDeleted) + ", job rows deleted " +
                           std::to_string(r->jobsDeleted) + ", abandoned jobs closed " +
                           std::to_string(r->jobsAbandoned);
        if (r->errors.empty())
        {
            _runsDone.inc();
            log.information(line);
        }
        else
        {
            _runsFailed.inc();
            for (const std::string& e : r->errors)
                line += "; failed: " + e;
            log.error(line);
        }
        if (!r->skipped.empty())
            log.warning("retention tenant %s %s: %s", code, r->jobId, r->skipped);
    }
    return work;
}

} // namespace chukan
