// TimeoutSettingsTest: the hold deadline (hours or seconds, not both) and the inquiry resend
// timeout are validated by key.
#include "gateway/Settings.h"

#include <Poco/AutoPtr.h>
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
