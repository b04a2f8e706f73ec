// ReadinessProbeTest: ready only with the store at the known schema and the network answering;
// the network check cached per period (ManualClock), named in the report; a real TCP check.
#include "gateway/ReadinessProbe.h"
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <Poco/Net/ServerSocket.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class ReadinessProbeTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReadinessProbeTest);
    CPPUNIT_TEST(testReady);
    CPPUNIT_TEST(testNetworkDown);
    CPPUNIT_TEST(testNetworkCheckCached);
    CPPUNIT_TEST(testNetworkNotConfigured);
    CPPUNIT_TEST(testSchemaNotMigrated);
    CPPUNIT_TEST(testTcpConnect);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        _clock = std::make_shared<ManualClock>();
        _calls = 0;
        _down = false;
    }
    void tearDown() override { _store.reset(); }

    void testReady()
    {
        migrate();
        ReadinessProbe probe(_store->db(), _clock, fake());
        ReadinessReport r = probe.check();
        CPPUNIT_ASSERT(r.ready);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), r.store.state);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), r.network.state);
        CPPUNIT_ASSERT_EQUAL(Migrator(_store->db()).knownVersion(), r.schemaVersion);
        std::string json = r.toJson("node-1");
        CPPUNIT_ASSERT(json.find("\"status\":\"ok\"") != std::string::npos);
        CPPUNIT_ASSERT(json.find("\"checks\":{") != std::string::npos);
        CPPUNIT_ASSERT(json.find("\"network\":{\"state\":\"ok\"}") != std::string::npos);
        CPPUNIT_ASSERT(json.find("\"node\":\"node-1\"") != std::string::npos);
    }

    void testNetworkDown()
    {
        migrate();
        _down = true;
        ReadinessProbe probe(_store->db(), _clock, fake());
        ReadinessReport r = probe.check();
        CPPUNIT_ASSERT(!r.ready);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), r.store.state);
        CPPUNIT_ASSERT_EQUAL(std::string("unreachable"), r.network.state);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:9: Connection refused"), r.network.detail);
        std::string json = r.toJson("node-1");
        CPPUNIT_ASSERT(json.find("\"status\":\"unavailable\"") != std::string::npos);
        CPPUNIT_ASSERT(json.find("\"network\":{\"detail\":\"127.0.0.1:9: Connection refused\","
                                 "\"state\":\"unreachable\"}") != std::string::npos ||
                       json.find("\"network\":{\"state\":\"unreachable\",\"detail\":\"127.0.0.1:9: "
                                 "Connection refused\"}") != std::string::npos);
    }

    void testNetworkCheckCached()
    {
        migrate();
        ReadinessProbe probe(_store->db(), _clock, fake(), std::chrono::seconds(5));
        for (int i = 0; i < 20; ++i)
            CPPUNIT_ASSERT(probe.check().ready);
        CPPUNIT_ASSERT_EQUAL(1, _calls); // a flood of probes: one check
        _down = true;
        _clock->advanceSeconds(4);
        CPPUNIT_ASSERT(probe.check().ready); // still the cached answer
        CPPUNIT_ASSERT_EQUAL(1, _calls);
        _clock->advanceSeconds(1);
        CPPUNIT_ASSERT(!probe.check().ready); // the period is over: checked again
        CPPUNIT_ASSERT_EQUAL(2, _calls);
        _down = false;
        _clock->advanceSeconds(5);
        CPPUNIT_ASSERT(probe.check().ready);
        CPPUNIT_ASSERT_EQUAL(3, _calls);
        _clock->set(_clock->nowMicros() - 3600LL * 1000000); // the clock went back: check again
        CPPUNIT_ASSERT(probe.check().ready);
        CPPUNIT_ASSERT_EQUAL(4, _calls);
    }

    void testNetworkNotConfigured()
    {
        migrate();
        ReadinessProbe probe(_store->db(), _clock, ReadinessProbe::NetworkCheck());
        ReadinessReport r = probe.check();
        CPPUNIT_ASSERT(r.ready);
        CPPUNIT_ASSERT_EQUAL(std::string("not_configured"), r.network.state);
    }

    void testSchemaNotMigrated()
    {
        ReadinessProbe probe(_store->db(), _clock, fake());
        ReadinessReport r = probe.check();
        CPPUNIT_ASSERT(!r.ready);
        CPPUNIT_ASSERT(r.store.state != "ok");
        CPPUNIT_ASSERT(r.toJson("n").find("\"store\":{") != std::string::npos);
    }

    void testTcpConnect()
    {
        Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
        unsigned short port = listener.address().port();
        ReadinessProbe::NetworkCheck check = ReadinessProbe::tcpConnect(
            "https://127.0.0.1:" + std::to_string(port) + "/", std::chrono::milliseconds(1000));
        Status up = check();
        CPPUNIT_ASSERT_MESSAGE(up.toString(), up.isOk());
        listener.close();
        Status down = check();
        CPPUNIT_ASSERT_EQUAL(Status::UNAVAILABLE, down.code());
        CPPUNIT_ASSERT(down.message().find("127.0.0.1:" + std::to_string(port)) == 0);
        CPPUNIT_ASSERT_EQUAL(
            Status::INVALID_ARGUMENT,
            ReadinessProbe::tcpConnect("https:///nohost", std::chrono::milliseconds(100))().code());
    }

private:
    void migrate() { CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk()); }

    ReadinessProbe::NetworkCheck fake()
    {
        return [this]()
        {
            ++_calls;
            return _down ? Status::unavailable("127.0.0.1:9: Connection refused") : Status::ok();
        };
    }

    std::unique_ptr<test::TestStore> _store;
    std::shared_ptr<ManualClock> _clock;
    int _calls = 0;
    bool _down = false;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReadinessProbeTest);
