// GatewayWorker: a single background thread per node; failures are logged and retried on the next pass.
#include "gateway/GatewayWorker.h"

#include "adapters/OutboxStore.h"
#include "gateway/StaffService.h"

#include <Poco/Logger.h>

namespace chukan {

namespace {
const Poco::Int64 SECOND = 1000000;
const long IDLE_MS = 1000;
}

GatewayWorker::GatewayWorker(GatewayServices& s, std::shared_ptr<InquiryService> inquiries,
                             std::shared_ptr<ProvisionService> provisions)
    : _services(s), _inquiries(std::move(inquiries)), _provisions(std::move(provisions)), _resender(s, _inquiries),
      _retention(s),
      _thread("chukan-worker"),
      _outboxSent(s.metrics.counter("chukan_outbox_total", "outcome=\"sent\"", "Outbox send attempts")),
      _outboxRetried(s.metrics.counter("chukan_outbox_total", "outcome=\"retry\"")),
      _outboxFailed(s.metrics.counter("chukan_outbox_total", "outcome=\"failed\""))
{
}

GatewayWorker::~GatewayWorker()
{
    stop();
}

void GatewayWorker::start()
{
    _stopping = false;
    _thread.start(*this);
}

void GatewayWorker::stop()
{
    _stopping = true;
    _services.signals->wakeWorker();
    if (_thread.isRunning())
        _thread.join();
}

void GatewayWorker::run()
{
    while (!_stopping)
    {
        int done = 0;
        try
        {
            done = runOnce();
        }
        catch (const Poco::Exception& e)
        {
            Poco::Logger::get("chukan.worker").error("worker pass failed: %s", e.displayText());
        }
        catch (const std::exception& e)
        {
            Poco::Logger::get("chukan.worker").error("worker pass failed: %s", std::string(e.what()));
        }
        // Accepts, outbox rows and finished sends wake the worker at once (ExchangeSignals); the
        // timeout is for back-off retries, overdue resends and work queued by another node.
        if (done == 0)
            _services.signals->waitForWork(IDLE_MS);
    }
}

int GatewayWorker::runOnce()
{
    Poco::Int64 now = _services.clock->nowMicros();
    int work = 0;
    if (_services.network && _services.documents && !_services.settings.tenants.empty() && now >= _nextRefresh)
    {
        Status st = _services.documents->refresh(*_services.network, _services.settings.tenants.front(),
                                                 Poco::Timestamp(now));
        if (st)
            _nextRefresh = now + 300 * SECOND;
        else
        {
            Poco::Logger::get("chukan.worker").warning("network documents not refreshed: %s", st.message());
            _nextRefresh = now + 5 * SECOND;
        }
    }
    if (_services.network)
    {
        work += _inquiries->dispatchQueued(200);
        work += _resender.resendOverdue(100);
        work += drainOutbox();
    }
    if (now >= _nextExpiry)
    {
        for (const TenantProfile& p : _services.settings.tenants)
            work += _provisions->expireHolds(p.tenant);
        for (const TenantProfile& p : _services.settings.tenants) // console time-outs, dormancy
            work += StaffService(*_services.db, *_services.clock, _services.settings.console).sweep(p.tenant);
        // Every 10 s, or sooner when holds expire sooner than that.
        _nextExpiry = now + std::min<Poco::Int64>(10, _services.settings.holdDeadlineSeconds) * SECOND;
    }
    work += _retention.runDue(); // records, audit entries, inquiry results past retention
    return work;
}

int GatewayWorker::drainOutbox()
{
    int sent = 0;
    OutboxStore outbox(*_services.db);
    for (const TenantProfile& p : _services.settings.tenants)
        for (const OutboxMessage& m : outbox.due(p.tenant, _services.clock->nowMicros(), 100))
        {
            if (!outbox.claim(p.tenant, m, _services.clock->nowMicros() + 60 * SECOND))
                continue; // another node has it
            Status st = _services.network->sendResponse(p, m.body);
            if (st)
            {
                outbox.markSent(p.tenant, m.messageId, _services.clock->nowMicros());
                _outboxSent.inc();
                ++sent;
            }
            else if (st.code() == Status::UNAVAILABLE || st.code() == Status::INTERNAL)
            {
                Poco::Int64 backoff = std::min<Poco::Int64>(300, 1LL << std::min(m.attempts + 1, 8)) * SECOND;
                outbox.markRetry(p.tenant, m.messageId, _services.clock->nowMicros() + backoff, st.message());
                _outboxRetried.inc();
            }
            else
            {
                outbox.markFailed(p.tenant, m.messageId, st.message());
                _outboxFailed.inc();
                Poco::Logger::get("chukan.worker")
                    .error("tenant %s outbox %s refused for good: %s", p.tenant.str(), m.messageId, st.message());
            }
        }
    return sent;
}

} // namespace chukan
