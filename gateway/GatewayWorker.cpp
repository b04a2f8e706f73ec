// GatewayWorker: one thread per node lists the work, a KeyedTaskPool of chukan.workers threads sends it; failures are retried.
#include "gateway/GatewayWorker.h"

#include "adapters/OutboxStore.h"
#include "gateway/StaffService.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <map>

namespace chukan {

namespace {
const Poco::Int64 SECOND = 1000000;
const long IDLE_MS = 1000;
const int QUEUE_DEPTH = 2;  // tasks handed to the pool per thread, queued or running
const int BATCH_ITEMS = 50; // inquiries or outbox messages in one task, sent as one network message
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
    {
        std::lock_guard<std::mutex> lock(_handedMutex); // tasks dropped by an earlier stop() never released theirs
        _handed.clear();
    }
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

std::vector<std::string> GatewayWorker::takeNew(const std::string& prefix, const std::vector<std::string>& ids,
                                                std::size_t max)
{
    std::vector<std::string> fresh;
    std::lock_guard<std::mutex> lock(_handedMutex);
    for (const std::string& id : ids)
        if (fresh.size() < max && _handed.insert(prefix + id).second)
            fresh.push_back(id);
    return fresh;
}

void GatewayWorker::submit(const std::string& prefix, const std::vector<std::string>& ids, std::function<void()> task)
{
    bool queued = _pool.submit(prefix + ids.front(), [this, prefix, ids, task] {
        struct Release // also when the task throws
        {
            GatewayWorker& worker;
            const std::string& prefix;
            const std::vector<std::string>& ids;
            ~Release() { worker.release(prefix, ids); }
        } done{*this, prefix, ids};
        task();
    });
    if (!queued)
        release(prefix, ids);
}

std::size_t GatewayWorker::handed()
{
    std::lock_guard<std::mutex> lock(_handedMutex);
    return _handed.size();
}

void GatewayWorker::release(const std::string& prefix, const std::vector<std::string>& ids)
{
    std::lock_guard<std::mutex> lock(_handedMutex);
    for (const std::string& id : ids)
        _handed.erase(prefix + id);
}

std::vector<std::vector<std::string>> GatewayWorker::chunks(const std::vector<std::string>& items, int slots) const
{
    // Spread over the free slots first (one inquiry waiting goes alone, at once), then batch.
    const std::size_t free = std::max(1, slots);
    const std::size_t size = std::min<std::size_t>(BATCH_ITEMS, std::max<std::size_t>(1, (items.size() + free - 1) / free));
    std::vector<std::vector<std::string>> out;
    for (std::size_t from = 0; from < items.size(); from += size)
        out.emplace_back(items.begin() + from, items.begin() + std::min(items.size(), from + size));
    return out;
}

int GatewayWorker::dispatchQueued()
{
    if (!_pool.running())
        return _inquiries->dispatchQueued(200);
    // Up to QUEUE_DEPTH tasks a thread queued or running; the rest waits in the store (a finished
    // task wakes this loop). While the network is unreachable, nothing new is handed out. A task
    // sends up to BATCH_ITEMS inquiries as one network message (InquiryService::dispatchBatch).
    const int capacity = _pool.threads() * QUEUE_DEPTH;
    if (int(_pool.pending()) >= capacity || _services.clock->nowMicros() < _networkDownUntil.load())
        return 0;
    for (const TenantProfile& p : _services.settings.tenants)
    {
        const int slots = capacity - int(_pool.pending());
        if (slots <= 0)
            break;
        const TenantCode tenant = p.tenant;
        const std::string prefix = "IQ/" + tenant.str() + "/";
        // Queued inquiries handed out earlier are still queued in the store: list past them.
        std::vector<std::string> listed =
            InquiryStore(*_services.db).serialsByState(tenant, "queued", int(handed()) + slots * BATCH_ITEMS);
        for (const std::vector<std::string>& serials :
             chunks(takeNew(prefix, listed, std::size_t(slots) * BATCH_ITEMS), slots))
            submit(prefix, serials, [this, tenant, serials] {
                for (const Status& st : _inquiries->dispatchBatch(tenant, serials))
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
        const int slots = capacity - int(_pool.pending());
        if (pooled && slots <= 0)
            break;
        if (!pooled)
        {
            for (const OutboxMessage& m : outbox.due(p.tenant, _services.clock->nowMicros(), 100))
                sent += sendOutbox(p, {m});
            continue;
        }
        // Listed without bodies (a message may be listed again while it waits in the pool: it is
        // handed out once): the task reads the bodies it sends once it has claimed the messages.
        const std::string prefix = "OB/" + p.tenant.str() + "/";
        std::map<std::string, OutboxMessage> byId;
        std::vector<std::string> ids;
        // Claimed messages are not due (their lease); those waiting in the pool are: list past them.
        for (OutboxMessage& m :
             outbox.dueWithoutBody(p.tenant, _services.clock->nowMicros(), int(handed()) + slots * BATCH_ITEMS))
        {
            ids.push_back(m.messageId);
            byId.emplace(m.messageId, std::move(m));
        }
        for (const std::vector<std::string>& chunk : chunks(takeNew(prefix, ids, std::size_t(slots) * BATCH_ITEMS), slots))
        {
            const TenantProfile* profile = &p; // settings outlive the pool
            std::vector<OutboxMessage> messages;
            for (const std::string& id : chunk)
                messages.push_back(byId.at(id));
            submit(prefix, chunk, [this, profile, messages] { sendOutbox(*profile, messages); });
        }
    }
    return sent;
}

int GatewayWorker::sendOutbox(const TenantProfile& p, const std::vector<OutboxMessage>& listed)
{
    OutboxStore outbox(*_services.db);
    // Claim them (another node, or an earlier listing of this one, may have one) in one transaction.
    std::vector<OutboxMessage> claimed;
    Status st = _services.db->write([&](Poco::Data::Session&) {
        claimed.clear();
        for (const OutboxMessage& m : listed)
            if (outbox.claim(p.tenant, m, _services.clock->nowMicros() + 60 * SECOND))
                claimed.push_back(m);
        return Status::ok();
    });
    if (!st || claimed.empty())
        return 0;
    std::vector<StoredMessage> bodies;
    for (OutboxMessage& m : claimed)
    {
        if (m.body.empty()) // listed without it (drainOutbox): the claimed message's body
        {
            std::optional<OutboxMessage> full = outbox.get(p.tenant, m.messageId);
            if (full)
                m.body = std::move(full->body);
        }
        bodies.push_back(StoredMessage{m.messageId, std::move(m.body)});
    }
    std::vector<Status> answers = _services.network->sendResponses(p, bodies);
    // Each message's outcome, in one transaction: sent; retry with back-off (the network or this
    // side could not finish it); failed for good (a typed refusal).
    int sent = 0, retried = 0, failed = 0;
    st = _services.db->write([&](Poco::Data::Session&) {
        sent = retried = failed = 0;
        for (std::size_t i = 0; i < claimed.size(); ++i)
        {
            const OutboxMessage& m = claimed[i];
            const Status& answer = answers[i];
            Status marked;
            if (answer)
            {
                marked = outbox.markSent(p.tenant, m.messageId, _services.clock->nowMicros());
                ++sent;
            }
            else if (answer.code() == Status::UNAVAILABLE || answer.code() == Status::INTERNAL)
            {
                Poco::Int64 backoff = std::min<Poco::Int64>(300, 1LL << std::min(m.attempts + 1, 8)) * SECOND;
                marked = outbox.markRetry(p.tenant, m.messageId, _services.clock->nowMicros() + backoff, answer.message());
                ++retried;
            }
            else
            {
                marked = outbox.markFailed(p.tenant, m.messageId, answer.message());
                ++failed;
            }
            if (!marked)
                return marked;
        }
        return Status::ok();
    });
    if (!st)
    {
        // The claims' lease runs out and the messages are sent again (same MessageIds: the
        // network answers a duplicate with its first answer).
        Poco::Logger::get("chukan.worker")
            .error("tenant %s: outcome of %z outbox messages not stored: %s", p.tenant.str(), claimed.size(), st.message());
        return 0;
    }
    _outboxSent.inc(sent);
    _outboxRetried.inc(retried);
    _outboxFailed.inc(failed);
    for (std::size_t i = 0; i < claimed.size(); ++i)
        if (!answers[i] && answers[i].code() != Status::UNAVAILABLE && answers[i].code() != Status::INTERNAL)
            Poco::Logger::get("chukan.worker")
                .error("tenant %s outbox %s refused for good: %s", p.tenant.str(), claimed[i].messageId,
                       answers[i].message());
    return sent;
}

} // namespace chukan
