// SimDelivererTest: deliveries start at once on enqueue, a stuck receiver holds at most its share of workers, order per destination.
#include "tests/netsim/SimDeliverer.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

using namespace chukan;

namespace
{

/// A fake receiver: deliveries to "https://stuck:1" block until released; others answer Ack at once.
class Receivers
{
public:
    Result<IpnMessage> send(const SimDeliverer::Item& item)
    {
        std::unique_lock<std::mutex> lock(_mutex);
        _started.push_back(item.message.header.messageId);
        if (SimDeliverer::destinationOf(item.url) == "https://stuck:1")
        {
            ++_stuckNow;
            _maxStuck = std::max(_maxStuck, _stuckNow);
            _changed.notify_all();
            _changed.wait(lock, [this] { return _released; });
            --_stuckNow;
        }
        IpnMessage ack;
        ack.kind = IpnMessage::Kind::Ack;
        return ack;
    }

    void release()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _released = true;
        _changed.notify_all();
    }

    bool waitStuck(int n)
    {
        std::unique_lock<std::mutex> lock(_mutex);
        return _changed.wait_for(lock, std::chrono::seconds(10), [&] { return _stuckNow >= n; });
    }

    int maxStuck()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _maxStuck;
    }

    std::vector<std::string> started()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _started;
    }

private:
    std::mutex _mutex;
    std::condition_variable _changed;
    bool _released = false;
    int _stuckNow = 0;
    int _maxStuck = 0;
    std::vector<std::string> _started;
};

SimDeliverer::Item item(const std::string& endpoint, const std::string& id)
{
    SimDeliverer::Item i;
    i.url = endpoint + "/ipn-in/v1/inquiries";
    i.message.kind = IpnMessage::Kind::Inquiry;
    i.message.header.messageId = id;
    i.permitId = "PMT-" + id;
    return i;
}

} // namespace

class SimDelivererTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SimDelivererTest);
    CPPUNIT_TEST(testDestinationOf);
    CPPUNIT_TEST(testStuckReceiverDoesNotBlockOthers);
    CPPUNIT_TEST(testOrderPerDestinationWithOneWorker);
    CPPUNIT_TEST(testOldestFirstAcrossDestinations);
    CPPUNIT_TEST(testDefaults);
    CPPUNIT_TEST(testDurationReportedForSends);
    CPPUNIT_TEST(testQueuedForOneUrlGoTogether);
    CPPUNIT_TEST(testReceiverWithoutBatchesGetsItemsAlone);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDestinationOf()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("https://127.0.0.1:8443"),
                             SimDeliverer::destinationOf("https://127.0.0.1:8443/ipn-in/v1/responses"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://a:1"), SimDeliverer::destinationOf("https://a:1"));
        CPPUNIT_ASSERT_EQUAL(std::string("x"), SimDeliverer::destinationOf("x/y"));
    }

    void testStuckReceiverDoesNotBlockOthers()
    {
        Receivers r;
        std::atomic<int> delivered{0};
        {
            SimDeliverer d([&](const SimDeliverer::Item& i) { return r.send(i); }, std::make_shared<SimFaults>(),
                           [&](const SimDeliverer::Item&, const std::string& outcome, const std::string&, long long) {
                               if (outcome == "delivered")
                                   ++delivered;
                           },
                           4, 2);
            CPPUNIT_ASSERT_EQUAL(2, d.perDestination());
            for (int i = 0; i < 6; ++i)
                d.enqueue(item("https://stuck:1", "S-" + std::to_string(i)));
            CPPUNIT_ASSERT(r.waitStuck(2));
            // Two workers are stuck; the other two deliver to everyone else meanwhile.
            for (int i = 0; i < 20; ++i)
                d.enqueue(item(i % 2 ? "https://a:1" : "https://b:2", "O-" + std::to_string(i)));
            auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (delivered.load() < 20 && std::chrono::steady_clock::now() < until)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            CPPUNIT_ASSERT_EQUAL(20, delivered.load());
            CPPUNIT_ASSERT_EQUAL(2, r.maxStuck()); // never more than its share
            CPPUNIT_ASSERT(!d.waitIdle(50));        // the stuck ones are still queued or in flight
            r.release();
            CPPUNIT_ASSERT(d.waitIdle(10000));
        }
        CPPUNIT_ASSERT_EQUAL(26, delivered.load());
        CPPUNIT_ASSERT_EQUAL(2, r.maxStuck());
    }

    void testOrderPerDestinationWithOneWorker()
    {
        Receivers r;
        SimDeliverer d([&](const SimDeliverer::Item& i) { return r.send(i); }, std::make_shared<SimFaults>(),
                       [](const SimDeliverer::Item&, const std::string&, const std::string&, long long) {}, 1);
        CPPUNIT_ASSERT_EQUAL(1, d.perDestination());
        for (int i = 0; i < 10; ++i)
            d.enqueue(item("https://a:1", std::to_string(i)));
        CPPUNIT_ASSERT(d.waitIdle(10000));
        std::vector<std::string> started = r.started();
        CPPUNIT_ASSERT_EQUAL(std::size_t(10), started.size());
        for (int i = 0; i < 10; ++i)
            CPPUNIT_ASSERT_EQUAL(std::to_string(i), started[static_cast<std::size_t>(i)]);
    }

    /// Queued per destination, taken oldest first over all of them: one worker starts the items
    /// in the order they were enqueued, whatever their destinations.
    void testOldestFirstAcrossDestinations()
    {
        Receivers r;
        SimDeliverer d([&](const SimDeliverer::Item& i) { return r.send(i); }, std::make_shared<SimFaults>(),
                       [](const SimDeliverer::Item&, const std::string&, const std::string&, long long) {}, 1);
        const std::vector<std::pair<std::string, std::string>> items = {
            {"https://a:1", "a0"}, {"https://b:1", "b0"}, {"https://a:1", "a1"}, {"https://c:1", "c0"},
            {"https://b:1", "b1"}, {"https://b:1", "b2"}, {"https://a:1", "a2"}, {"https://c:1", "c1"}};
        for (const auto& [url, id] : items)
            d.enqueue(item(url, id));
        CPPUNIT_ASSERT(d.waitIdle(10000));
        std::vector<std::string> started = r.started();
        CPPUNIT_ASSERT_EQUAL(items.size(), started.size());
        for (std::size_t i = 0; i < items.size(); ++i)
            CPPUNIT_ASSERT_EQUAL(items[i].second, started[i]);
        d.enqueue(item("https://d:1", "again")); // after every lane went idle
        CPPUNIT_ASSERT(d.waitIdle(10000));
        CPPUNIT_ASSERT_EQUAL(std::string("again"), r.started().back());
    }

    void testDurationReportedForSends()
    {
        std::mutex m;
        std::vector<std::pair<std::string, long long>> reports;
        auto faults = std::make_shared<SimFaults>();
        CPPUNIT_ASSERT(faults->apply("{\"dropNext\":1}", 0).isOk());
        SimDeliverer d([](const SimDeliverer::Item&) -> Result<IpnMessage> { return IpnMessage(); }, faults,
                       [&](const SimDeliverer::Item&, const std::string& outcome, const std::string&, long long ms) {
                           std::lock_guard<std::mutex> lock(m);
                           reports.emplace_back(outcome, ms);
                       },
                       1);
        d.enqueue(item("https://a:1", "dropped"));
        d.enqueue(item("https://a:1", "sent"));
        CPPUNIT_ASSERT(d.waitIdle(10000));
        std::lock_guard<std::mutex> lock(m);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), reports.size());
        CPPUNIT_ASSERT_EQUAL(std::string("dropped"), reports[0].first);
        CPPUNIT_ASSERT_EQUAL(-1LL, reports[0].second); // nothing was sent
        CPPUNIT_ASSERT_EQUAL(std::string("delivered"), reports[1].first);
        CPPUNIT_ASSERT(reports[1].second >= 0);
    }

    /// While the one worker is busy, items queue; then those for one URL leave as one batch (at
    /// most the batch size, in order), unless a delivery fault is set.
    void testQueuedForOneUrlGoTogether()
    {
        for (bool faulty : {false, true})
        {
            Receivers r;
            std::mutex m;
            std::vector<std::vector<std::string>> batches;
            std::vector<std::string> outcomes;
            auto faults = std::make_shared<SimFaults>();
            if (faulty)
                CPPUNIT_ASSERT(faults->apply("{\"delayMs\":1}", 0).isOk());
            SimDeliverer d([&](const SimDeliverer::Item& i) { return r.send(i); }, faults,
                           [&](const SimDeliverer::Item& i, const std::string& outcome, const std::string&, long long) {
                               std::lock_guard<std::mutex> lock(m);
                               outcomes.push_back(i.message.header.messageId + " " + outcome);
                           },
                           1);
            d.batchWith(
                [&](const std::vector<SimDeliverer::Item>& items) {
                    std::vector<std::string> ids;
                    std::vector<Result<IpnMessage>> replies;
                    for (const SimDeliverer::Item& i : items)
                    {
                        ids.push_back(i.message.header.messageId);
                        IpnMessage ack;
                        ack.kind = IpnMessage::Kind::Ack;
                        ack.duplicate = i.message.header.messageId == "a1";
                        replies.push_back(ack);
                    }
                    std::lock_guard<std::mutex> lock(m);
                    batches.push_back(ids);
                    return replies;
                },
                3);
            d.enqueue(item("https://stuck:1", "first")); // holds the only worker
            CPPUNIT_ASSERT(r.waitStuck(1));
            for (const char* id : {"a0", "a1", "a2", "a3", "a4"})
                d.enqueue(item("https://a:1", id));
            SimDeliverer::Item response = item("https://a:1", "r0");
            response.url = "https://a:1/ipn-in/v1/responses";
            d.enqueue(response);
            d.enqueue(item("https://b:1", "b0"));
            d.enqueue(item("https://b:1", "b1"));
            r.release();
            CPPUNIT_ASSERT(d.waitIdle(10000));
            std::lock_guard<std::mutex> lock(m);
            if (faulty)
            {
                CPPUNIT_ASSERT(batches.empty()); // each alone while a fault may apply
                CPPUNIT_ASSERT_EQUAL(std::size_t(9), r.started().size());
                continue;
            }
            const std::vector<std::vector<std::string>> expected = {{"a0", "a1", "a2"}, {"a3", "a4"}, {"b0", "b1"}};
            CPPUNIT_ASSERT(batches == expected);
            // r0 (another URL) went alone, once the a-inquiries ahead of it had gone.
            CPPUNIT_ASSERT(r.started() == (std::vector<std::string>{"first", "r0"}));
            CPPUNIT_ASSERT_EQUAL(std::size_t(9), outcomes.size());
            CPPUNIT_ASSERT(std::find(outcomes.begin(), outcomes.end(), "a1 delivered-duplicate") != outcomes.end());
            CPPUNIT_ASSERT(std::find(outcomes.begin(), outcomes.end(), "b1 delivered") != outcomes.end());
        }
    }

    /// An older gateway answers /ipn-in/v1/batch with a 404 (CORRUPTION: not a protocol reply):
    /// the items go one by one, and so does everything after to that destination.
    void testReceiverWithoutBatchesGetsItemsAlone()
    {
        Receivers r;
        std::atomic<int> batchCalls{0};
        std::atomic<int> delivered{0};
        SimDeliverer d([&](const SimDeliverer::Item& i) { return r.send(i); }, std::make_shared<SimFaults>(),
                       [&](const SimDeliverer::Item&, const std::string& outcome, const std::string&, long long) {
                           if (outcome == "delivered")
                               ++delivered;
                       },
                       1);
        d.batchWith(
            [&](const std::vector<SimDeliverer::Item>& items) {
                ++batchCalls;
                return std::vector<Result<IpnMessage>>(items.size(), Status::corruption("HTTP 404: not an ipn message"));
            },
            50);
        for (int round = 0; round < 2; ++round)
        {
            d.enqueue(item("https://stuck:1", "first" + std::to_string(round)));
            if (round == 0) // the three behind it queue, and are offered as one batch
                CPPUNIT_ASSERT(r.waitStuck(1));
            for (int i = 0; i < 3; ++i)
                d.enqueue(item("https://stuck:1", "s" + std::to_string(round) + std::to_string(i)));
            r.release();
            CPPUNIT_ASSERT(d.waitIdle(10000));
        }
        CPPUNIT_ASSERT_EQUAL(1, batchCalls.load()); // tried once, then never again
        CPPUNIT_ASSERT_EQUAL(8, delivered.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(8), r.started().size());
    }

    void testDefaults()
    {
        SimDeliverer d([](const SimDeliverer::Item&) -> Result<IpnMessage> { return IpnMessage(); },
                       std::make_shared<SimFaults>(), [](const SimDeliverer::Item&, const std::string&, const std::string&, long long) {});
        CPPUNIT_ASSERT_EQUAL(16, d.threads());
        CPPUNIT_ASSERT_EQUAL(8, d.perDestination());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SimDelivererTest);
