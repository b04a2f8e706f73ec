// ExchangeSignals: in-process wake-ups of an exchange — "work for the worker" and "inquiry finished" for ?wait.
#pragma once

#include <Poco/Event.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chukan {

/// Signals only speed things up: every waiter also re-checks the store on a bounded period, so
/// a lost signal (or work done by another node sharing the store) costs latency, never
/// correctness. Thread-safety: every method may be called from any thread.
class ExchangeSignals
{
public:
    using Waiter = std::shared_ptr<Poco::Event>;

    /// There is work for the worker (an inquiry queued, an outbox row written, a send done).
    void wakeWorker();
    /// Waits up to `milliseconds` for wakeWorker(); true if woken. Several wake-ups before the
    /// wait count as one.
    bool waitForWork(long milliseconds);

    /// Registers interest in the inquiry `serial` of `tenant`; call before reading its state,
    /// so that a finish between the read and the wait is not missed. Pair with unsubscribe().
    Waiter subscribe(const std::string& tenant, const std::string& serial);
    void unsubscribe(const std::string& tenant, const std::string& serial, const Waiter& waiter);
    /// The inquiry reached a final state (or changed): every subscribed waiter wakes.
    void finished(const std::string& tenant, const std::string& serial);
    /// Subscriptions currently held (tests and metrics).
    std::size_t subscribed() const;

private:
    static std::string key(const std::string& tenant, const std::string& serial) { return tenant + "/" + serial; }

    Poco::Event _work{Poco::Event::EVENT_AUTORESET};
    mutable std::mutex _mutex;
    std::map<std::string, std::vector<Waiter>> _waiters;
};

} // namespace chukan
