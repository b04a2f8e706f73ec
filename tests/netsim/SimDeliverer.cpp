// SimDeliverer: a worker pool over a FIFO queue with a per-destination limit, applying the forwarding faults.
#include "tests/netsim/SimDeliverer.h"

#include <algorithm>
#include <chrono>

namespace chukan
{

SimDeliverer::SimDeliverer(Send send, std::shared_ptr<SimFaults> faults, Report report,
                           int threads, int perDestination)
    : _send(std::move(send)), _faults(std::move(faults)), _report(std::move(report))
{
    threads = std::max(1, threads);
    _perDestination = perDestination > 0 ? std::min(perDestination, threads) : std::max(1, threads / 2);
    for (int i = 0; i < threads; ++i)
        _workers.emplace_back([this] { run(); });
}

std::string SimDeliverer::destinationOf(const std::string& url)
{
    std::size_t scheme = url.find("://");
    std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return path == std::string::npos ? url : url.substr(0, path);
}

SimDeliverer::Job SimDeliverer::makeJob(Item item, std::optional<Item> then)
{
    Job job{std::move(item), std::move(then), std::string(), 0};
    job.destination = destinationOf(job.item.url);
    return job;
}

void SimDeliverer::push(Job job)
{
    job.order = _order++;
    std::string destination = job.destination;
    _lanes[destination].jobs.push_back(std::move(job));
    ++_queued;
}

std::map<std::string, SimDeliverer::Lane>::iterator SimDeliverer::nextStartable()
{
    auto best = _lanes.end();
    if (_queued == 0)
        return best;
    for (auto it = _lanes.begin(); it != _lanes.end(); ++it)
        if (!it->second.jobs.empty() && it->second.inFlight < _perDestination &&
            (best == _lanes.end() || it->second.jobs.front().order < best->second.jobs.front().order))
            best = it;
    return best;
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

void SimDeliverer::batchWith(SendBatch sendBatch, int maxItems)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _sendBatch = std::move(sendBatch);
    _batchItems = std::max(1, maxItems);
}

void SimDeliverer::enqueue(Item item)
{
    std::string destination = destinationOf(item.url);
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (!_held && _faults->takeReorder())
        {
            _held = std::move(item);
            _report(*_held, "held", "reorder: sent after the next delivery", -1);
            return;
        }
        Job job{std::move(item), std::move(_held), std::move(destination), 0};
        _held.reset();
        push(std::move(job));
    }
    _wake.notify_one();
}

void SimDeliverer::enqueuePair(Item first, Item then)
{
    Job job = makeJob(std::move(first), std::move(then));
    {
        std::lock_guard<std::mutex> lock(_mutex);
        push(std::move(job));
    }
    _wake.notify_one();
}

void SimDeliverer::flushHeld()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (!_held)
            return;
        push(makeJob(std::move(*_held), std::nullopt));
        _held.reset();
    }
    _wake.notify_one();
}

bool SimDeliverer::waitIdle(int timeoutMs)
{
    std::unique_lock<std::mutex> lock(_mutex);
    return _idle.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                          [this] { return _queued == 0 && _busy == 0; });
}

void SimDeliverer::run()
{
    std::vector<Item> batch;
    for (;;)
    {
        Job job;
        std::string destination;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            std::map<std::string, Lane>::iterator next;
            _wake.wait(lock, [&] { return _stop || (next = nextStartable()) != _lanes.end(); });
            if (_stop)
                return;
            job = std::move(next->second.jobs.front());
            next->second.jobs.pop_front();
            --_queued;
            destination = job.destination;
            ++next->second.inFlight;
            ++_busy;
            // The jobs right behind it for the same URL go along, in order, as one message.
            std::deque<Job>& lane = next->second.jobs;
            if (_sendBatch && !job.then && !lane.empty() && !_noBatches.count(destination) &&
                _faults->plainForwards())
            {
                batch.push_back(std::move(job.item));
                while (!lane.empty() && int(batch.size()) < _batchItems && !lane.front().then &&
                       lane.front().item.url == batch.front().url)
                {
                    batch.push_back(std::move(lane.front().item));
                    lane.pop_front();
                    --_queued;
                }
            }
        }
        if (batch.size() > 1)
            deliverBatch(batch);
        else if (batch.size() == 1)
            deliver(batch.front());
        else
            deliver(job.item);
        batch.clear();
        if (job.then)
            deliver(*job.then);
        bool queued = false;
        {
            std::lock_guard<std::mutex> lock(_mutex);
            --_busy;
            auto lane = _lanes.find(destination);
            if (--lane->second.inFlight == 0 && lane->second.jobs.empty())
                _lanes.erase(lane);
            queued = _queued != 0;
        }
        // This worker takes the job the freed slot allows (its wait checks first); one more
        // wake-up as insurance, never all sixteen (each costs a context switch).
        if (queued)
            _wake.notify_one();
        _idle.notify_all();
    }
}

void SimDeliverer::deliver(const Item& item)
{
    if (int d = _faults->delayMs())
        std::this_thread::sleep_for(std::chrono::milliseconds(d));
    if (_faults->takeDrop())
    {
        _report(item, "dropped", "fault dropNext", -1);
        return;
    }
    int times = _faults->takeDuplicate() ? 2 : 1;
    for (int i = 0; i < times; ++i)
    {
        auto start = std::chrono::steady_clock::now();
        Result<IpnMessage> reply = _send(item);
        reportReply(item, reply,
                    std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                        .count());
    }
}

void SimDeliverer::deliverBatch(const std::vector<Item>& items)
{
    auto start = std::chrono::steady_clock::now();
    std::vector<Result<IpnMessage>> replies = _sendBatch(items);
    long long took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    // A receiver that does not take batches (an older gateway: 404, not a protocol reply) gets
    // the items one by one, now and from then on.
    if (!replies.empty() && !replies.front() && replies.front().status().code() == Status::CORRUPTION)
    {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _noBatches.insert(destinationOf(items.front().url));
        }
        for (const Item& item : items)
            deliver(item);
        return;
    }
    for (std::size_t i = 0; i < items.size(); ++i)
        reportReply(items[i], i < replies.size() ? replies[i] : Result<IpnMessage>(Status::internal("no reply")),
                    took);
}

void SimDeliverer::reportReply(const Item& item, const Result<IpnMessage>& reply, long long took)
{
    if (!reply)
        _report(item, "undeliverable", reply.status().toString(), took);
    else if (reply->kind == IpnMessage::Kind::Error)
        _report(item, "refused", std::string(IpnErrorCodes::name(reply->errorCode)) + ": " + reply->errorMessage,
                took);
    else if (reply->kind != IpnMessage::Kind::Ack)
        _report(item, "refused", std::string("unexpected reply ") + IpnMessage::kindName(reply->kind), took);
    else
        _report(item, reply->duplicate ? "delivered-duplicate" : "delivered", "", took);
}

} // namespace chukan
