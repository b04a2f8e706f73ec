// StaffStoreTest: staff accounts per tenant — add/get/list, validation, failures and lock-out,
// dormancy, enable/disable, role, password, isolation.
#include "adapters/StaffStore.h"
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

namespace
{
const Poco::Int64 T0 = 1767225600000000LL;
const Poco::Int64 MINUTE = AccountPolicy::MICROS_PER_MINUTE;
const Poco::Int64 DAY = AccountPolicy::MICROS_PER_DAY;
} // namespace

class StaffStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StaffStoreTest);
    CPPUNIT_TEST(testAddGetList);
    CPPUNIT_TEST(testValidation);
    CPPUNIT_TEST(testFailedLoginsLockAndReset);
    CPPUNIT_TEST(testExpiredLockCountsAgain);
    CPPUNIT_TEST(testEnableDisableAndDormancy);
    CPPUNIT_TEST(testPasswordAndRole);
    CPPUNIT_TEST(testTenantIsolation);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testAddGetList()
    {
        StaffStore s(_store->db());
        CPPUNIT_ASSERT(s.add(chiba(), account("suzuki.ichiro", "reviewer"), T0).isOk());
        CPPUNIT_ASSERT(s.add(chiba(), account("admin", "administrator"), T0 + 1).isOk());
        std::optional<StaffAccount> a = s.get(chiba(), "suzuki.ichiro");
        CPPUNIT_ASSERT(a.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("鈴木 一郎"), a->name);
        CPPUNIT_ASSERT_EQUAL(std::string("reviewer"), a->role);
        CPPUNIT_ASSERT(a->enabled);
        CPPUNIT_ASSERT(a->mustChangePassword);
        CPPUNIT_ASSERT_EQUAL(0, a->failedLogins);
        CPPUNIT_ASSERT(!a->lockedUntil);
        CPPUNIT_ASSERT(!a->lastLoginAt);
        CPPUNIT_ASSERT_EQUAL(T0, a->createdAt);
        CPPUNIT_ASSERT_EQUAL(T0, a->lastActivityAt);
        CPPUNIT_ASSERT_EQUAL(T0, a->passwordChangedAt);
        std::vector<StaffAccount> all = s.list(chiba());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), all[0].loginId); // ordered by login id
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS,
                             s.add(chiba(), account("admin", "operator"), T0 + 2).code());
        CPPUNIT_ASSERT_EQUAL(std::string("administrator"), s.get(chiba(), "admin")->role);
        CPPUNIT_ASSERT(!s.get(chiba(), "nobody"));
    }

    void testValidation()
    {
        StaffStore s(_store->db());
        for (const char* id : {"", "Sato", "-sato", ".sato", "sato hanako", "佐藤"})
            CPPUNIT_ASSERT_MESSAGE(id, !s.add(chiba(), account(id, "reviewer"), T0).isOk());
        CPPUNIT_ASSERT(!s.add(chiba(), account(std::string(65, 'a'), "reviewer"), T0).isOk());
        CPPUNIT_ASSERT(s.add(chiba(), account(std::string(64, 'a'), "reviewer"), T0).isOk());
        CPPUNIT_ASSERT(!s.add(chiba(), account("x1", "root"), T0).isOk());
        StaffAccount noName = account("x2", "operator");
        noName.name = "";
        CPPUNIT_ASSERT(!s.add(chiba(), noName, T0).isOk());
        StaffAccount noHash = account("x3", "operator");
        noHash.passwordHash = "";
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, s.add(chiba(), noHash, T0).code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), s.list(chiba()).size());
    }

    void testFailedLoginsLockAndReset()
    {
        StaffStore s(_store->db());
        s.add(chiba(), account("sato", "reviewer"), T0);
        AccountRules rules; // 5, 30 minutes
        for (int i = 1; i <= 4; ++i)
        {
            Result<StaffAccount> a = s.recordFailedLogin(chiba(), "sato", rules, T0 + i);
            CPPUNIT_ASSERT_EQUAL(i, a.value().failedLogins);
            CPPUNIT_ASSERT(!a.value().lockedUntil);
        }
        Result<StaffAccount> fifth = s.recordFailedLogin(chiba(), "sato", rules, T0 + 5);
        CPPUNIT_ASSERT_EQUAL(5, fifth.value().failedLogins);
        CPPUNIT_ASSERT_EQUAL(T0 + 5 + 30 * MINUTE, *fifth.value().lockedUntil);
        CPPUNIT_ASSERT_EQUAL(T0 + 5 + 30 * MINUTE, *s.get(chiba(), "sato")->lockedUntil);
        // a success clears both
        CPPUNIT_ASSERT(s.recordLogin(chiba(), "sato", T0 + 31 * MINUTE).isOk());
        std::optional<StaffAccount> a = s.get(chiba(), "sato");
        CPPUNIT_ASSERT_EQUAL(0, a->failedLogins);
        CPPUNIT_ASSERT(!a->lockedUntil);
        CPPUNIT_ASSERT_EQUAL(T0 + 31 * MINUTE, *a->lastLoginAt);
        CPPUNIT_ASSERT_EQUAL(T0 + 31 * MINUTE, a->lastActivityAt);
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             s.recordFailedLogin(chiba(), "nobody", rules, T0).status().code());
    }

    void testExpiredLockCountsAgain()
    {
        StaffStore s(_store->db());
        s.add(chiba(), account("sato", "reviewer"), T0);
        AccountRules rules;
        rules.maxFailedLogins = 2;
        s.recordFailedLogin(chiba(), "sato", rules, T0);
        CPPUNIT_ASSERT(s.recordFailedLogin(chiba(), "sato", rules, T0 + 1).value().lockedUntil);
        Result<StaffAccount> after = s.recordFailedLogin(chiba(), "sato", rules, T0 + 31 * MINUTE);
        CPPUNIT_ASSERT_EQUAL(1, after.value().failedLogins);
        CPPUNIT_ASSERT(!after.value().lockedUntil);
    }

    void testEnableDisableAndDormancy()
    {
        StaffStore s(_store->db());
        s.add(chiba(), account("sato", "reviewer"), T0);
        CPPUNIT_ASSERT(s.setEnabled(chiba(), "sato", false, "transfer", T0 + DAY).isOk());
        std::optional<StaffAccount> a = s.get(chiba(), "sato");
        CPPUNIT_ASSERT(!a->enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("transfer"), a->disabledReason);
        CPPUNIT_ASSERT(s.setEnabled(chiba(), "sato", true, "", T0 + 200 * DAY).isOk());
        a = s.get(chiba(), "sato");
        CPPUNIT_ASSERT(a->enabled);
        CPPUNIT_ASSERT(a->disabledReason.empty());
        CPPUNIT_ASSERT_EQUAL(T0 + 200 * DAY, a->lastActivityAt); // dormancy clock restarted
        // dormant: only while still enabled and unused, and only once
        CPPUNIT_ASSERT(!s.disableIfDormant(chiba(), "sato", T0 + 200 * DAY, T0 + 250 * DAY));
        CPPUNIT_ASSERT(s.disableIfDormant(chiba(), "sato", T0 + 200 * DAY + 1, T0 + 291 * DAY));
        CPPUNIT_ASSERT(!s.disableIfDormant(chiba(), "sato", T0 + 200 * DAY + 1, T0 + 291 * DAY));
        CPPUNIT_ASSERT_EQUAL(std::string("dormant"), s.get(chiba(), "sato")->disabledReason);
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             s.setEnabled(chiba(), "nobody", false, "other", T0).code());
    }

    void testPasswordAndRole()
    {
        StaffStore s(_store->db());
        s.add(chiba(), account("sato", "reviewer"), T0);
        AccountRules rules;
        rules.maxFailedLogins = 1;
        s.recordFailedLogin(chiba(), "sato", rules, T0);
        CPPUNIT_ASSERT(
            s.setPassword(chiba(), "sato", "pbkdf2-sha256$i=10000$new$new", false, T0 + DAY)
                .isOk());
        std::optional<StaffAccount> a = s.get(chiba(), "sato");
        CPPUNIT_ASSERT_EQUAL(std::string("pbkdf2-sha256$i=10000$new$new"), a->passwordHash);
        CPPUNIT_ASSERT(!a->mustChangePassword);
        CPPUNIT_ASSERT_EQUAL(T0 + DAY, a->passwordChangedAt);
        CPPUNIT_ASSERT_EQUAL(0, a->failedLogins); // a reset clears the lock-out
        CPPUNIT_ASSERT(!a->lockedUntil);
        // re-hash only replaces the hash it read
        CPPUNIT_ASSERT(!s.rehash(chiba(), "sato", "stale", "other", T0 + DAY).isOk());
        CPPUNIT_ASSERT(
            s.rehash(chiba(), "sato", a->passwordHash, "scrypt$ln=15$x$y", T0 + DAY).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("scrypt$ln=15$x$y"), s.get(chiba(), "sato")->passwordHash);
        CPPUNIT_ASSERT(s.setRole(chiba(), "sato", "auditor", T0).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("auditor"), s.get(chiba(), "sato")->role);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             s.setRole(chiba(), "sato", "root", T0).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, s.setRole(chiba(), "nobody", "auditor", T0).code());
    }

    void testTenantIsolation()
    {
        StaffStore s(_store->db());
        s.add(chiba(), account("sato", "reviewer"), T0);
        s.add(hofu(), account("sato", "operator"), T0);
        s.add(hofu(), account("hofu.only", "operator"), T0);
        CPPUNIT_ASSERT_EQUAL(std::string("reviewer"), s.get(chiba(), "sato")->role);
        CPPUNIT_ASSERT_EQUAL(std::string("operator"), s.get(hofu(), "sato")->role);
        CPPUNIT_ASSERT(!s.get(chiba(), "hofu.only"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), s.list(chiba()).size());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             s.setEnabled(chiba(), "hofu.only", false, "other", T0).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             s.setRole(chiba(), "hofu.only", "administrator", T0).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             s.setPassword(chiba(), "hofu.only", "h", true, T0).code());
        s.setEnabled(chiba(), "sato", false, "other", T0);
        CPPUNIT_ASSERT(s.get(hofu(), "sato")->enabled);
        CPPUNIT_ASSERT(s.get(hofu(), "hofu.only")->enabled);
    }

private:
    static TenantCode chiba() { return TenantCode::parse("121002").value(); }
    static TenantCode hofu() { return TenantCode::parse("352063").value(); }

    static StaffAccount account(const std::string& id, const std::string& role)
    {
        StaffAccount a;
        a.loginId = id;
        a.name = "鈴木 一郎";
        a.role = role;
        a.passwordHash = "pbkdf2-sha256$i=10000$c2FsdA==$aGFzaA==";
        return a;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StaffStoreTest);
