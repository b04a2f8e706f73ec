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
    /// Claim, send, mark sent / retry with back-off / failed. True when sent.
    bool sendOutbox(const TenantProfile& profile, const OutboxMessage& message);

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
    Counter& _outboxSent;
    Counter& _outboxRetried;
    Counter& _outboxFailed;
};

} // namespace chukan
