// IpnClientTest: the network client against an in-process HTTPS server — back-off retries with the same MessageId, final errors as values.
#include "tests/netsim/NetsimFixture.h"
#include "tests/netsim/SimHttpsServer.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace chukan;
using namespace chukan::netsim_test;

namespace
{

/// Answers the first `failures` requests with `failure`, then Ack; records every MessageId.
struct FakeNetwork
{
    std::mutex mutex;
    std::vector<std::string> messageIds;
    std::vector<std::string> bodies;
    int failures = 0;
    std::function<IpnSim::Reply(const IpnMessage&)> failure;
    std::function<IpnSim::Reply(const IpnMessage&)> success = [](const IpnMessage& m) {
        return IpnSim::Reply{200, "application/xml",
                             IpnMessage::ack(m.header, false, Poco::Timestamp()).toXml().value()};
    };
    std::unique_ptr<SimHttpsServer> server;

    FakeNetwork()
    {
        server = std::make_unique<SimHttpsServer>(
            [this](const IpnSim::Request& r) {
                if (r.method == "GET")
                    return IpnSim::Reply{200, "application/json", "{\"signed\":true}"};
                IpnMessage m = IpnMessage::parse(r.body, *ipnParser()).value();
                std::lock_guard<std::mutex> lock(mutex);
                messageIds.push_back(m.header.messageId);
                bodies.push_back(r.body);
                if (failures > 0)
                {
                    --failures;
                    return failure(m);
                }
                return success(m);
            },
            serverTls("network/server"), "127.0.0.1", 0);
    }
    std::string url() const { return server->baseUrl() + "/ipn/v1/inquiries"; }
    std::size_t calls()
    {
        std::lock_guard<std::mutex> lock(mutex);
        return messageIds.size();
    }
};

IpnSim::Reply plain503(const IpnMessage&) { return IpnSim::Reply{503, "text/plain", "busy\n"}; }

IpnSim::Reply typed(const IpnMessage& m, IpnErrorCode code)
{
    IpnMessage e = IpnMessage::error(m.header, code, "test", Poco::Timestamp());
    return IpnSim::Reply{IpnErrorCodes::httpStatus(code), "application/xml", e.toXml().value()};
}

struct Client
{
    std::vector<std::chrono::milliseconds> sleeps;
    std::mutex mutex;
    std::unique_ptr<IpnClient> client;

    explicit Client(int maxAttempts = 5, double jitter = 0.5)
    {
        IpnClient::Options o;
        o.tls = clientTls("121002/client");
        o.parser = ipnParser();
        o.maxAttempts = maxAttempts;
        o.timeout = std::chrono::milliseconds(5000);
        o.sleep = [this](std::chrono::milliseconds d) {
            std::lock_guard<std::mutex> lock(mutex);
            sleeps.push_back(d);
        };
        o.jitter = [jitter] { return jitter; };
        o.clock = std::make_shared<ManualClock>();
        client = std::make_unique<IpnClient>(o);
    }
};

IpnMessage inquiry()
{
    IpnMessage m;
    m.kind = IpnMessage::Kind::Inquiry;
    m.header = header(CHIBA);
    m.serial = "S-1";
    m.permitId = "PMT-00000001";
    m.signedPermit = "{}";
    return m;
}

} // namespace

class IpnClientTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(IpnClientTest);
    CPPUNIT_TEST(testRetriesOn503ThenSucceedsWithSameMessageId);
    CPPUNIT_TEST(testUnavailableTypedErrorRetried);
    CPPUNIT_TEST(testFinalTypedErrorNotRetried);
    CPPUNIT_TEST(testGivesUpAfterMaxAttempts);
    CPPUNIT_TEST(testConnectionRefusedRetried);
    CPPUNIT_TEST(testNotAnIpnReplyIsFinal);
    CPPUNIT_TEST(testBackoffDoublesWithJitterAndCap);
    CPPUNIT_TEST(testConcurrentPostsShareThePool);
    CPPUNIT_TEST(testGet);
    CPPUNIT_TEST(testPostXmlSendsTheBytesAsGiven);
    CPPUNIT_TEST_SUITE_END();

public:
    /// postXml (a stored outbox message): the exact bytes go out, on every attempt, and the
    /// reply is parsed and validated as post()'s is.
    void testPostXmlSendsTheBytesAsGiven()
    {
        FakeNetwork net;
        net.failures = 1;
        net.failure = plain503;
        Client c;
        IpnMessage m = inquiry();
        std::string xml = m.toXml().value();
        xml.insert(xml.find("<Inquiry"), "<!-- stored as written -->\n"); // a re-serialisation would drop it
        Result<IpnMessage> r = c.client->postXml(net.url(), xml);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT(r->kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(m.header.messageId, r->header.inReplyTo);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), net.calls());
        for (const std::string& body : net.bodies)
            CPPUNIT_ASSERT_EQUAL(xml, body);

        net.success = [](const IpnMessage&) { return IpnSim::Reply{200, "application/xml", "<Ack/>"}; };
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, c.client->postXml(net.url(), xml).status().code());
    }

    void testRetriesOn503ThenSucceedsWithSameMessageId()
    {
        FakeNetwork net;
        net.failures = 2;
        net.failure = plain503;
        Client c;
        IpnMessage m = inquiry();
        Result<IpnMessage> r = c.client->post(net.url(), m);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT(r->kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(m.header.messageId, r->header.inReplyTo);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), net.calls());
        for (const std::string& id : net.messageIds)
            CPPUNIT_ASSERT_EQUAL(m.header.messageId, id);
        // 200 ms then 400 ms, each jittered into [d/2, d] (jitter 0.5 -> 3/4 d).
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), c.sleeps.size());
        CPPUNIT_ASSERT_EQUAL(150L, static_cast<long>(c.sleeps[0].count()));
        CPPUNIT_ASSERT_EQUAL(300L, static_cast<long>(c.sleeps[1].count()));
    }

    void testUnavailableTypedErrorRetried()
    {
        FakeNetwork net;
        net.failures = 1;
        net.failure = [](const IpnMessage& m) { return typed(m, IpnErrorCode::UNAVAILABLE); };
        Client c;
        Result<IpnMessage> r = c.client->post(net.url(), inquiry());
        CPPUNIT_ASSERT(r.isOk());
        CPPUNIT_ASSERT(r->kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), net.calls());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), c.sleeps.size());
    }

    void testFinalTypedErrorNotRetried()
    {
        FakeNetwork net;
        net.failures = 1;
        net.failure = [](const IpnMessage& m) { return typed(m, IpnErrorCode::NOT_PERMITTED); };
        Client c;
        Result<IpnMessage> r = c.client->post(net.url(), inquiry());
        CPPUNIT_ASSERT(r.isOk()); // a typed error is a value
        CPPUNIT_ASSERT(r->isError(IpnErrorCode::NOT_PERMITTED));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), net.calls());
        CPPUNIT_ASSERT(c.sleeps.empty());
    }

    void testGivesUpAfterMaxAttempts()
    {
        FakeNetwork net;
        net.failures = 100;
        net.failure = plain503;
        Client c(3);
        Result<IpnMessage> r = c.client->post(net.url(), inquiry());
        CPPUNIT_ASSERT_EQUAL(Status::UNAVAILABLE, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("HTTP 503") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), net.calls());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), c.sleeps.size());
    }

    void testConnectionRefusedRetried()
    {
        std::string url;
        {
            FakeNetwork gone;
            url = gone.url();
        } // stopped: nothing listens on that port now
        Client c(4);
        Result<IpnMessage> r = c.client->post(url, inquiry());
        CPPUNIT_ASSERT_EQUAL(Status::UNAVAILABLE, r.status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), c.sleeps.size());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), c.client->attempts());
    }

    void testNotAnIpnReplyIsFinal()
    {
        FakeNetwork net;
        net.success = [](const IpnMessage&) { return IpnSim::Reply{200, "text/plain", "hello"}; };
        Client c;
        Result<IpnMessage> r = c.client->post(net.url(), inquiry());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, r.status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), net.calls());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             c.client->post("http://127.0.0.1:1/x", inquiry()).status().code());
    }

    void testBackoffDoublesWithJitterAndCap()
    {
        Client low(5, 0.0), high(5, 0.999999);
        CPPUNIT_ASSERT_EQUAL(100L, static_cast<long>(low.client->backoff(1).count()));
        CPPUNIT_ASSERT_EQUAL(200L, static_cast<long>(low.client->backoff(2).count()));
        CPPUNIT_ASSERT_EQUAL(400L, static_cast<long>(low.client->backoff(3).count()));
        CPPUNIT_ASSERT_EQUAL(199L, static_cast<long>(high.client->backoff(1).count()));
        CPPUNIT_ASSERT_EQUAL(799L, static_cast<long>(high.client->backoff(3).count()));
        // Capped at maxDelay (10 s): [5 s, 10 s].
        CPPUNIT_ASSERT_EQUAL(5000L, static_cast<long>(low.client->backoff(30).count()));
        CPPUNIT_ASSERT_EQUAL(9999L, static_cast<long>(high.client->backoff(30).count()));
    }

    void testConcurrentPostsShareThePool()
    {
        FakeNetwork net;
        Client c;
        std::atomic<int> ok{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 5; ++i)
                    if (c.client->post(net.url(), inquiry()).isOk())
                        ++ok;
            });
        for (std::thread& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(40, ok.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(40), net.calls());
        CPPUNIT_ASSERT(c.sleeps.empty());
    }

    void testGet()
    {
        FakeNetwork net;
        Client c;
        Result<std::string> body = c.client->get(net.server->baseUrl() + "/ipn/v1/directory");
        CPPUNIT_ASSERT_MESSAGE(body.status().toString(), body.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("{\"signed\":true}"), body.value());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(IpnClientTest);
