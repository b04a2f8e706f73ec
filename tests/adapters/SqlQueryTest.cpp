// SqlQueryTest: binds and typed rows on both backends, and on SQLite the statements kept in a connection: reused, reset after errors, per connection, freed and forgotten when it closes.
#include "adapters/SqlQuery.h"

#include "adapters/BlobColumn.h"
#include "tests/support/TestStore.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

using namespace chukan;
using namespace Poco::Data::Keywords;

class SqlQueryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SqlQueryTest);
    CPPUNIT_TEST(testValuesRoundTrip);
    CPPUNIT_TEST(testExecuteCountsRowsFetchedOrChanged);
    CPPUNIT_TEST(testDuplicateKeyThrowsAndTheStatementIsReusable);
    CPPUNIT_TEST(testStatementIsPreparedOncePerConnection);
    CPPUNIT_TEST(testFailureMidwayResetsTheStatement);
    CPPUNIT_TEST(testTwoSessionsKeepTheirOwnStatements);
    CPPUNIT_TEST(testClosingTheConnectionFreesItsStatements);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        Database& db = _store->db();
        Poco::Data::Session s = db.session();
        s << db.ddl("CREATE TABLE sql_query_test (k VARCHAR(32) NOT NULL PRIMARY KEY, i {BIGINT}, t {TEXT}, b {BLOB})"),
            now;
    }
    void tearDown() override { _store.reset(); }

    void testValuesRoundTrip()
    {
        Database& db = _store->db();
        const std::string blob("\x00\x01\xff\x80 bytes\x00", 11);
        const std::string text = "千葉市 — テキスト";
        {
            Poco::Data::Session s = db.session();
            SqlQuery ins(s, "INSERT INTO sql_query_test (k, i, t, b) VALUES (?, ?, ?, ?)");
            ins.bind(std::string("a")).bind(static_cast<Poco::Int64>(-9000000000123LL)).bind(text).bindBlob(blob);
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), ins.execute());
            SqlQuery nulls(s, "INSERT INTO sql_query_test (k, i, t, b) VALUES (?, ?, ?, ?)");
            nulls.bind(std::string("b")).bind(std::optional<Poco::Int64>()).bindOrNull("").bindNull();
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), nulls.execute());
        }
        Poco::Data::Session s = db.session();
        SqlQuery q(s, "SELECT k, i, t, " + BlobColumn::select(db, "b") + " FROM sql_query_test ORDER BY k");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), q.execute());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), q.rowCount());
        RowReader a = q.row(0);
        CPPUNIT_ASSERT_EQUAL(std::string("a"), a.str(0));
        CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(-9000000000123LL), a.i64(1));
        CPPUNIT_ASSERT_EQUAL(std::string("-9000000000123"), a.str(1));
        CPPUNIT_ASSERT_EQUAL(text, a.str(2));
        CPPUNIT_ASSERT(!a.isNull(3));
        std::optional<std::string> got = BlobColumn::value(db, s, a, 3, "sql_query_test", "b", "", {});
        CPPUNIT_ASSERT(got.has_value());
        CPPUNIT_ASSERT(blob == *got);
        RowReader b = q.row(1);
        CPPUNIT_ASSERT(b.isNull(1) && b.isNull(2) && b.isNull(3));
        CPPUNIT_ASSERT(!b.optI64(1).has_value());
        CPPUNIT_ASSERT_EQUAL(std::string(), b.str(2));
        CPPUNIT_ASSERT_EQUAL(std::string(), b.bytes(3));
    }

    void testExecuteCountsRowsFetchedOrChanged()
    {
        Database& db = _store->db();
        insert(db, "a", 1);
        insert(db, "b", 2);
        insert(db, "c", 3);
        Poco::Data::Session s = db.session();
        SqlQuery up(s, "UPDATE sql_query_test SET t = ? WHERE i >= ?");
        up.bind(std::string("x")).bind(static_cast<Poco::Int64>(2));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), up.execute());
        SqlQuery none(s, "UPDATE sql_query_test SET t = ? WHERE i >= ?");
        none.bind(std::string("y")).bind(static_cast<Poco::Int64>(9));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), none.execute());
        SqlQuery sel(s, "SELECT k FROM sql_query_test WHERE t = ? ORDER BY k");
        sel.bind(std::string("x"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), sel.execute());
        CPPUNIT_ASSERT_EQUAL(std::string("b"), sel.row(0).str(0));
        CPPUNIT_ASSERT_EQUAL(std::string("c"), sel.row(1).str(0));
    }

    void testDuplicateKeyThrowsAndTheStatementIsReusable()
    {
        Database& db = _store->db();
        insert(db, "a", 1);
        bool threw = false;
        try
        {
            insert(db, "a", 2);
        }
        catch (const std::exception& e)
        {
            threw = true;
            CPPUNIT_ASSERT(db.isDuplicateKey(e));
        }
        CPPUNIT_ASSERT(threw);
        // The same statement, reset after its failure: a later use and a COMMIT both work.
        Status st = db.write([&](Poco::Data::Session& s) {
            SqlQuery ins(s, "INSERT INTO sql_query_test (k, i) VALUES (?, ?)");
            ins.bind(std::string("b")).bind(static_cast<Poco::Int64>(2)).execute();
            return Status::ok();
        });
        CPPUNIT_ASSERT(st.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("a,b"), keys(db));
        // A wrong number of binds is refused, and does not spoil the statement either.
        Poco::Data::Session s = db.session();
        SqlQuery wrong(s, "SELECT k FROM sql_query_test WHERE i = ?");
        CPPUNIT_ASSERT_THROW(wrong.execute(), Poco::Exception);
        SqlQuery right(s, "SELECT k FROM sql_query_test WHERE i = ?");
        right.bind(static_cast<Poco::Int64>(2));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), right.execute());
    }

    void testStatementIsPreparedOncePerConnection()
    {
        if (test::TestStore::isMariaDb())
            return; // statements are kept on SQLite only
        Database& db = _store->db();
        Poco::Data::Session s = db.session();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), SqlQuery::cachedStatements(s));
        for (int i = 0; i < 200; ++i)
        {
            SqlQuery ins(s, "INSERT INTO sql_query_test (k, i) VALUES (?, ?)");
            ins.bind("k" + std::to_string(i)).bind(static_cast<Poco::Int64>(i)).execute();
            SqlQuery sel(s, "SELECT i FROM sql_query_test WHERE k = ?");
            sel.bind("k" + std::to_string(i));
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), sel.execute());
            CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(i), sel.row(0).i64(0));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), SqlQuery::cachedStatements(s));
        // Transactions through Database use kept statements too, and still commit and roll back.
        Status refused = db.write([](Poco::Data::Session& w) {
            SqlQuery(w, "DELETE FROM sql_query_test WHERE i >= 100").execute();
            return deleteTheRestAndRefuse(w);
        });
        CPPUNIT_ASSERT(!refused.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(200), count(db));
    }

    void testFailureMidwayResetsTheStatement()
    {
        if (test::TestStore::isMariaDb())
            return; // the failing expression below is SQLite's
        Database& db = _store->db();
        insert(db, "a", 1);
        insert(db, "b", 2);
        insert(db, "c", 3);
        const std::string sql = "SELECT k, CASE WHEN i = ? THEN abs(-9223372036854775807 - 1) ELSE i END"
                                " FROM sql_query_test ORDER BY k";
        Poco::Data::Session s = db.session();
        const std::size_t keptBefore = SqlQuery::cachedStatements(s);
        SqlQuery bad(s, sql);
        bad.bind(static_cast<Poco::Int64>(2)); // the second row overflows: an error mid-way
        CPPUNIT_ASSERT_THROW(bad.execute(), Poco::Exception);
        // Not left busy: no read transaction held, the same statement serves the next call, and a
        // write on this connection commits.
        SqlQuery good(s, sql);
        good.bind(static_cast<Poco::Int64>(9));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), good.execute());
        CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(3), good.row(2).i64(1));
        CPPUNIT_ASSERT_EQUAL(keptBefore + 1, SqlQuery::cachedStatements(s));
        s << "BEGIN IMMEDIATE", now;
        SqlQuery(s, "DELETE FROM sql_query_test WHERE k = 'a'").execute();
        s << "COMMIT", now;
        CPPUNIT_ASSERT_EQUAL(std::string("b,c"), keys(db));
    }

    void testTwoSessionsKeepTheirOwnStatements()
    {
        if (test::TestStore::isMariaDb())
            return;
        Database& db = _store->db();
        insert(db, "a", 1);
        Poco::Data::Session one = db.session();
        Poco::Data::Session two = db.session();
        const std::size_t oneBefore = SqlQuery::cachedStatements(one), twoBefore = SqlQuery::cachedStatements(two);
        for (Poco::Data::Session* s : {&one, &two, &one, &two})
        {
            SqlQuery q(*s, "SELECT i FROM sql_query_test WHERE k = ?");
            q.bind(std::string("a"));
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), q.execute());
            CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(1), q.row(0).i64(0));
        }
        CPPUNIT_ASSERT_EQUAL(oneBefore + 1, SqlQuery::cachedStatements(one));
        CPPUNIT_ASSERT_EQUAL(twoBefore + 1, SqlQuery::cachedStatements(two));
    }

    void testClosingTheConnectionFreesItsStatements()
    {
        if (test::TestStore::isMariaDb())
            return;
        Poco::Data::SQLite::Connector::registerConnector();
        std::string dir = test::makeTempDir("chukan-sqlquery");
        std::string path = dir + "/close.db";
        const std::size_t connectionsBefore = SqlQuery::keptConnections();
        for (int round = 0; round < 3; ++round)
        {
            {
                Poco::Data::Session s("SQLite", path);
                std::string mode;
                s << "PRAGMA journal_mode=WAL", into(mode), now;
                s << "CREATE TABLE IF NOT EXISTS c (k INTEGER PRIMARY KEY, v TEXT)", now;
                // A new connection starts empty, whatever address it was given.
                CPPUNIT_ASSERT_EQUAL(std::size_t(0), SqlQuery::cachedStatements(s));
                SqlQuery ins(s, "INSERT INTO c (k, v) VALUES (?, ?)");
                ins.bind(static_cast<Poco::Int64>(round)).bind(std::string("v")).execute();
                SqlQuery sel(s, "SELECT COUNT(*) FROM c");
                sel.execute();
                CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(round + 1), sel.row(0).i64(0));
                CPPUNIT_ASSERT_EQUAL(std::size_t(2), SqlQuery::cachedStatements(s));
                CPPUNIT_ASSERT_EQUAL(connectionsBefore + 1, SqlQuery::keptConnections());
                CPPUNIT_ASSERT(Poco::File(path + "-wal").exists());
                s.close();
            }
            // Its table of statements went with it: a connection opened later at the same
            // address cannot be handed statements of this one.
            CPPUNIT_ASSERT_EQUAL(connectionsBefore, SqlQuery::keptConnections());
            // The last connection really closed (not a zombie kept by unfinalized statements):
            // SQLite checkpointed and removed the WAL file.
            CPPUNIT_ASSERT(!Poco::File(path + "-wal").exists());
        }
        Poco::File(dir).remove(true);
    }

private:
    static Status deleteTheRestAndRefuse(Poco::Data::Session& s)
    {
        SqlQuery(s, "DELETE FROM sql_query_test WHERE i < 100").execute();
        return Status::invalid("refused: the whole write rolls back");
    }

    static void insert(Database& db, const std::string& k, Poco::Int64 i)
    {
        Poco::Data::Session s = db.session();
        SqlQuery ins(s, "INSERT INTO sql_query_test (k, i) VALUES (?, ?)");
        ins.bind(k).bind(i).execute();
    }

    static std::size_t count(Database& db)
    {
        Poco::Data::Session s = db.session();
        SqlQuery q(s, "SELECT COUNT(*) FROM sql_query_test");
        q.execute();
        return static_cast<std::size_t>(q.row(0).i64(0));
    }

    static std::string keys(Database& db)
    {
        Poco::Data::Session s = db.session();
        SqlQuery q(s, "SELECT k FROM sql_query_test ORDER BY k");
        q.execute();
        std::string out;
        for (std::size_t i = 0; i < q.rowCount(); ++i)
            out += (out.empty() ? "" : ",") + q.row(i).str(0);
        return out;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SqlQueryTest);
