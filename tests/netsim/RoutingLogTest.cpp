// RoutingLogTest: the routing log line's exact form, escaping that keeps one entry on one valid JSON line, counts.
#include "tests/netsim/RoutingLog.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class RoutingLogTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RoutingLogTest);
    CPPUNIT_TEST(testLineForm);
    CPPUNIT_TEST(testEscaping);
    CPPUNIT_TEST_SUITE_END();

public:
    static RoutingLog::Entry entry()
    {
        RoutingLog::Entry e;
        e.timeMicros = 1764633925210123; // 2025-12-02T00:05:25.210123Z
        e.messageId = "IQ-S-000042";
        e.kind = "deliver:Inquiry";
        e.from = "1210020000000000";
        e.to = "3520630000000000";
        e.permitId = "PMT-abc_-";
        e.outcome = "delivered";
        e.bytes = 1767;
        return e;
    }

    void testLineForm()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("{\"time\":\"2025-12-02T00:05:25.210Z\",\"messageId\":\"IQ-S-000042\","
                                         "\"kind\":\"deliver:Inquiry\",\"from\":\"1210020000000000\","
                                         "\"to\":\"3520630000000000\",\"permitId\":\"PMT-abc_-\","
                                         "\"outcome\":\"delivered\",\"bytes\":1767}"),
                             RoutingLog::toJson(entry()));
        RoutingLog::Entry path = entry();
        path.kind = "/ipn/v1/directory"; // slashes as they are
        CPPUNIT_ASSERT(RoutingLog::toJson(path).find("\"kind\":\"/ipn/v1/directory\"") != std::string::npos);
        RoutingLog::Entry timed = entry();
        timed.millis = 9012; // a delivery's duration, last
        CPPUNIT_ASSERT_EQUAL(RoutingLog::toJson(entry()).substr(0, RoutingLog::toJson(entry()).size() - 1) + ",\"ms\":9012}",
                             RoutingLog::toJson(timed));
        RoutingLog log("");
        log.write(entry());
        log.write(entry());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), log.count("deliver:Inquiry", "delivered"));
        CPPUNIT_ASSERT(log.snapshotJson().find(RoutingLog::toJson(entry())) != std::string::npos);
    }

    void testEscaping()
    {
        RoutingLog::Entry e = entry();
        e.messageId = "a\"b\\c\nd\x01";
        e.outcome = "refused 日本";
        std::string line = RoutingLog::toJson(e);
        CPPUNIT_ASSERT(line.find('\n') == std::string::npos);
        Poco::JSON::Object::Ptr o = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(e.messageId, o->getValue<std::string>("messageId"));
        CPPUNIT_ASSERT_EQUAL(e.outcome, o->getValue<std::string>("outcome"));
        CPPUNIT_ASSERT_EQUAL(1767, o->getValue<int>("bytes"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(8), o->size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RoutingLogTest);
