// SimDeliverer: ipn-sim's asynchronous forwarding of inquiries and responses to institutions, with faults and retries.
#pragma once

#include "codecs/IpnMessage.h"
#include "tests/netsim/SimFaults.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace chukan
{

class IpnClient;

/// The network accepts a message (Ack to the sender) and then delivers it here, on worker
/// threads, through an IpnClient (which retries with back-off and the same MessageId).
/// Workers sleep on a condition variable and wake when an item is enqueued. A worker takes the
/// oldest queued item whose destination (scheme://host:port of its URL) has fewer than
/// `perDestination` deliveries in flight, so a receiver that is slow or not answering holds at
/// most that many workers while deliveries to other institutions go on; items to one
/// destination start in the order they were enqueued.
/// Faults consumed per delivery: delayMs (wait first), dropNext (log "dropped", send nothing),
/// duplicateNext (send twice), reorder (hold this one; send it after the next one finished).
/// Outcomes reported: "delivered" (the receiver answered Ack), "dropped", "refused" (a typed
/// Error; the message names the code), "undeliverable" (retries spent).
/// Thread-safety: enqueue() from any thread; the destructor stops and joins the workers.
class SimDeliverer
{
public:
    struct Item
    {
        std::string url; ///< {endpoint}/ipn-in/v1/inquiries or …/responses
        IpnMessage message;
        std::string permitId;
    };
    /// (item, outcome, detail, milliseconds the send took including IpnClient's retries; -1 when
    /// nothing was sent)
    using Report = std::function<void(const Item&, const std::string&, const std::string&, long long)>;
    /// Sends one item; returns the reply or a transport status (IpnClient::post in production).
    using Send = std::function<Result<IpnMessage>(const Item&)>;
    /// Sends items to one URL as one message (a Batch to the endpoint's /ipn-in/v1/batch); reply
    /// n answers item n, a transport failure is every item's answer.
    using SendBatch = std::function<std::vector<Result<IpnMessage>>(const std::vector<Item>&)>;

    /// perDestination <= 0: half the threads (at least 1).
    SimDeliverer(Send send, std::shared_ptr<SimFaults> faults, Report report, int threads = 16,
                 int perDestination = 0);
    ~SimDeliverer();

    /// With `sendBatch` set, a worker that starts a delivery also takes the jobs queued behind it
    /// for the same URL, up to `maxItems` in all, and sends them as one message (one delivery in
    /// flight for the lane) — but only while no delay, drop or duplicate fault is set, and never
    /// a reordered pair. A destination that answers a Batch with something that is not a protocol
    /// message (CORRUPTION: an older gateway's 404) gets those items and all later ones one by
    /// one. Call before the first enqueue().
    void batchWith(SendBatch sendBatch, int maxItems);

    void enqueue(Item item);
    /// Sends `first`, then `then`, on one worker in that order (no reorder fault applies).
    void enqueuePair(Item first, Item then);
    /// Sends a held (reordered) item now, if any.
    void flushHeld();
    /// Blocks until the queue is empty and no worker is busy, or `timeoutMs` passed.
    bool waitIdle(int timeoutMs);

    /// "https://host:port" of a delivery URL (the whole URL if it has no path).
    static std::string destinationOf(const std::string& url);
    int threads() const { return static_cast<int>(_workers.size()); }
    int perDestination() const { return _perDestination; }

private:
    struct Job
    {
        Item item;
        std::optional<Item> then; ///< a held item to send after this one
        std::string destination;  ///< destinationOf(item.url), worked out once, outside the lock
        std::uint64_t order = 0;  ///< enqueue order across destinations
    };
    /// The jobs queued for one destination, oldest first, and its deliveries in progress.
    struct Lane
    {
        std::deque<Job> jobs;
        int inFlight = 0;
    };
    static Job makeJob(Item item, std::optional<Item> then);
    void run();
    void deliver(const Item& item);
    void deliverBatch(const std::vector<Item>& items);
    /// Reports what `reply` means for `item`.
    void reportReply(const Item& item, const Result<IpnMessage>& reply, long long took);
    /// Queues `job` on its destination's lane. REQUIRES: _mutex held.
    void push(Job job);
    /// The lane whose oldest job is the oldest of all lanes below their limit, or end(): one
    /// look per destination, not per queued job. REQUIRES: _mutex held.
    std::map<std::string, Lane>::iterator nextStartable();

    Send _send;
    SendBatch _sendBatch;
    int _batchItems = 1;
    std::set<std::string> _noBatches; ///< destinations that answered a Batch with something not ipn (404)
    std::shared_ptr<SimFaults> _faults;
    Report _report;
    std::mutex _mutex;
    std::condition_variable _wake;
    std::condition_variable _idle;
    std::map<std::string, Lane> _lanes; ///< by destination; a lane goes when empty and idle
    std::size_t _queued = 0;            ///< jobs in all lanes
    std::uint64_t _order = 0;           ///< next Job::order
    std::optional<Item> _held;
    int _busy = 0;
    int _perDestination = 1;
    bool _stop = false;
    std::vector<std::thread> _workers;
};

} // namespace chukan
