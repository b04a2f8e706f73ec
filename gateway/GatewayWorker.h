// GatewayWorker: the background loop of a node — refresh network documents, dispatch inquiries, drain the outbox, expire holds, retention.
#pragma once

#include "adapters/OutboxStore.h"
#include "gateway/InquiryResender.h"
#include "gateway/KeyedTaskPool.h"
#include "gateway/InquiryService.h"
#include "gateway/ProvisionService.h"
#include "gateway/RetentionJob.h"

#include <Poco/Runnable.h>
#include <Poco/Thread.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace chukan {

/// Every step claims its work in the store (conditional updates), so any number of nodes may
/// run this loop over one store without doing anything twice.
class GatewayWorker : public Poco::Runnable
{
public:
    GatewayWorker(GatewayServices& services, std::shared_ptr<InquiryService> inquiries,
                  std::shared_ptr<ProvisionService> provisions);
    ~GatewayWorker() override;

    void start();
    void stop();
    void run() override;

    /// One pass of every step (tests call this directly). Returns the work done. Before start()
    /// every send happens in the calling thread; once started, dispatches and outbox sends are
    /// handed to the pool (chukan.workers threads) and run concurrently.
    int runOnce();
    /// Sends due outbox messages of every tenant; returns how many were sent (0 when handed to
    /// the pool).
    int drainOutbox();

private:
    /// Sends the queued inquiries (InquiryService::dispatch) in this thread or the pool.
    int dispatchQueued();
    /// Claim, send (several in one network message), mark sent / retry with back-off / failed,
    /// each message on its own; the claims in one transaction, the marks in another. Returns
    /// how many were sent.
    int sendOutbox(const TenantProfile& profile, const std::vector<OutboxMessage>& messages);
    /// Of `ids` (listed from the store), those not already handed to the pool, now marked as
    /// handed; release() unmarks them when their task has ended.
    /// At most `max` of them.
    std::vector<std::string> takeNew(const std::string& prefix, const std::vector<std::string>& ids, std::size_t max);
    void release(const std::string& prefix, const std::vector<std::string>& ids);
    /// Queues `task` in the pool for `ids` (taken with takeNew under `prefix`), which are released
    /// when it ends, or at once when the pool refuses it.
    void submit(const std::string& prefix, const std::vector<std::string>& ids, std::function<void()> task);
    /// Items handed to the pool and not yet released.
    std::size_t handed();
    /// `items` in chunks for `slots` free places in the pool: ceil(n / slots) each, at most BATCH_ITEMS.
    std::vector<std::vector<std::string>> chunks(const std::vector<std::string>& items, int slots) const;

    GatewayServices& _services;
    std::shared_ptr<InquiryService> _inquiries;
    std::shared_ptr<ProvisionService> _provisions;
    InquiryResender _resender;
    RetentionJob _retention;
    KeyedTaskPool _pool;
    Poco::Thread _thread;
    std::atomic<bool> _stopping{false};
    Poco::Int64 _nextRefresh = 0;
    Poco::Int64 _nextExpiry = 0;
    Poco::Int64 _nextResend = 0;
    std::atomic<Poco::Int64> _networkDownUntil{0}; ///< dispatch saw UNAVAILABLE: pause new sends
    std::mutex _handedMutex;
    std::unordered_set<std::string> _handed; ///< "IQ/tenant/serial", "OB/tenant/id" queued or running in the pool
    Counter& _outboxSent;
    Counter& _outboxRetried;
    Counter& _outboxFailed;
};

} // namespace chukan
