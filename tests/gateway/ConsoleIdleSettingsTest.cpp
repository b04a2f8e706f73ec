// ConsoleIdleSettingsTest: the console idle time-out in minutes or seconds (not both), its range, and the absolute lifetime that must cover it.
#include "gateway/Settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class ConsoleIdleSettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConsoleIdleSettingsTest);
    CPPUNIT_TEST(testDefaultIsFifteenMinutes);
    CPPUNIT_TEST(testMinutesOrSeconds);
    CPPUNIT_TEST(testNotBoth);
    CPPUNIT_TEST(testSecondsRange);
    CPPUNIT_TEST(testAbsoluteLifetimeCoversIdle);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _config = new Poco::Util::MapConfiguration;
        _config->setString("chukan.data.dir", "/tmp/chukan-settings-test");
    }

    void testDefaultIsFifteenMinutes()
    {
        Settings s = load();
        CPPUNIT_ASSERT_EQUAL(0, s.console.idleTimeoutSeconds);
        CPPUNIT_ASSERT_EQUAL(15LL * 60, s.console.idleSeconds());
    }

    void testMinutesOrSeconds()
    {
        _config->setString("chukan.console.idleTimeoutMinutes", "2");
        CPPUNIT_ASSERT_EQUAL(120LL, load().console.idleSeconds());
        _config->remove("chukan.console.idleTimeoutMinutes");
        _config->setString("chukan.console.idleTimeoutSeconds", "7");
        CPPUNIT_ASSERT_EQUAL(7LL, load().console.idleSeconds());
    }

    void testNotBoth()
    {
        _config->setString("chukan.console.idleTimeoutMinutes", "2");
        _config->setString("chukan.console.idleTimeoutSeconds", "7");
        expectError("chukan.console.idleTimeoutSeconds: set either chukan.console.idleTimeoutMinutes or "
                    "this key, not both");
    }

    void testSecondsRange()
    {
        _config->setString("chukan.console.idleTimeoutSeconds", "4");
        expectError("chukan.console.idleTimeoutSeconds: must be between 5 and 14400");
        _config->setString("chukan.console.idleTimeoutSeconds", "14401");
        expectError("chukan.console.idleTimeoutSeconds: must be between 5 and 14400");
        _config->setString("chukan.console.idleTimeoutSeconds", "soon");
        expectError("chukan.console.idleTimeoutSeconds: must be an integer, got 'soon'");
    }

    void testAbsoluteLifetimeCoversIdle()
    {
        _config->setString("chukan.console.idleTimeoutSeconds", "600");
        _config->setString("chukan.console.absoluteTimeoutMinutes", "5");
        expectError("chukan.console.absoluteTimeoutMinutes: must not be shorter than the idle time-out (600 s)");
        _config->setString("chukan.console.absoluteTimeoutMinutes", "10");
        CPPUNIT_ASSERT_EQUAL(600LL, load().console.idleSeconds());
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
        CPPUNIT_ASSERT_MESSAGE(s.status().message(), s.status().message().compare(0, start.size(), start) == 0);
    }

    Poco::AutoPtr<Poco::Util::MapConfiguration> _config;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleIdleSettingsTest);
