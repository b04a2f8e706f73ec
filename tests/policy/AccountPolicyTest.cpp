// AccountPolicyTest: lock-out after repeated failures (timed or until reset), dormancy, password
// expiry and forced change.
#include "policy/AccountPolicy.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

namespace
{
const Poco::Int64 T0 = 1767225600000000LL; // 2026-01-01
const Poco::Int64 DAY = AccountPolicy::MICROS_PER_DAY;
const Poco::Int64 MINUTE = AccountPolicy::MICROS_PER_MINUTE;
} // namespace

class AccountPolicyTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AccountPolicyTest);
    CPPUNIT_TEST(testLockAfterFailures);
    CPPUNIT_TEST(testLockedUntilReset);
    CPPUNIT_TEST(testDormancy);
    CPPUNIT_TEST(testOrderOfDecisions);
    CPPUNIT_TEST(testPasswordExpiry);
    CPPUNIT_TEST_SUITE_END();

public:
    void testLockAfterFailures()
    {
        AccountRules rules; // 5 failures, 30 minutes
        for (int n = 1; n < 5; ++n)
            CPPUNIT_ASSERT(!AccountPolicy::lockAfterFailure(n, rules, T0));
        std::optional<Poco::Int64> until = AccountPolicy::lockAfterFailure(5, rules, T0);
        CPPUNIT_ASSERT(until.has_value());
        CPPUNIT_ASSERT_EQUAL(T0 + 30 * MINUTE, *until);
        AccountFacts a;
        a.lastActivityAt = T0;
        a.passwordChangedAt = T0;
        a.lockedUntil = until;
        CPPUNIT_ASSERT(AccountPolicy::isLocked(a, T0));
        CPPUNIT_ASSERT(AccountPolicy::isLocked(a, T0 + 30 * MINUTE - 1));
        CPPUNIT_ASSERT(!AccountPolicy::isLocked(a, T0 + 30 * MINUTE));
        CPPUNIT_ASSERT_EQUAL(AccountPolicy::LOCKED,
                             AccountPolicy::beforeLogin(a, rules, T0 + MINUTE));
        CPPUNIT_ASSERT_EQUAL(AccountPolicy::ALLOW,
                             AccountPolicy::beforeLogin(a, rules, T0 + 31 * MINUTE));
    }

    void testLockedUntilReset()
    {
        AccountRules rules;
        rules.lockoutMinutes = 0;
        rules.maxFailedLogins = 3;
        CPPUNIT_ASSERT(!AccountPolicy::lockAfterFailure(2, rules, T0));
        CPPUNIT_ASSERT_EQUAL(AccountPolicy::LOCKED_FOREVER,
                             *AccountPolicy::lockAfterFailure(3, rules, T0));
        AccountFacts a;
        a.lockedUntil = AccountPolicy::LOCKED_FOREVER;
        a.lastActivityAt = T0;
        CPPUNIT_ASSERT(AccountPolicy::isLocked(a, T0 + 3650 * DAY));
    }

    void testDormancy()
    {
        AccountRules rules; // 90 days
        AccountFacts a;
        a.lastActivityAt = T0;
        a.passwordChangedAt = T0;
        CPPUNIT_ASSERT(!AccountPolicy::isDormant(a, rules, T0 + 90 * DAY));
        CPPUNIT_ASSERT(AccountPolicy::isDormant(a, rules, T0 + 90 * DAY + 1));
        CPPUNIT_ASSERT_EQUAL(AccountPolicy::DORMANT,
                             AccountPolicy::beforeLogin(a, rules, T0 + 91 * DAY));
        rules.dormantDays = 0; // never
        CPPUNIT_ASSERT(!AccountPolicy::isDormant(a, rules, T0 + 3650 * DAY));
    }

    void testOrderOfDecisions()
    {
        AccountRules rules;
        AccountFacts a;
        a.lastActivityAt = T0;
        a.lockedUntil = T0 + DAY;
        a.enabled = false;
        CPPUNIT_ASSERT_EQUAL(AccountPolicy::DISABLED,
                             AccountPolicy::beforeLogin(a, rules, T0 + 100 * DAY - DAY));
        a.enabled = true;
        CPPUNIT_ASSERT_EQUAL(AccountPolicy::LOCKED, AccountPolicy::beforeLogin(a, rules, T0));
        CPPUNIT_ASSERT_EQUAL(AccountPolicy::ALLOW,
                             AccountPolicy::beforeLogin(a, rules, T0 + 2 * DAY));
    }

    void testPasswordExpiry()
    {
        AccountRules rules; // 90 days
        AccountFacts a;
        a.passwordChangedAt = T0;
        a.mustChangePassword = false;
        CPPUNIT_ASSERT_EQUAL(T0 + 90 * DAY, *AccountPolicy::passwordExpiresAt(a, rules));
        CPPUNIT_ASSERT(!AccountPolicy::mustChangePassword(a, rules, T0 + 90 * DAY - 1));
        CPPUNIT_ASSERT(AccountPolicy::mustChangePassword(a, rules, T0 + 90 * DAY));
        a.mustChangePassword = true; // a one-time password
        CPPUNIT_ASSERT(AccountPolicy::mustChangePassword(a, rules, T0));
        a.mustChangePassword = false;
        rules.passwordExpiryDays = 0;
        CPPUNIT_ASSERT(!AccountPolicy::passwordExpiresAt(a, rules));
        CPPUNIT_ASSERT(!AccountPolicy::mustChangePassword(a, rules, T0 + 3650 * DAY));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AccountPolicyTest);
