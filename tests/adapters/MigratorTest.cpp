// MigratorTest: migrations from empty, idempotent re-runs, newer-schema refusal, two nodes at once, and
// what particular migrations must hold (indexes used, one current 副本 row).
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
    CPPUNIT_TEST(testOutboxQueueNeedsNoSort);
    CPPUNIT_TEST(testRecordByReferenceUsesIndex);
    CPPUNIT_TEST(testOneCurrentReplicaRow);
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

    // OutboxStore::due's query (kept in step with it): the due order comes from the index, not
    // from a temporary B-tree built on every listing of the worker loop.
    void testOutboxQueueNeedsNoSort()
    {
        test::TestStore store;
        CPPUNIT_ASSERT(Migrator(store.db()).migrate().isOk());
        if (store.db().backend() == Database::SQLITE)
        {
            std::string plan = sqlitePlan(store, "SELECT message_id FROM outbox WHERE tenant_code = '352063'"
                                                 " AND state = 'pending' AND next_attempt_at <= 5"
                                                 " ORDER BY next_attempt_at, message_id LIMIT 32");
            CPPUNIT_ASSERT_MESSAGE(plan, plan.find("ix_outbox_queue") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(plan, plan.find("TEMP B-TREE") == std::string::npos);
        }
        std::string names = indexNames(store, "outbox");
        CPPUNIT_ASSERT_MESSAGE(names, names.find("ix_outbox_queue") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(names, names.find("ix_outbox_due") == std::string::npos);
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

    // Migration 10: a store of schema 9 where a race left several current versions of a record
    // keeps only the highest current; then MariaDB itself refuses a second current row.
    void testOneCurrentReplicaRow()
    {
        test::TestStore store;
        std::vector<Migration> upTo9;
        for (const Migration& m : Schema::migrations())
            if (m.version <= 9)
                upTo9.push_back(m);
        CPPUNIT_ASSERT_EQUAL(9, Migrator(store.db(), upTo9).migrate().value());
        // versions 1, 3, 2 all current; R-2: 1 old, 2 current; R-3 of another tenant.
        insertReplicaRow(store, "121002", "R-1", 1, 1);
        insertReplicaRow(store, "121002", "R-1", 3, 1);
        insertReplicaRow(store, "121002", "R-1", 2, 1);
        insertReplicaRow(store, "121002", "R-2", 1, 0);
        insertReplicaRow(store, "121002", "R-2", 2, 1);
        insertReplicaRow(store, "352063", "R-1", 1, 1);
        Result<int> v = Migrator(store.db()).migrate();
        CPPUNIT_ASSERT_MESSAGE(v.status().toString(), v.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("121002 R-1 3,121002 R-2 2,352063 R-1 1,"), currentRows(store));
        std::string names = indexNames(store, "replica_items");
        if (store.db().backend() == Database::SQLITE)
        {
            // One writer at a time there; the index cost 13-15 % of a 副本 import's CPU (Schema.cpp).
            CPPUNIT_ASSERT_MESSAGE(names, names.find("ux_replica_current") == std::string::npos);
            return;
        }
        CPPUNIT_ASSERT_MESSAGE(names, names.find("ux_replica_current") != std::string::npos);

        // A second current row is a duplicate key; another current record, a demoted row, or a
        // new current row once the old one is demoted are not.
        bool refused = false;
        try
        {
            insertReplicaRow(store, "121002", "R-2", 5, 1);
        }
        catch (const std::exception& e)
        {
            refused = store.db().isDuplicateKey(e);
        }
        CPPUNIT_ASSERT_MESSAGE("a second current row was stored", refused);
        insertReplicaRow(store, "121002", "R-2", 6, 0);
        insertReplicaRow(store, "121002", "R-3", 1, 1);
        Poco::Data::Session s = store.db().session();
        s << "UPDATE replica_items SET is_current = 0 WHERE tenant_code = '121002' AND record_id = 'R-2'", now;
        insertReplicaRow(store, "121002", "R-2", 7, 1);
        CPPUNIT_ASSERT_EQUAL(std::string("121002 R-1 3,121002 R-2 7,121002 R-3 1,352063 R-1 1,"),
                             currentRows(store));
        CPPUNIT_ASSERT(Migrator(store.db()).migrate().isOk()); // idempotent
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
    /// A replica_items row with an explicit column list (MariaDB's current_record is generated).
    static void insertReplicaRow(test::TestStore& store, const std::string& tenant, const std::string& recordId,
                                 int version, int current)
    {
        Poco::Data::Session s = store.db().session();
        std::string t = tenant, id = recordId;
        s << "INSERT INTO replica_items (tenant_code, record_id, version, atena_no, item_code, dataset_key,"
             " payload, nil_reason, publish_from, publish_to, auto_answer, is_current, deleted, source_system,"
             " updated_at) VALUES (?, ?, ?, '000000000000001', 'TM00000000000002', '', NULL, 'none', NULL, NULL,"
             " 1, ?, 0, 'yobo', 1)",
            use(t), use(id), use(version), use(current), now;
    }

    /// "tenant record version," for every current replica row, in key order.
    static std::string currentRows(test::TestStore& store)
    {
        Poco::Data::Session s = store.db().session();
        std::vector<std::string> tenants, ids;
        std::vector<int> versions;
        s << "SELECT tenant_code, record_id, version FROM replica_items WHERE is_current = 1"
             " ORDER BY tenant_code, record_id, version",
            into(tenants), into(ids), into(versions), now;
        std::string all;
        for (std::size_t i = 0; i < ids.size(); ++i)
            all += tenants[i] + " " + ids[i] + " " + std::to_string(versions[i]) + ",";
        return all;
    }

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
