// MariaDbStatementTest: array-bound (bulk) inserts and typed reads on the raw connection of a
// pooled MariaDB session — values and NULLs round-trip, the statement runs in the session's
// transaction, a duplicate key is what Database::isDuplicateKey recognises.
#include "adapters/MariaDbStatement.h"
#include "tests/support/TestStore.h"

#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>
#include <vector>

using namespace chukan;
using namespace Poco::Data::Keywords;

class MariaDbStatementTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MariaDbStatementTest);
    CPPUNIT_TEST(testOnlyMariaDbSessions);
    CPPUNIT_TEST(testSameConnectionAsThePooledSession);
    CPPUNIT_TEST(testBulkInsertRoundTrip);
    CPPUNIT_TEST(testRunsInTheWriteTransaction);
    CPPUNIT_TEST(testDuplicateKeyInABulk);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        if (!test::TestStore::isMariaDb())
            return;
        Poco::Data::Session s = _store->db().session();
        s << "CREATE TABLE bulk_t (k VARCHAR(64) NOT NULL PRIMARY KEY, n BIGINT, t VARCHAR(64),"
             " b LONGBLOB, z BIGINT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
            now;
    }
    void tearDown() override { _store.reset(); }

    void testOnlyMariaDbSessions()
    {
        Poco::Data::Session s = _store->db().session();
        if (test::TestStore::isMariaDb())
        {
            CPPUNIT_ASSERT(MariaDbStatement::connection(s) != nullptr);
            MariaDbStatement st(s, "SELECT ?, ?");
            CPPUNIT_ASSERT_EQUAL(std::size_t(2), st.parameterCount());
            CPPUNIT_ASSERT(st.bulkSupported());
        }
        else
            CPPUNIT_ASSERT_THROW(MariaDbStatement::connection(s), Poco::InvalidArgumentException);
    }

    void testSameConnectionAsThePooledSession()
    {
        if (!test::TestStore::isMariaDb())
            return; // SQLite: no MariaDB connection (testOnlyMariaDbSessions checks the refusal)
        // Two sessions held at once are two connections; each statement runs on its own.
        Poco::Data::Session one = _store->db().session();
        Poco::Data::Session two = _store->db().session();
        for (Poco::Data::Session* s : {&one, &two})
        {
            Poco::Int64 viaPoco = 0;
            *s << "SELECT CONNECTION_ID()", into(viaPoco), now;
            MariaDbStatement st(*s, "SELECT CONNECTION_ID()");
            st.execute();
            CPPUNIT_ASSERT(st.fetch());
            CPPUNIT_ASSERT_EQUAL(viaPoco, st.integer(0));
            CPPUNIT_ASSERT(!st.fetch());
        }
    }

    void testBulkInsertRoundTrip()
    {
        if (!test::TestStore::isMariaDb())
            return;
        // Rows of every kind in one bulk execution: NULLs in some rows of a column, a column NULL
        // in every row, bytes with NUL and 0xff, UTF-8, values longer than the fetch buffer.
        std::vector<std::string> keys, texts, blobs;
        const std::size_t n = 300;
        for (std::size_t i = 0; i < n; ++i)
        {
            keys.push_back("k" + std::to_string(i));
            texts.push_back(i % 7 == 0 ? "全角テキスト" : "t" + std::to_string(i));
            std::string b(i * 37 % 1000, 'x');
            b += std::string("\0\xff", 2) + std::to_string(i);
            blobs.push_back(b);
        }
        Poco::Data::Session s = _store->db().session();
        {
            MariaDbStatement st(s, "INSERT INTO bulk_t (k, n, t, b, z) VALUES (?, ?, ?, ?, ?)");
            st.rows(n);
            for (std::size_t i = 0; i < n; ++i)
            {
                st.text(0, i, keys[i]);
                if (i % 3 != 0)
                    st.integer(1, i, static_cast<Poco::Int64>(i) * Poco::Int64(1000000007));
                if (i % 5 != 0)
                    st.text(2, i, texts[i]);
                st.blob(3, i, blobs[i]);
            }
            CPPUNIT_ASSERT_EQUAL(n, st.execute());
        }
        Poco::Int64 count = 0;
        s << "SELECT COUNT(*) FROM bulk_t", into(count), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(n), count);
        MariaDbStatement read(s, "SELECT k, n, t, b, LENGTH(b), z FROM bulk_t WHERE k = ?");
        for (std::size_t i = 0; i < n; ++i)
        {
            read.rows(1);
            read.text(0, 0, keys[i]);
            read.execute();
            CPPUNIT_ASSERT(read.fetch());
            CPPUNIT_ASSERT_EQUAL(keys[i], read.text(0));
            CPPUNIT_ASSERT_EQUAL(i % 3 == 0, read.isNull(1));
            if (i % 3 != 0)
                CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(i) * Poco::Int64(1000000007),
                                     read.integer(1));
            CPPUNIT_ASSERT_EQUAL(i % 5 == 0, read.isNull(2));
            CPPUNIT_ASSERT_EQUAL(i % 5 == 0 ? std::string() : texts[i], read.text(2));
            CPPUNIT_ASSERT_EQUAL(blobs[i], read.text(3));
            CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(blobs[i].size()), read.integer(4));
            CPPUNIT_ASSERT(read.isNull(5)); // z: never set, NULL in every row
            CPPUNIT_ASSERT(!read.fetch());
        }
        // One row is a plain execution; a parameter never set is NULL.
        MariaDbStatement one(s, "INSERT INTO bulk_t (k, n) VALUES (?, ?)");
        one.text(0, 0, std::string("single"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), one.execute());
        Poco::Nullable<Poco::Int64> value;
        s << "SELECT n FROM bulk_t WHERE k = 'single'", into(value), now;
        CPPUNIT_ASSERT(value.isNull());
    }

    void testRunsInTheWriteTransaction()
    {
        if (!test::TestStore::isMariaDb())
            return;
        Database& db = _store->db();
        std::vector<std::string> keys{"a", "b", "c"};
        auto insert = [&](Poco::Data::Session& s)
        {
            MariaDbStatement st(s, "INSERT INTO bulk_t (k) VALUES (?)");
            st.rows(keys.size());
            for (std::size_t i = 0; i < keys.size(); ++i)
                st.text(0, i, keys[i]);
            st.execute();
        };
        // Refused: the rows are rolled back with the transaction.
        Status refused = db.write(
            [&](Poco::Data::Session& s)
            {
                insert(s);
                return Status::exists("refused on purpose");
            });
        CPPUNIT_ASSERT(!refused.isOk());
        Poco::Int64 count = -1;
        Poco::Data::Session s = db.session();
        s << "SELECT COUNT(*) FROM bulk_t", into(count), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), count);
        Status ok = db.write(
            [&](Poco::Data::Session& w)
            {
                insert(w);
                return Status::ok();
            });
        CPPUNIT_ASSERT(ok.isOk());
        s << "SELECT COUNT(*) FROM bulk_t", into(count), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), count);
    }

    void testDuplicateKeyInABulk()
    {
        if (!test::TestStore::isMariaDb())
            return;
        Database& db = _store->db();
        std::vector<std::string> keys{"x", "y", "x"};
        bool duplicate = false;
        try
        {
            db.write(
                [&](Poco::Data::Session& s)
                {
                    MariaDbStatement st(s, "INSERT INTO bulk_t (k) VALUES (?)");
                    st.rows(keys.size());
                    for (std::size_t i = 0; i < keys.size(); ++i)
                        st.text(0, i, keys[i]);
                    st.execute();
                    return Status::ok();
                });
        }
        catch (const std::exception& e)
        {
            duplicate = db.isDuplicateKey(e);
            CPPUNIT_ASSERT_MESSAGE(e.what(), duplicate);
            CPPUNIT_ASSERT(!db.isRetryable(e));
        }
        CPPUNIT_ASSERT(duplicate);
        Poco::Int64 count = -1;
        Poco::Data::Session s = db.session();
        s << "SELECT COUNT(*) FROM bulk_t", into(count), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), count);
    }

private:
    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MariaDbStatementTest);
