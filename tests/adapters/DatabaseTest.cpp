// DatabaseTest: the session pool (a full pool is waited for, bounded) and write transactions (nesting, SQLite group commit).
#include "adapters/Database.h"
#include "tests/support/TestStore.h"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace chukan;
using namespace Poco::Data::Keywords;

class DatabaseTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DatabaseTest);
    CPPUNIT_TEST(testFullPoolIsWaitedFor);
    CPPUNIT_TEST(testFullPoolFailsAfterTheBound);
    CPPUNIT_TEST(testNestedWriteJoinsAsSavepoint);
    CPPUNIT_TEST(testConcurrentWritesGetTheirOwnResults);
    CPPUNIT_TEST(testBatchUndoesAFailedWriteAlone);
    CPPUNIT_TEST(testRetryableFailureRunsTheWriteAgain);
    CPPUNIT_TEST(testBusyTransactionIsRetried);
    CPPUNIT_TEST(testEveryPooledConnectionIsSetUp);
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

    void testConcurrentWritesGetTheirOwnResults()
    {
        Database& db = _store->db();
        createTable(db);
        const int threads = 8, each = 30;
        const std::uint64_t writesBefore = db.writes();
        std::atomic<int> wrong{0};
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                for (int i = 0; i < each; ++i)
                {
                    const int id = t * 1000 + i;
                    const Outcome o = outcome(i);
                    try
                    {
                        Status st = insertWrite(db, id, o);
                        if (o == THROW || st.isOk() != (o == COMMIT) ||
                            (o == FAIL && st.message() != "refused " + std::to_string(id)))
                            ++wrong;
                    }
                    catch (const std::runtime_error& e)
                    {
                        if (o != THROW || std::string(e.what()) != "thrown " + std::to_string(id))
                            ++wrong;
                    }
                }
            });
        for (std::thread& th : pool)
            th.join();
        CPPUNIT_ASSERT_EQUAL(0, wrong.load());
        std::string expected;
        for (int t = 0; t < threads; ++t)
            for (int i = 0; i < each; ++i)
                if (outcome(i) == COMMIT)
                    expected += (expected.empty() ? "" : ",") + std::to_string(t * 1000 + i);
        CPPUNIT_ASSERT_EQUAL(expected, ids(db));
        CPPUNIT_ASSERT_EQUAL(writesBefore + threads * each, db.writes());
        CPPUNIT_ASSERT(db.commits() <= db.writes());
    }

    void testBatchUndoesAFailedWriteAlone()
    {
        if (test::TestStore::isMariaDb())
            return; // one transaction per write there: nothing is grouped
        Database& db = _store->db();
        createTable(db);
        const std::uint64_t commitsBefore = db.commits(), writesBefore = db.writes();
        // The first write holds its batch open until the three others wait in the queue, so they
        // form the next batch together, whatever the scheduling.
        std::atomic<bool> leading{false};
        Status first;
        std::thread leader([&] {
            first = db.write([&](Poco::Data::Session& s) {
                int v = 0;
                s << "INSERT INTO nested_test (id) VALUES (?)", use(v), now;
                leading = true;
                for (int i = 0; i < 60000 && db.queuedWrites() < 3; ++i)
                    Poco::Thread::sleep(1);
                return Status::ok();
            });
        });
        while (!leading)
            Poco::Thread::sleep(1);
        Status ok, refused;
        std::string inside, thrown;
        bool nestedOk = false;
        std::thread a([&] {
            ok = db.write([&](Poco::Data::Session& s) {
                int v = 1;
                s << "INSERT INTO nested_test (id) VALUES (?)", use(v), now;
                // Nested writes inside a batched write join it as savepoints.
                nestedOk = insertWrite(db, 10, COMMIT).isOk() && !insertWrite(db, 11, FAIL).isOk();
                inside = ids(db); // session() here: the batch's transaction
                return Status::ok();
            });
        });
        std::thread b([&] { refused = insertWrite(db, 2, FAIL); });
        std::thread c([&] {
            try
            {
                insertWrite(db, 3, THROW);
            }
            catch (const std::runtime_error& e)
            {
                thrown = e.what();
            }
        });
        for (std::thread* t : {&leader, &a, &b, &c})
            t->join();
        CPPUNIT_ASSERT(first.isOk());
        CPPUNIT_ASSERT(ok.isOk());
        CPPUNIT_ASSERT(nestedOk);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, refused.code());
        CPPUNIT_ASSERT_EQUAL(std::string("refused 2"), refused.message());
        CPPUNIT_ASSERT_EQUAL(std::string("thrown 3"), thrown);
        CPPUNIT_ASSERT_EQUAL(std::string("0,1,10"), inside);
        CPPUNIT_ASSERT_EQUAL(std::string("0,1,10"), ids(db));
        // Four writes, two commits: the first alone, then the three queued behind it.
        CPPUNIT_ASSERT_EQUAL(writesBefore + 4, db.writes());
        CPPUNIT_ASSERT_EQUAL(commitsBefore + 2, db.commits());
    }

    void testRetryableFailureRunsTheWriteAgain()
    {
        Database& db = _store->db();
        createTable(db);
        const std::uint64_t retriesBefore = db.lockRetries();
        int runs = 0;
        Status st = db.write([&](Poco::Data::Session& s) {
            int v = 7;
            s << "INSERT INTO nested_test (id) VALUES (?)", use(v), now;
            if (++runs == 1)
                throw Poco::Data::SQLite::DBLockedException("database is locked");
            return Status::ok();
        });
        CPPUNIT_ASSERT(st.isOk());
        CPPUNIT_ASSERT_EQUAL(2, runs);
        CPPUNIT_ASSERT_EQUAL(std::string("7"), ids(db));
        CPPUNIT_ASSERT_EQUAL(retriesBefore + 1, db.lockRetries());
    }

    void testBusyTransactionIsRetried()
    {
        if (test::TestStore::isMariaDb())
            return; // SQLite's file lock; InnoDB waits for row locks instead
        Database::Options o = _store->options();
        o.poolMax = 1;
        std::shared_ptr<Database> db = Database::open(o).value();
        createTable(*db);
        {
            // The pool's only connection gives up on a busy file after 20 ms (default: wait long).
            Poco::Data::Session s = db->session();
            s << "PRAGMA busy_timeout = 20", now;
        }
        // Another process (here: another pool) holds the write lock.
        std::shared_ptr<Database> other = _store->openAnother();
        Poco::Data::Session holder = other->session();
        holder << "BEGIN IMMEDIATE", now;
        Status st = Status::unavailable("not run");
        std::thread writer([&] { st = insertWrite(*db, 5, COMMIT); });
        for (int i = 0; i < 60000 && db->lockRetries() == 0; ++i)
            Poco::Thread::sleep(1);
        const std::uint64_t retried = db->lockRetries();
        holder << "COMMIT", now;
        writer.join();
        CPPUNIT_ASSERT(retried > 0);
        CPPUNIT_ASSERT(st.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("5"), ids(*db));
    }

private:
    enum Outcome
    {
        COMMIT,
        FAIL,
        THROW
    };
    static Outcome outcome(int i) { return i % 5 == 1 ? FAIL : i % 7 == 2 ? THROW : COMMIT; }
    /// A write that inserts id, then commits, returns a non-OK Status or throws.
    static Status insertWrite(Database& db, int id, Outcome outcome)
    {
        return db.write([id, outcome](Poco::Data::Session& s) {
            int v = id;
            s << "INSERT INTO nested_test (id) VALUES (?)", use(v), now;
            if (outcome == THROW)
                throw std::runtime_error("thrown " + std::to_string(id));
            return outcome == FAIL ? Status::invalid("refused " + std::to_string(id)) : Status::ok();
        });
    }
    void testEveryPooledConnectionIsSetUp()
    {
        // Not only the connection open() checks: each one the pool opens later, while the
        // earlier ones are held, gets the durability, busy timeout and isolation settings.
        Database::Options o = _store->options();
        o.poolMin = 1;
        o.poolMax = 4;
        o.busyTimeoutSeconds = 7;
        std::shared_ptr<Database> db = Database::open(o).value();
        std::vector<Poco::Data::Session> held;
        for (int i = 0; i < 3; ++i)
        {
            held.push_back(db->session());
            Poco::Data::Session& s = held.back();
            if (db->backend() == Database::SQLITE)
            {
                int synchronous = -1;
                int busyMillis = -1;
                s << "PRAGMA synchronous", into(synchronous), now;
                s << "PRAGMA busy_timeout", into(busyMillis), now;
                CPPUNIT_ASSERT_EQUAL_MESSAGE("connection " + std::to_string(i) + ": synchronous=FULL", 2,
                                             synchronous);
                CPPUNIT_ASSERT_EQUAL_MESSAGE("connection " + std::to_string(i) + ": busy_timeout", 7000,
                                             busyMillis);
            }
            else
            {
                std::string isolation;
                s << "SELECT @@tx_isolation", into(isolation), now;
                CPPUNIT_ASSERT_EQUAL_MESSAGE("connection " + std::to_string(i), std::string("READ-COMMITTED"),
                                             isolation);
            }
        }
    }

    static void createTable(Database& db)
    {
        Poco::Data::Session s = db.session();
        s << "CREATE TABLE nested_test (id INT NOT NULL PRIMARY KEY)", now;
    }
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
