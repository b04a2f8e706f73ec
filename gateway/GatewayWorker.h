// GatewayWorker: the background loop of a node — refresh network documents, dispatch inquiries, drain the outbox, expire holds, retention.
#pragma once

#include "gateway/InquiryResender.h"
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

    /// One pass of every step (tests call this directly). Returns the work done.
    int runOnce();
    /// Sends due outbox messages of every tenant; returns how many were sent.
    int drainOutbox();

private:
    GatewayServices& _services;
    std::shared_ptr<InquiryService> _inquiries;
    std::shared_ptr<ProvisionService> _provisions;
    InquiryResender _resender;
    RetentionJob _retention;
    Poco::Thread _thread;
    std::atomic<bool> _stopping{false};
    Poco::Int64 _nextRefresh = 0;
    Poco::Int64 _nextExpiry = 0;
    Counter& _outboxSent;
    Counter& _outboxRetried;
    Counter& _outboxFailed;
};

} // namespace chukan
