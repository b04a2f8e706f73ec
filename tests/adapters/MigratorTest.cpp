// MigratorTest: migrations from empty, idempotent re-runs, newer-schema refusal, and two nodes at once.
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <Poco/Data/Session.h>

#include <cppunit/extensions/HelperMacros.h>

#include <thread>
#include <vector>

using namespace chukan;
using namespace Poco::Data::Keywords;

class MigratorTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MigratorTest);
    CPPUNIT_TEST(testFromEmpty);
    CPPUNIT_TEST(testRerunIsNoOp);
    CPPUNIT_TEST(testNewerSchemaRefused);
    CPPUNIT_TEST(testIncrementalMigration);
    CPPUNIT_TEST(testTwoNodesMigrateAtOnce);
    CPPUNIT_TEST(testEveryTableCarriesTenant);
    CPPUNIT_TEST(testInquiryQueueNeedsNoSort);
    CPPUNIT_TEST(testRecordByReferenceUsesIndex);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFromEmpty()
    {
        test::TestStore store;
        Migrator m(store.db());
        CPPUNIT_ASSERT_EQUAL(0, m.currentVersion());
        Result<int> v = m.migrate();
        CPPUNIT_ASSERT_MESSAGE(v.status().toString(), v.isOk());
        CPPUNIT_ASSERT_EQUAL(Schema::latestVersion(), v.value());
        CPPUNIT_ASSERT_EQUAL(Schema::latestVersion(), m.currentVersion());
        Poco::Data::Session s = store.db().session();
        int n = -1;
        s << "SELECT COUNT(*) FROM provision_records", into(n), now;
        CPPUNIT_ASSERT_EQUAL(0, n);
    }

    // InquiryStore::listByState's query (kept in step with it): the dispatch order comes from
    // the index, not from sorting every queued inquiry of one instant (a bulk job's) per listing.
    void testInquiryQueueNeedsNoSort()
    {
        test::TestStore store;
        CPPUNIT_ASSERT(Migrator(store.db()).migrate().isOk());
        if (store.db().backend() == Database::SQLITE)
        {
            std::string plan = sqlitePlan(store, "SELECT * FROM inquiries WHERE tenant_code = '121002'"
                                                 " AND state = 'queued' ORDER BY updated_at, serial LIMIT 32");
            CPPUNIT_ASSERT_MESSAGE(plan, plan.find("ix_inquiries_queue") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(plan, plan.find("TEMP B-TREE") == std::string::npos);
        }
        std::string names = indexNames(store, "inquiries");
        CPPUNIT_ASSERT_MESSAGE(names, names.find("ix_inquiries_queue") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(names, names.find("ix_inquiries_state") == std::string::npos);
    }

    // RecordStore::count's query by reference (kept in step with RecordStore::whereClause): an
    // index lookup, not a scan of every record of the tenant.
    void testRecordByReferenceUsesIndex()
    {
        test::TestStore store;
        CPPUNIT_ASSERT(Migrator(store.db()).migrate().isOk());
        if (store.db().backend() == Database::SQLITE)
        {
            std::string plan = sqlitePlan(store, "SELECT COUNT(*) FROM provision_records WHERE tenant_code = '121002'"
                                                 " AND ref_id = 'Q1' AND kind = 'inquiry'");
            CPPUNIT_ASSERT_MESSAGE(plan, plan.find("USING COVERING INDEX ix_records_ref") != std::string::npos);
        }
        std::string names = indexNames(store, "provision_records");
        CPPUNIT_ASSERT_MESSAGE(names, names.find("ix_records_ref") != std::string::npos);
    }

    void testRerunIsNoOp()
    {
        test::TestStore store;
        Migrator m(store.db());
        CPPUNIT_ASSERT(m.migrate().isOk());
        Result<int> again = m.migrate();
        CPPUNIT_ASSERT(again.isOk());
        CPPUNIT_ASSERT_EQUAL(Schema::latestVersion(), again.value());
        Poco::Data::Session s = store.db().session();
        int rows = 0;
        s << "SELECT COUNT(*) FROM schema_migrations", into(rows), now;
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(Schema::migrations().size()), rows);
    }

    void testNewerSchemaRefused()
    {
        test::TestStore store;
        Migrator m(store.db());
        CPPUNIT_ASSERT(m.migrate().isOk());
        Poco::Data::Session s = store.db().session();
        int future = Schema::latestVersion() + 5;
        std::string name = "from the future";
        Poco::Int64 at = 0;
        s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", use(future), use(name),
            use(at), now;
        Result<int> r = m.migrate();
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("newer than this binary") != std::string::npos);
    }

    void testIncrementalMigration()
    {
        test::TestStore store;
        std::vector<Migration> v1 = {Schema::migrations().front()};
        CPPUNIT_ASSERT_EQUAL(1, Migrator(store.db(), v1).migrate().value());
        std::vector<Migration> v2 = v1;
        v2.push_back({v1.back().version + 1, "test extra table",
                      {"CREATE TABLE IF NOT EXISTS extra_t (tenant_code VARCHAR(6) NOT NULL,"
                       " k VARCHAR(10) NOT NULL, PRIMARY KEY (tenant_code, k)){TABLE}"}});
        Result<int> r = Migrator(store.db(), v2).migrate();
        CPPUNIT_ASSERT(r.isOk());
        CPPUNIT_ASSERT_EQUAL(v1.back().version + 1, r.value());
        // The binary that only knows v1 now refuses the store.
        CPPUNIT_ASSERT(!Migrator(store.db(), v1).migrate().isOk());
    }

    void testTwoNodesMigrateAtOnce()
    {
        test::TestStore store;
        std::shared_ptr<Database> other = store.openAnother();
        Result<int> a = Status::internal("not run"), b = Status::internal("not run");
        std::thread t1([&] { a = Migrator(store.db()).migrate(); });
        std::thread t2([&] { b = Migrator(*other).migrate(); });
        t1.join();
        t2.join();
        CPPUNIT_ASSERT_MESSAGE(a.status().toString(), a.isOk());
        CPPUNIT_ASSERT_MESSAGE(b.status().toString(), b.isOk());
        Poco::Data::Session s = store.db().session();
        int rows = 0;
        s << "SELECT COUNT(*) FROM schema_migrations", into(rows), now;
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(Schema::migrations().size()), rows);
    }

    void testEveryTableCarriesTenant()
    {
        // Every statement that creates a table declares tenant_code.
        for (const Migration& m : Schema::migrations())
            for (const std::string& stmt : m.statements)
                if (stmt.find("CREATE TABLE") != std::string::npos)
                    CPPUNIT_ASSERT_MESSAGE(stmt, stmt.find("tenant_code VARCHAR(6) NOT NULL") != std::string::npos);
    }

private:
    /// SQLite's EXPLAIN QUERY PLAN of sql, one line a step.
    static std::string sqlitePlan(test::TestStore& store, const std::string& sql)
    {
        Poco::Data::Session s = store.db().session();
        std::vector<int> id, parent, unused;
        std::vector<std::string> plan;
        s << "EXPLAIN QUERY PLAN " + sql, into(id), into(parent), into(unused), into(plan), now;
        std::string all;
        for (const std::string& line : plan)
            all += line + "\n";
        return all;
    }

    /// The names of table's indexes, space-separated, on either backend.
    static std::string indexNames(test::TestStore& store, const std::string& table)
    {
        Poco::Data::Session s = store.db().session();
        std::vector<std::string> names;
        std::string t = table;
        if (store.db().backend() == Database::SQLITE)
            s << "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", use(t), into(names), now;
        else
            s << "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE()"
                 " AND table_name = ?",
                use(t), into(names), now;
        std::string all;
        for (const std::string& n : names)
            all += n + " ";
        return all;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MigratorTest);
