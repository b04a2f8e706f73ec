// SimDeliverer: a small worker pool over a FIFO queue, applying the forwarding faults.
#include "tests/netsim/SimDeliverer.h"

#include <chrono>

namespace chukan
{

SimDeliverer::SimDeliverer(Send send, std::shared_ptr<SimFaults> faults, Report report,
                           int threads)
    : _send(std::move(send)), _faults(std::move(faults)), _report(std::move(report))
{
    for (int i = 0; i < std::max(1, threads); ++i)
        _workers.emplace_back([this] { run(); });
}

SimDeliverer::~SimDeliverer()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stop = true;
    }
    _wake.notify_all();
    for (std::thread& t : _workers)
        t.join();
}

void SimDeliverer::enqueue(Item item)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (!_held && _faults->takeReorder())
        {
            _held = std::move(item);
            _report(*_held, "held", "reorder: sent after the next delivery");
            return;
        }
        Job job{std::move(item), std::move(_held)};
        _held.reset();
        _queue.push_back(std::move(job));
    }
    _wake.notify_one();
}

void SimDeliverer::enqueuePair(Item first, Item then)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _queue.push_back(Job{std::move(first), std::move(then)});
    }
    _wake.notify_one();
}

void SimDeliverer::flushHeld()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (!_held)
            return;
        _queue.push_back(Job{std::move(*_held), std::nullopt});
        _held.reset();
    }
    _wake.notify_one();
}

bool SimDeliverer::waitIdle(int timeoutMs)
{
    std::unique_lock<std::mutex> lock(_mutex);
    return _idle.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                          [this] { return _queue.empty() && _busy == 0; });
}

void SimDeliverer::run()
{
    for (;;)
    {
        Job job;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            _wake.wait(lock, [this] { return _stop || !_queue.empty(); });
            if (_stop)
                return;
            job = std::move(_queue.front());
            _queue.pop_front();
            ++_busy;
        }
        deliver(job.item);
        if (job.then)
            deliver(*job.then);
        {
            std::lock_guard<std::mutex> lock(_mutex);
            --_busy;
        }
        _idle.notify_all();
    }
}

void SimDeliverer::deliver(const Item& item)
{
    if (int d = _faults->delayMs())
        std::this_thread::sleep_for(std::chrono::milliseconds(d));
    if (_faults->takeDrop())
    {
        _report(item, "dropped", "fault dropNext");
        return;
    }
    int times = _faults->takeDuplicate() ? 2 : 1;
    for (int i = 0; i < times; ++i)
    {
        Result<IpnMessage> reply = _send(item);
        if (!reply)
            _report(item, "undeliverable", reply.status().toString());
        else if (reply->kind == IpnMessage::Kind::Error)
            _report(item, "refused",
                    std::string(IpnErrorCodes::name(reply->errorCode)) + ": " +
                        reply->errorMessage);
        else if (reply->kind != IpnMessage::Kind::Ack)
            _report(item, "refused", std::string("unexpected reply ") +
                                         IpnMessage::kindName(reply->kind));
        else
            _report(item, reply->duplicate ? "delivered-duplicate" : "delivered", "");
    }
}

} // namespace chukan
