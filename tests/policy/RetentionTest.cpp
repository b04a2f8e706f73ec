// RetentionTest: retention cutoffs are exact to the microsecond and refuse nonsense periods.
#include "policy/Retention.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class RetentionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RetentionTest);
    CPPUNIT_TEST(testCutoff);
    CPPUNIT_TEST(testBoundary);
    CPPUNIT_TEST(testRefusesShortPeriods);
    CPPUNIT_TEST_SUITE_END();

public:
    void testCutoff()
    {
        Poco::Int64 now = 10 * Retention::MICROS_PER_DAY;
        Result<Poco::Int64> c = Retention::cutoff(now, 7);
        CPPUNIT_ASSERT(c.isOk());
        CPPUNIT_ASSERT_EQUAL(3 * Retention::MICROS_PER_DAY, c.value());
    }

    void testBoundary()
    {
        Poco::Int64 now = 10 * Retention::MICROS_PER_DAY;
        CPPUNIT_ASSERT(!Retention::isExpired(3 * Retention::MICROS_PER_DAY, now, 7));
        CPPUNIT_ASSERT(Retention::isExpired(3 * Retention::MICROS_PER_DAY - 1, now, 7));
    }

    void testRefusesShortPeriods()
    {
        CPPUNIT_ASSERT(!Retention::cutoff(0, 0));
        CPPUNIT_ASSERT(!Retention::cutoff(0, -5));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RetentionTest);
