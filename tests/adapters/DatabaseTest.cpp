// DatabaseTest: the session pool — a full pool is waited for (bounded) instead of failing at once.
#include "adapters/Database.h"
#include "tests/support/TestStore.h"

#include <Poco/Data/SessionPool.h>
#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <vector>
#include <thread>

using namespace chukan;
using namespace Poco::Data::Keywords;

class DatabaseTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DatabaseTest);
    CPPUNIT_TEST(testFullPoolIsWaitedFor);
    CPPUNIT_TEST(testFullPoolFailsAfterTheBound);
    CPPUNIT_TEST(testNestedWriteJoinsAsSavepoint);
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

    void testNestedWriteJoinsAsSavepoint()
    {
        Database& db = _store->db();
        {
            Poco::Data::Session s = db.session();
            s << "CREATE TABLE nested_test (id INT NOT NULL PRIMARY KEY)", now;
        }
        auto insert = [&db](int id, bool fail) {
            return db.write([id, fail](Poco::Data::Session& s) {
                int v = id;
                s << "INSERT INTO nested_test (id) VALUES (?)", use(v), now;
                return fail ? Status::invalid("inner step refused") : Status::ok();
            });
        };
        // Inner steps share the outer commit; a failed inner step is undone alone.
        Status outer = db.write([&](Poco::Data::Session&) {
            CPPUNIT_ASSERT(insert(1, false).isOk());
            CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, insert(2, true).code());
            CPPUNIT_ASSERT_THROW(insert(1, false), Poco::Exception); // duplicate key: undone, rethrown
            CPPUNIT_ASSERT(insert(3, false).isOk());
            CPPUNIT_ASSERT_EQUAL(std::string("1,3"), ids(db)); // session() here: the transaction's own
            return Status::ok();
        });
        CPPUNIT_ASSERT(outer.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("1,3"), ids(db));
        // The outer transaction failing takes the inner steps with it.
        outer = db.write([&](Poco::Data::Session&) {
            CPPUNIT_ASSERT(insert(4, false).isOk());
            return Status::unavailable("outer step failed");
        });
        CPPUNIT_ASSERT_EQUAL(Status::UNAVAILABLE, outer.code());
        CPPUNIT_ASSERT_EQUAL(std::string("1,3"), ids(db));
        // Outside any transaction a write commits on its own, as before.
        CPPUNIT_ASSERT(insert(5, false).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("1,3,5"), ids(db));
    }

private:
    static std::string ids(Database& db)
    {
        Poco::Data::Session s = db.session();
        std::vector<int> v;
        s << "SELECT id FROM nested_test ORDER BY id", into(v), now;
        std::string out;
        for (int i : v)
            out += (out.empty() ? "" : ",") + std::to_string(i);
        return out;
    }
    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseTest);
