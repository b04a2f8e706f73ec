// SqliteCheckpointerTest: commits that grow the write-ahead log wake the checkpoint thread, which copies the log into the database file; a thread that cannot keep up leaves it to the committing connection.
#include "adapters/Database.h"
#include "adapters/SqliteCheckpointer.h"
#include "tests/support/TestStore.h"

#include <Poco/File.h>
#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>
#include <sqlite3.h>

#include <functional>
#include <string>

using namespace chukan;

namespace
{

/// A WAL-mode SQLite file with one table, opened on a raw connection.
struct WalFile
{
    std::string dir = test::makeTempDir("chukan-ckpt");
    std::string path = dir + "/t.db";
    sqlite3* db = nullptr;
    WalFile()
    {
        CPPUNIT_ASSERT_EQUAL(SQLITE_OK, sqlite3_open(path.c_str(), &db));
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
    }
    ~WalFile()
    {
        sqlite3_close_v2(db);
        Poco::File(dir).remove(true);
    }
    void exec(const std::string& sql)
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(sql, SQLITE_OK,
                                     sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr));
    }
    /// One transaction of `rows` rows of 3,000 bytes (about one page each).
    void commitRows(int first, int rows)
    {
        exec("BEGIN");
        for (int i = first; i < first + rows; ++i)
            exec("INSERT INTO t VALUES (" + std::to_string(i) + ", zeroblob(3000))");
        exec("COMMIT");
    }
    Poco::File::FileSize fileSize() const { return Poco::File(path).getSize(); }
};

/// Polls cond every 10 ms for up to 20 s (a bound for a slow machine, not a measurement).
bool eventually(const std::function<bool()>& cond)
{
    for (int i = 0; i < 2000; ++i)
    {
        if (cond())
            return true;
        Poco::Thread::sleep(10);
    }
    return cond();
}

} // namespace

class SqliteCheckpointerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SqliteCheckpointerTest);
    CPPUNIT_TEST(testThreadCopiesTheLog);
    CPPUNIT_TEST(testSmallLogWakesNothing);
    CPPUNIT_TEST(testBackstopWhenTheThreadCannotRun);
    CPPUNIT_TEST(testDatabaseCheckpointsOffTheWriter);
    CPPUNIT_TEST_SUITE_END();

public:
    void testThreadCopiesTheLog()
    {
        WalFile f;
        SqliteCheckpointer checkpointer(f.path, 20, 100000);
        checkpointer.attach(f.db);
        const Poco::File::FileSize before = f.fileSize();
        f.commitRows(0, 40); // about 40 pages in the log: past 20
        CPPUNIT_ASSERT(eventually([&] { return checkpointer.checkpoints() >= 1; }));
        // The pages are in the database file now, and nothing was checkpointed inline.
        CPPUNIT_ASSERT(f.fileSize() > before + 20 * 3000);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), checkpointer.inlineCheckpoints());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), checkpointer.failures());
        // Everything the log holds was copied: a checkpoint now finds nothing left to do.
        int log = -1, copied = -1;
        CPPUNIT_ASSERT_EQUAL(SQLITE_OK, sqlite3_wal_checkpoint_v2(f.db, nullptr,
                                                                  SQLITE_CHECKPOINT_PASSIVE,
                                                                  &log, &copied));
        CPPUNIT_ASSERT_EQUAL(log, copied);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(f.db, "SELECT COUNT(*) FROM t", -1, &st, nullptr);
        CPPUNIT_ASSERT_EQUAL(SQLITE_ROW, sqlite3_step(st));
        CPPUNIT_ASSERT_EQUAL(40, sqlite3_column_int(st, 0));
        sqlite3_finalize(st);
    }

    void testSmallLogWakesNothing()
    {
        WalFile f;
        SqliteCheckpointer checkpointer(f.path, 1000, 100000);
        checkpointer.attach(f.db);
        const Poco::File::FileSize before = f.fileSize();
        f.commitRows(0, 10);
        // Below the threshold: no checkpoint, and the rows are still only in the log (the
        // database file has not grown by them).
        Poco::Thread::sleep(50);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), checkpointer.checkpoints());
        CPPUNIT_ASSERT(f.fileSize() < before + 10 * 3000);
    }

    void testBackstopWhenTheThreadCannotRun()
    {
        WalFile f;
        // The thread's connection cannot open (no such file), so its checkpoints fail; the
        // connection that commits past the backstop checkpoints itself.
        SqliteCheckpointer checkpointer(f.dir + "/missing/t.db", 5, 30);
        checkpointer.attach(f.db);
        const Poco::File::FileSize before = f.fileSize();
        f.commitRows(0, 10); // past 5: the thread is woken, and fails
        CPPUNIT_ASSERT(eventually([&] { return checkpointer.failures() >= 1; }));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), checkpointer.inlineCheckpoints());
        f.commitRows(10, 30); // past 30: inline
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), checkpointer.inlineCheckpoints());
        CPPUNIT_ASSERT(f.fileSize() > before + 30 * 3000);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), checkpointer.checkpoints());
    }

    void testDatabaseCheckpointsOffTheWriter()
    {
        if (test::TestStore::isMariaDb())
            return; // a property of the SQLite backend; MariaDB reports 0
        test::TestStore store;
        Database& db = store.db();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), db.checkpoints());
        CPPUNIT_ASSERT(db.write([](Poco::Data::Session& s)
                                {
                                    s << "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)",
                                        Poco::Data::Keywords::now;
                                    return Status::ok();
                                })
                           .isOk());
        // About 1,300 pages of log over a few commits: past SQLite's 1,000.
        for (int batch = 0; batch < 4; ++batch)
            CPPUNIT_ASSERT(db.write(
                                 [batch](Poco::Data::Session& s)
                                 {
                                     s << "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 "
                                          "FROM n WHERE i < 319) INSERT INTO t SELECT "
                                       << batch * 1000 << " + i, zeroblob(3000) FROM n",
                                         Poco::Data::Keywords::now;
                                     return Status::ok();
                                 })
                               .isOk());
        CPPUNIT_ASSERT(eventually([&] { return db.checkpoints() >= 1; }));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), db.inlineCheckpoints());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SqliteCheckpointerTest);
