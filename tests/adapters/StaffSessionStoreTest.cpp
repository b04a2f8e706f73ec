// StaffSessionStoreTest: console sessions under their token hash — create, touch, end once, end all
// of a staff member, stale list, purge, isolation.
#include "adapters/StaffSessionStore.h"
#include "adapters/Migrator.h"
#include "adapters/SessionToken.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

namespace
{
const Poco::Int64 T0 = 1767225600000000LL;
const Poco::Int64 S = 1000000;
} // namespace

class StaffSessionStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StaffSessionStoreTest);
    CPPUNIT_TEST(testCreateGetTouch);
    CPPUNIT_TEST(testEndOnce);
    CPPUNIT_TEST(testEndAllForKeepsOne);
    CPPUNIT_TEST(testStaleAndPurge);
    CPPUNIT_TEST(testTenantIsolation);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testCreateGetTouch()
    {
        StaffSessionStore s(_store->db());
        StaffSession a = session("sato", T0);
        CPPUNIT_ASSERT(s.create(chiba(), a).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, s.create(chiba(), a).code());
        std::optional<StaffSession> got = s.get(chiba(), a.tokenHash);
        CPPUNIT_ASSERT(got.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("sato"), got->loginId);
        CPPUNIT_ASSERT_EQUAL(a.csrfToken, got->csrfToken);
        CPPUNIT_ASSERT_EQUAL(a.terminalFingerprint, got->terminalFingerprint);
        CPPUNIT_ASSERT(!got->endedAt);
        CPPUNIT_ASSERT(s.touch(chiba(), a.tokenHash, T0 + 60 * S));
        CPPUNIT_ASSERT_EQUAL(T0 + 60 * S, s.get(chiba(), a.tokenHash)->lastSeenAt);
        CPPUNIT_ASSERT(!s.touch(chiba(), std::string(64, '0'), T0));
        // Two requests of one session: the one that read the clock first stores last. It still
        // finds the session open, and lastSeenAt keeps the later time.
        CPPUNIT_ASSERT(s.touch(chiba(), a.tokenHash, T0 + 90 * S));
        CPPUNIT_ASSERT(s.touch(chiba(), a.tokenHash, T0 + 89 * S));
        CPPUNIT_ASSERT(s.touch(chiba(), a.tokenHash, T0 + 90 * S));
        CPPUNIT_ASSERT_EQUAL(T0 + 90 * S, s.get(chiba(), a.tokenHash)->lastSeenAt);
    }

    void testEndOnce()
    {
        StaffSessionStore s(_store->db());
        StaffSession a = session("sato", T0);
        s.create(chiba(), a);
        CPPUNIT_ASSERT(s.end(chiba(), a.tokenHash, "logout", T0 + S));
        CPPUNIT_ASSERT(!s.end(chiba(), a.tokenHash, "timeout", T0 + 2 * S)); // ended once
        std::optional<StaffSession> got = s.get(chiba(), a.tokenHash);
        CPPUNIT_ASSERT_EQUAL(T0 + S, *got->endedAt);
        CPPUNIT_ASSERT_EQUAL(std::string("logout"), got->endReason);
        CPPUNIT_ASSERT(!s.touch(chiba(), a.tokenHash, T0 + 3 * S));
    }

    void testEndAllForKeepsOne()
    {
        StaffSessionStore s(_store->db());
        StaffSession a = session("sato", T0), b = session("sato", T0), c = session("sato", T0),
                     other = session("suzuki", T0);
        for (const StaffSession* x : {&a, &b, &c, &other})
            s.create(chiba(), *x);
        CPPUNIT_ASSERT_EQUAL(2, s.endAllFor(chiba(), "sato", "password", T0 + S, a.tokenHash));
        CPPUNIT_ASSERT(!s.get(chiba(), a.tokenHash)->endedAt);
        CPPUNIT_ASSERT_EQUAL(std::string("password"), s.get(chiba(), b.tokenHash)->endReason);
        CPPUNIT_ASSERT(!s.get(chiba(), other.tokenHash)->endedAt);
        CPPUNIT_ASSERT_EQUAL(1, s.endAllFor(chiba(), "sato", "disabled", T0 + 2 * S));
    }

    void testStaleAndPurge()
    {
        StaffSessionStore s(_store->db());
        StaffSession idle = session("a", T0), busy = session("b", T0),
                     fresh = session("c", T0 + 600 * S);
        for (const StaffSession* x : {&idle, &busy, &fresh})
            s.create(chiba(), *x);
        s.touch(chiba(), busy.tokenHash, T0 + 900 * S);
        std::vector<StaffSession> stale = s.listStale(chiba(), T0 + 100 * S, T0 - 1, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stale.size());
        CPPUNIT_ASSERT_EQUAL(idle.tokenHash, stale[0].tokenHash);
        stale = s.listStale(chiba(), T0 + 100 * S, T0 + 1, 10); // created before: busy too
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), stale.size());
        s.end(chiba(), idle.tokenHash, "timeout", T0 + 1000 * S);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), s.listStale(chiba(), T0 + 100 * S, T0 + 1, 10).size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.purgeEnded(chiba(), T0 + 1000 * S));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.purgeEnded(chiba(), T0 + 1000 * S + 1));
        CPPUNIT_ASSERT(!s.get(chiba(), idle.tokenHash));
        CPPUNIT_ASSERT(s.get(chiba(), busy.tokenHash));
    }

    void testTenantIsolation()
    {
        StaffSessionStore s(_store->db());
        StaffSession a = session("sato", T0);
        s.create(chiba(), a);
        CPPUNIT_ASSERT(!s.get(hofu(), a.tokenHash));
        CPPUNIT_ASSERT(!s.touch(hofu(), a.tokenHash, T0 + S));
        CPPUNIT_ASSERT(!s.end(hofu(), a.tokenHash, "logout", T0 + S));
        CPPUNIT_ASSERT_EQUAL(0, s.endAllFor(hofu(), "sato", "disabled", T0 + S));
        CPPUNIT_ASSERT(!s.get(chiba(), a.tokenHash)->endedAt);
    }

private:
    static TenantCode chiba() { return TenantCode::parse("121002").value(); }
    static TenantCode hofu() { return TenantCode::parse("352063").value(); }

    static StaffSession session(const std::string& who, Poco::Int64 at)
    {
        StaffSession s;
        s.tokenHash = SessionToken::hash(SessionToken::generate());
        s.loginId = who;
        s.csrfToken = SessionToken::generate();
        s.terminalFingerprint = std::string(64, 'f');
        s.createdAt = at;
        s.lastSeenAt = at;
        return s;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StaffSessionStoreTest);
