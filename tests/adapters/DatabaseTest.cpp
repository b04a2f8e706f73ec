// DatabaseTest: the session pool — a full pool is waited for (bounded) instead of failing at once.
#include "adapters/Database.h"
#include "tests/support/TestStore.h"

#include <Poco/Data/SessionPool.h>
#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace chukan;
using namespace Poco::Data::Keywords;

class DatabaseTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DatabaseTest);
    CPPUNIT_TEST(testFullPoolIsWaitedFor);
    CPPUNIT_TEST(testFullPoolFailsAfterTheBound);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _store.reset(new test::TestStore); }
    void tearDown() override { _store.reset(); }

    void testFullPoolIsWaitedFor()
    {
        Database::Options o = _store->options();
        o.poolMax = 1;
        o.poolWaitMillis = 60000;
        std::shared_ptr<Database> db = Database::open(o).value();
        std::unique_ptr<Poco::Data::Session> held(new Poco::Data::Session(db->session()));
        std::atomic<int> got{-1};
        std::thread other([&] {
            try
            {
                Poco::Data::Session s = db->session();
                int one = 0;
                s << "SELECT 1", into(one), now;
                got = one;
            }
            catch (const Poco::Exception&)
            {
                got = 0;
            }
        });
        // Release only once the other thread is known to be waiting for the one session.
        for (int i = 0; i < 5000 && db->poolWaits() == 0; ++i)
            Poco::Thread::sleep(2);
        CPPUNIT_ASSERT(db->poolWaits() > 0);
        held.reset();
        other.join();
        CPPUNIT_ASSERT_EQUAL(1, got.load());
    }

    void testFullPoolFailsAfterTheBound()
    {
        Database::Options o = _store->options();
        o.poolMax = 1;
        o.poolWaitMillis = 0;
        std::shared_ptr<Database> db = Database::open(o).value();
        Poco::Data::Session held = db->session();
        CPPUNIT_ASSERT_THROW(db->session(), Poco::Data::SessionPoolExhaustedException);
    }

private:
    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseTest);
