// SessionPolicyTest: idle time-out and absolute lifetime at their exact limits, and when a session
// ends.
#include "policy/SessionPolicy.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

namespace
{
const Poco::Int64 T0 = 1767225600000000LL;
const Poco::Int64 S = 1000000;
} // namespace

class SessionPolicyTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SessionPolicyTest);
    CPPUNIT_TEST(testIdle);
    CPPUNIT_TEST(testAbsoluteWinsOverActivity);
    CPPUNIT_TEST(testExpiresAt);
    CPPUNIT_TEST_SUITE_END();

public:
    void testIdle()
    {
        CPPUNIT_ASSERT_EQUAL(SessionPolicy::ACTIVE,
                             SessionPolicy::check(T0, T0, T0 + 900 * S, 900, 28800));
        CPPUNIT_ASSERT_EQUAL(SessionPolicy::IDLE_TIMEOUT,
                             SessionPolicy::check(T0, T0, T0 + 900 * S + 1, 900, 28800));
        CPPUNIT_ASSERT_EQUAL(SessionPolicy::ACTIVE,
                             SessionPolicy::check(T0, T0 + 600 * S, T0 + 1500 * S, 900, 28800));
        CPPUNIT_ASSERT_EQUAL(std::string("idle"),
                             std::string(SessionPolicy::name(SessionPolicy::IDLE_TIMEOUT)));
    }

    void testAbsoluteWinsOverActivity()
    {
        Poco::Int64 end = T0 + 28800 * S;
        CPPUNIT_ASSERT_EQUAL(SessionPolicy::ACTIVE,
                             SessionPolicy::check(T0, end - S, end, 900, 28800));
        CPPUNIT_ASSERT_EQUAL(SessionPolicy::ABSOLUTE_TIMEOUT,
                             SessionPolicy::check(T0, end, end + 1, 900, 28800));
        CPPUNIT_ASSERT_EQUAL(
            SessionPolicy::ABSOLUTE_TIMEOUT,
            SessionPolicy::check(T0, T0, end + 1, 900, 28800)); // both: absolute first
        CPPUNIT_ASSERT_EQUAL(std::string("absolute"),
                             std::string(SessionPolicy::name(SessionPolicy::ABSOLUTE_TIMEOUT)));
    }

    void testExpiresAt()
    {
        CPPUNIT_ASSERT_EQUAL(T0 + 900 * S, SessionPolicy::expiresAt(T0, T0, 900, 28800));
        Poco::Int64 late = T0 + 28500 * S;
        CPPUNIT_ASSERT_EQUAL(T0 + 28800 * S, SessionPolicy::expiresAt(T0, late, 900, 28800));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SessionPolicyTest);
