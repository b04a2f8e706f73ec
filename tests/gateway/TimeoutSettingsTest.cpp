// TimeoutSettingsTest: the hold deadline (hours or seconds, not both), the inquiry resend timeout,
// the listener's keep-alive and the network call timeout are validated by key.
#include "gateway/Settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/FileStream.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Util/MapConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class TimeoutSettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TimeoutSettingsTest);
    CPPUNIT_TEST(testDefaults);
    CPPUNIT_TEST(testDeadlineInHoursOrSeconds);
    CPPUNIT_TEST(testDeadlineNotBoth);
    CPPUNIT_TEST(testBadValuesNameTheKey);
    CPPUNIT_TEST(testKeepAliveAndNetworkTimeout);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _config = new Poco::Util::MapConfiguration;
        _config->setString("chukan.data.dir", "/tmp/chukan-settings-test");
    }

    void testDefaults()
    {
        Settings s = load();
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(72 * 3600), s.holdDeadlineSeconds);
        CPPUNIT_ASSERT_EQUAL(300, s.inquiryResendSeconds);
    }

    void testDeadlineInHoursOrSeconds()
    {
        _config->setString("chukan.holds.deadlineHours", "24");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(24 * 3600), load().holdDeadlineSeconds);
        _config->remove("chukan.holds.deadlineHours");
        _config->setString("chukan.holds.deadlineSeconds", "3");
        _config->setString("chukan.inquiry.resendSeconds", "2");
        Settings s = load();
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), s.holdDeadlineSeconds);
        CPPUNIT_ASSERT_EQUAL(2, s.inquiryResendSeconds);
    }

    void testDeadlineNotBoth()
    {
        _config->setString("chukan.holds.deadlineHours", "24");
        _config->setString("chukan.holds.deadlineSeconds", "3");
        expectError("chukan.holds.deadlineSeconds: set either chukan.holds.deadlineHours or this "
                    "key, not both");
    }

    void testBadValuesNameTheKey()
    {
        _config->setString("chukan.holds.deadlineSeconds", "0");
        expectError("chukan.holds.deadlineSeconds: must be between 1 and");
        _config->setString("chukan.holds.deadlineSeconds", "soon");
        expectError("chukan.holds.deadlineSeconds: must be an integer, got 'soon'");
        _config->remove("chukan.holds.deadlineSeconds");
        _config->setString("chukan.inquiry.resendSeconds", "-5");
        expectError("chukan.inquiry.resendSeconds: must be between 1 and 86400");
    }

    void testKeepAliveAndNetworkTimeout()
    {
        Poco::TemporaryFile ca;
        Poco::FileOutputStream(ca.path()) << "not read here\n";
        _config->setString("chukan.network.url", "https://127.0.0.1:9");
        _config->setString("chukan.network.caFile", ca.path());
        _config->setString("chukan.network.trustAnchor", ca.path());
        Settings s = load();
        CPPUNIT_ASSERT_EQUAL(10, s.httpKeepAliveSeconds);
        CPPUNIT_ASSERT_EQUAL(10, s.networkTimeoutSeconds);
        _config->setString("chukan.http.keepAliveSeconds", "600");
        _config->setString("chukan.network.timeoutSeconds", "120");
        s = load();
        CPPUNIT_ASSERT_EQUAL(600, s.httpKeepAliveSeconds);
        CPPUNIT_ASSERT_EQUAL(120, s.networkTimeoutSeconds);
        _config->setString("chukan.http.keepAliveSeconds", "0");
        expectError("chukan.http.keepAliveSeconds: must be between 1 and 3600");
        _config->setString("chukan.http.keepAliveSeconds", "10");
        _config->setString("chukan.network.timeoutSeconds", "601");
        expectError("chukan.network.timeoutSeconds: must be between 1 and 600");
    }

private:
    Settings load()
    {
        Result<Settings> s = Settings::load(*_config, false);
        CPPUNIT_ASSERT_MESSAGE(s.status().toString(), s.isOk());
        return s.value();
    }

    void expectError(const std::string& start)
    {
        Result<Settings> s = Settings::load(*_config, false);
        CPPUNIT_ASSERT(!s.isOk());
        CPPUNIT_ASSERT_MESSAGE(s.status().message(),
                               s.status().message().compare(0, start.size(), start) == 0);
    }

    Poco::AutoPtr<Poco::Util::MapConfiguration> _config;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TimeoutSettingsTest);
