// ReplyCache: map + FIFO eviction + in-flight claims under one mutex.
#include "tests/netsim/ReplyCache.h"

namespace chukan
{

std::optional<ReplyCache::Stored> ReplyCache::begin(const std::string& key)
{
    std::unique_lock<std::mutex> lock(_mutex);
    _done.wait(lock, [&] { return _inFlight.count(key) == 0; });
    auto it = _stored.find(key);
    if (it != _stored.end())
        return it->second;
    _inFlight.insert(key);
    return std::nullopt;
}

void ReplyCache::finish(const std::string& key, Stored stored)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _inFlight.erase(key);
        if (_stored.emplace(key, std::move(stored)).second)
        {
            _order.push_back(key);
            while (_order.size() > _capacity)
            {
                _stored.erase(_order.front());
                _order.pop_front();
            }
        }
    }
    _done.notify_all();
}

void ReplyCache::abandon(const std::string& key)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _inFlight.erase(key);
    }
    _done.notify_all();
}

std::size_t ReplyCache::size() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _stored.size();
}

} // namespace chukan
