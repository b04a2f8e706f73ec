// ExchangeSignals: an auto-reset event for the worker and per-inquiry events for the requests waiting on them.
#include "gateway/ExchangeSignals.h"

#include <algorithm>

namespace chukan {

void ExchangeSignals::wakeWorker()
{
    _work.set();
}

bool ExchangeSignals::waitForWork(long milliseconds)
{
    return _work.tryWait(milliseconds);
}

ExchangeSignals::Waiter ExchangeSignals::subscribe(const std::string& tenant, const std::string& serial)
{
    Waiter w = std::make_shared<Poco::Event>(Poco::Event::EVENT_AUTORESET);
    std::lock_guard<std::mutex> lock(_mutex);
    _waiters[key(tenant, serial)].push_back(w);
    return w;
}

void ExchangeSignals::unsubscribe(const std::string& tenant, const std::string& serial, const Waiter& waiter)
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _waiters.find(key(tenant, serial));
    if (it == _waiters.end())
        return;
    it->second.erase(std::remove(it->second.begin(), it->second.end(), waiter), it->second.end());
    if (it->second.empty())
        _waiters.erase(it);
}

void ExchangeSignals::finished(const std::string& tenant, const std::string& serial)
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _waiters.find(key(tenant, serial));
    if (it == _waiters.end())
        return;
    for (const Waiter& w : it->second)
        w->set();
}

std::size_t ExchangeSignals::subscribed() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    std::size_t n = 0;
    for (const auto& entry : _waiters)
        n += entry.second.size();
    return n;
}

} // namespace chukan
