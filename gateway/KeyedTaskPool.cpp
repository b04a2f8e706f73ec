// KeyedTaskPool: std::thread workers over one deque; the key set dedups work listed twice before it is done.
#include "gateway/KeyedTaskPool.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

namespace chukan {

KeyedTaskPool::KeyedTaskPool(std::string name, int threads) : _name(std::move(name)), _threads(std::max(1, threads))
{
}

KeyedTaskPool::~KeyedTaskPool()
{
    stop();
}

void KeyedTaskPool::start()
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_running)
        return;
    _running = true;
    for (int i = 0; i < _threads; ++i)
        _workers.emplace_back([this] { loop(); });
}

void KeyedTaskPool::stop()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (!_running)
            return;
        _running = false;
        for (const auto& queued : _queue)
            _keys.erase(queued.first);
        _queue.clear();
    }
    _ready.notify_all();
    for (std::thread& t : _workers)
        t.join();
    _workers.clear();
}

bool KeyedTaskPool::running() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _running;
}

bool KeyedTaskPool::submit(const std::string& key, std::function<void()> task)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (!_running || !_keys.insert(key).second)
            return false;
        _queue.emplace_back(key, std::move(task));
    }
    _ready.notify_one();
    return true;
}

std::size_t KeyedTaskPool::pending() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _keys.size();
}

void KeyedTaskPool::loop()
{
    for (;;)
    {
        std::pair<std::string, std::function<void()>> item;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            _ready.wait(lock, [this] { return !_running || !_queue.empty(); });
            if (!_running)
                return;
            item = std::move(_queue.front());
            _queue.pop_front();
        }
        try
        {
            item.second();
        }
        catch (const Poco::Exception& e)
        {
            Poco::Logger::get("chukan.worker").error("%s task %s failed: %s", _name, item.first, e.displayText());
        }
        catch (const std::exception& e)
        {
            Poco::Logger::get("chukan.worker").error("%s task %s failed: %s", _name, item.first, std::string(e.what()));
        }
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _keys.erase(item.first);
        }
        if (_onDone)
            _onDone();
    }
}

} // namespace chukan
