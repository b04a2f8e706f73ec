// GatewayWorker: one thread per node lists the work, a KeyedTaskPool of chukan.workers threads sends it; failures are retried.
#include "gateway/GatewayWorker.h"

#include "adapters/OutboxStore.h"
#include "gateway/StaffService.h"

#include <Poco/Logger.h>

namespace chukan {

namespace {
const Poco::Int64 SECOND = 1000000;
const long IDLE_MS = 1000;
const int QUEUE_DEPTH = 4; // tasks handed to the pool per thread, queued or running
}

GatewayWorker::GatewayWorker(GatewayServices& s, std::shared_ptr<InquiryService> inquiries,
                             std::shared_ptr<ProvisionService> provisions)
    : _services(s), _inquiries(std::move(inquiries)), _provisions(std::move(provisions)), _resender(s, _inquiries),
      _retention(s),
      _pool("dispatch", s.settings.workerThreads),
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
    std::shared_ptr<ExchangeSignals> signals = _services.signals;
    _pool.onDone([signals] { signals->wakeWorker(); }); // room in the pool: list the next work
    _pool.start();
    _thread.start(*this);
}

void GatewayWorker::stop()
{
    _stopping = true;
    _services.signals->wakeWorker();
    if (_thread.isRunning())
        _thread.join();
    _pool.stop();
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
        work += dispatchQueued();
        if (now >= _nextResend || !_pool.running())
        {
            work += _resender.resendOverdue(100);
            _nextResend = now + SECOND;
        }
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

int GatewayWorker::dispatchQueued()
{
    if (!_pool.running())
        return _inquiries->dispatchQueued(200);
    // Up to QUEUE_DEPTH tasks a thread queued or running; the rest waits in the store (a finished
    // task wakes this loop). While the network is unreachable, nothing new is handed out.
    const int capacity = _pool.threads() * QUEUE_DEPTH;
    if (int(_pool.pending()) >= capacity || _services.clock->nowMicros() < _networkDownUntil.load())
        return 0;
    for (const TenantProfile& p : _services.settings.tenants)
        for (const std::string& serial : InquiryStore(*_services.db).serialsByState(p.tenant, "queued", capacity))
        {
            TenantCode tenant = p.tenant;
            _pool.submit("IQ/" + tenant.str() + "/" + serial, [this, tenant, serial] {
                Status st = _inquiries->dispatch(tenant, serial);
                if (st.code() == Status::UNAVAILABLE)
                    _networkDownUntil = _services.clock->nowMicros() + SECOND;
            });
        }
    return 0; // handed out, not done: the pool wakes the loop when a task ends
}

int GatewayWorker::drainOutbox()
{
    int sent = 0;
    OutboxStore outbox(*_services.db);
    const bool pooled = _pool.running();
    const int capacity = _pool.threads() * QUEUE_DEPTH;
    if (pooled && int(_pool.pending()) >= capacity)
        return 0;
    for (const TenantProfile& p : _services.settings.tenants)
    {
        if (!pooled)
        {
            for (const OutboxMessage& m : outbox.due(p.tenant, _services.clock->nowMicros(), 100))
                sent += sendOutbox(p, m) ? 1 : 0;
            continue;
        }
        // Listed without bodies (a message may be listed again while it waits in the pool): the
        // task reads the body it sends once it has claimed the message.
        for (const OutboxMessage& m : outbox.dueWithoutBody(p.tenant, _services.clock->nowMicros(), capacity))
        {
            const TenantProfile* profile = &p; // settings outlive the pool
            OutboxMessage message = m;
            _pool.submit("OB/" + p.tenant.str() + "/" + m.messageId,
                         [this, profile, message] { sendOutbox(*profile, message); });
        }
    }
    return sent;
}

bool GatewayWorker::sendOutbox(const TenantProfile& p, const OutboxMessage& m)
{
    OutboxStore outbox(*_services.db);
    if (!outbox.claim(p.tenant, m, _services.clock->nowMicros() + 60 * SECOND))
        return false; // another node (or an earlier listing of this one) has it
    std::string body = m.body;
    if (body.empty()) // listed without it (drainOutbox): the claimed message's body
    {
        std::optional<OutboxMessage> full = outbox.get(p.tenant, m.messageId);
        if (full)
            body = std::move(full->body);
    }
    Status st = _services.network->sendResponse(p, body);
    if (st)
    {
        outbox.markSent(p.tenant, m.messageId, _services.clock->nowMicros());
        _outboxSent.inc();
        return true;
    }
    if (st.code() == Status::UNAVAILABLE || st.code() == Status::INTERNAL)
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
    return false;
}

} // namespace chukan
