// OperationsStagesTest: GET /api/v1/stats and /api/v1/jobs stages (own tenant only, counts only,
// typed 400s), BusinessStats ranges and hold review times, /metrics queue gauges in valid text.
#include "adapters/HoldStore.h"
#include "adapters/InquiryStore.h"
#include "adapters/JobStore.h"
#include "adapters/ProvisionStore.h"
#include "adapters/RecordStore.h"
#include "gateway/BusinessStats.h"
#include "gateway/JobsStage.h"
#include "gateway/MetricsHandler.h"
#include "gateway/StatsStage.h"
#include "tests/gateway/GatewayFixture.h"

#include <Poco/DateTime.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <sstream>

using namespace chukan;

class OperationsStagesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(OperationsStagesTest);
    CPPUNIT_TEST(testStatsCountsOwnTenant);
    CPPUNIT_TEST(testStatsRefusesBadRanges);
    CPPUNIT_TEST(testStatsCsvAndTable);
    CPPUNIT_TEST(testRangeDefaults);
    CPPUNIT_TEST(testJobsOwnTenant);
    CPPUNIT_TEST(testMetricsGauges);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _f.reset(new test::GatewayFixture);
        _f->clock->set(jstMidnight(2026, 4, 2) + 3600LL * 1000000); // 2026-04-02 01:00 JST
    }
    void tearDown() override { _f.reset(); }

    void testStatsCountsOwnTenant()
    {
        seed();
        Exchange ex = request("121002", {{"from", "2026-04-01"}, {"to", "2026-04-02"}});
        CPPUNIT_ASSERT_EQUAL(Stage::STOP, StatsStage(*_f->services).run(ex));
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_OK, ex.status);
        Poco::JSON::Object::Ptr o =
            Poco::JSON::Parser().parse(ex.replyBody).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("121002"), o->getValue<std::string>("tenant"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-04-01"), o->getValue<std::string>("from"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-04-02"), o->getValue<std::string>("to"));
        Poco::JSON::Object::Ptr totals = o->getObject("totals");
        CPPUNIT_ASSERT_EQUAL(1, totals->getValue<int>("inquiries"));
        CPPUNIT_ASSERT_EQUAL(3, totals->getValue<int>("provisions"));
        CPPUNIT_ASSERT_EQUAL(3, totals->getValue<int>("holds"));
        Poco::JSON::Array::Ptr records = o->getArray("records");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), records->size());
        Poco::JSON::Object::Ptr provided = records->getObject(1);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-04-01"), provided->getValue<std::string>("day"));
        CPPUNIT_ASSERT_EQUAL(std::string("provision"), provided->getValue<std::string>("kind"));
        CPPUNIT_ASSERT_EQUAL(std::string("provided"), provided->getValue<std::string>("outcome"));
        CPPUNIT_ASSERT_EQUAL(std::string("1000000000000006"),
                             provided->getValue<std::string>("counterpartCode"));
        CPPUNIT_ASSERT_EQUAL(2, provided->getValue<int>("count"));
        // Holds: approved after 120 s and rejected after 60 s on one day, one still pending.
        Poco::JSON::Array::Ptr holds = o->getArray("holds");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), holds->size());
        int reviewed = 0;
        for (std::size_t i = 0; i < holds->size(); ++i)
        {
            Poco::JSON::Object::Ptr h = holds->getObject(i);
            CPPUNIT_ASSERT_EQUAL(std::string("JM01000000121000"),
                                 h->getValue<std::string>("jimuCode"));
            if (h->getValue<std::string>("state") == "approved")
                CPPUNIT_ASSERT_EQUAL(120, h->getValue<int>("reviewMaxSeconds"));
            if (h->getValue<std::string>("state") == "rejected")
                CPPUNIT_ASSERT_EQUAL(60, h->getValue<int>("reviewAvgSeconds"));
            if (h->getValue<std::string>("state") == "pending")
                CPPUNIT_ASSERT(!h->has("reviewAvgSeconds"));
            reviewed += h->getValue<int>("reviewed");
        }
        CPPUNIT_ASSERT_EQUAL(2, reviewed);
        // Counts only: no 統合宛名番号, 符号 or serial of the seeded rows.
        for (const char* secret : {"000000000000001", "FUGO-", "REF-", "M-H-"})
            CPPUNIT_ASSERT_MESSAGE(secret, ex.replyBody.find(secret) == std::string::npos);

        Exchange other = request("352063", {{"from", "2026-04-01"}, {"to", "2026-04-02"}});
        StatsStage(*_f->services).run(other);
        CPPUNIT_ASSERT(
            other.replyBody.find("\"totals\":{\"holds\":0,\"inquiries\":0,\"provisions\":1}") !=
            std::string::npos);
    }

    void testStatsRefusesBadRanges()
    {
        for (const auto& q : std::vector<std::map<std::string, std::string>>{
                 {{"from", "2026-13-01"}},
                 {{"to", "yesterday"}},
                 {{"from", "2026-04-03"}, {"to", "2026-04-01"}},
                 {{"from", "2024-01-01"}, {"to", "2026-04-01"}},
                 {{"format", "xml"}}})
        {
            Exchange ex = request("121002", q);
            CPPUNIT_ASSERT_EQUAL(Stage::STOP, StatsStage(*_f->services).run(ex));
            CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, ex.status);
            CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ARGUMENT"), ex.errorCode);
        }
        Exchange ex = request("121002", {{"from", "2026-04-03"}, {"to", "2026-04-01"}});
        StatsStage(*_f->services).run(ex);
        CPPUNIT_ASSERT(ex.replyBody.find("from '2026-04-03' is after to '2026-04-01'") !=
                       std::string::npos);
    }

    void testStatsCsvAndTable()
    {
        seed();
        Exchange ex =
            request("121002", {{"from", "2026-04-01"}, {"to", "2026-04-01"}, {"format", "csv"}});
        StatsStage(*_f->services).run(ex);
        CPPUNIT_ASSERT_EQUAL(std::string("text/csv; charset=UTF-8"), ex.replyType);
        std::istringstream lines(ex.replyBody);
        std::string header, line;
        std::getline(lines, header);
        CPPUNIT_ASSERT_EQUAL(
            std::string("section,day,kind,jimu_code,item_code,counterpart_code,outcome,"
                        "count,reviewed,review_avg_seconds,review_max_seconds\r"),
            header);
        int recordsSeen = 0, holdsSeen = 0;
        while (std::getline(lines, line))
        {
            recordsSeen += line.rfind("record,2026-04-01,", 0) == 0;
            holdsSeen += line.rfind("hold,2026-04-01,provision,", 0) == 0;
        }
        CPPUNIT_ASSERT_EQUAL(3, recordsSeen);
        CPPUNIT_ASSERT_EQUAL(3, holdsSeen);

        BusinessStats::Range range =
            BusinessStats::parseRange("2026-04-01", "2026-04-01", 0, "--", 0).value();
        std::string table = BusinessStats::build(_f->store.db(), tenant("121002"), range).table();
        CPPUNIT_ASSERT(
            table.rfind("tenant 121002, 2026-04-01 to 2026-04-01 (Japan time): 1 inquiries, 3 "
                        "provisions, 3 held\n",
                        0) == 0);
        CPPUNIT_ASSERT(table.find("DAY") != std::string::npos);
    }

    void testRangeDefaults()
    {
        Poco::Int64 now = _f->clock->nowMicros(); // 2026-04-02 01:00 JST
        BusinessStats::Range r = BusinessStats::parseRange("", "", now, "--", 0).value();
        CPPUNIT_ASSERT_EQUAL(std::string("2026-04-02"), r.to);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-03-04"), r.from); // 30 days including today
        CPPUNIT_ASSERT_EQUAL(jstMidnight(2026, 4, 3), r.toMicros);
        Status bad = BusinessStats::parseRange("2026-02-30", "", now, "--", 0).status();
        CPPUNIT_ASSERT(bad.message().rfind("--from:", 0) == 0);
        CPPUNIT_ASSERT(BusinessStats::parseRange("2025-04-01", "2026-04-01", now, "", 366).isOk());
        CPPUNIT_ASSERT(!BusinessStats::parseRange("2025-03-31", "2026-04-01", now, "", 366).isOk());
    }

    void testJobsOwnTenant()
    {
        JobStore jobs(_f->store.db());
        Poco::Int64 t = _f->clock->nowMicros();
        CPPUNIT_ASSERT(jobs.create(tenant("121002"), "bulk-1", "bulk-inquiry", 10, t).isOk());
        CPPUNIT_ASSERT(jobs.claim(tenant("121002"), "bulk-1", "node-1", t + 1000000, t).isOk());
        CPPUNIT_ASSERT(jobs.create(tenant("121002"), "retention-1", "retention", 0, t + 1).isOk());
        CPPUNIT_ASSERT(
            jobs.claim(tenant("121002"), "retention-1", "node-1", t + 1000000, t + 1).isOk());
        CPPUNIT_ASSERT(jobs.finish(tenant("121002"), "retention-1", "node-1", "failed",
                                   "chain broken at seq 4", t + 2)
                           .isOk());
        CPPUNIT_ASSERT(jobs.create(tenant("352063"), "bulk-other", "bulk-inquiry", 3, t).isOk());

        Exchange all = request("121002", {});
        CPPUNIT_ASSERT_EQUAL(Stage::STOP, JobsStage(*_f->services).run(all));
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_OK, all.status);
        Poco::JSON::Object::Ptr o =
            Poco::JSON::Parser().parse(all.replyBody).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(2, o->getValue<int>("count"));
        CPPUNIT_ASSERT(all.replyBody.find("bulk-other") == std::string::npos);
        Poco::JSON::Object::Ptr first = o->getArray("jobs")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("bulk-1"), first->getValue<std::string>("job"));
        CPPUNIT_ASSERT_EQUAL(std::string("running"), first->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(10, first->getValue<int>("total"));
        CPPUNIT_ASSERT_EQUAL(std::string("node-1"), first->getValue<std::string>("node"));

        Exchange failed = request("121002", {{"state", "failed"}});
        JobsStage(*_f->services).run(failed);
        o = Poco::JSON::Parser().parse(failed.replyBody).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(1, o->getValue<int>("count"));
        CPPUNIT_ASSERT_EQUAL(std::string("chain broken at seq 4"),
                             o->getArray("jobs")->getObject(0)->getValue<std::string>("error"));

        Exchange kind = request("121002", {{"kind", "bulk-inquiry"}});
        JobsStage(*_f->services).run(kind);
        CPPUNIT_ASSERT(kind.replyBody.find("\"count\":1") != std::string::npos);

        Exchange bad = request("121002", {{"state", "sleeping"}});
        JobsStage(*_f->services).run(bad);
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, bad.status);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ARGUMENT"), bad.errorCode);
    }

    void testMetricsGauges()
    {
        seed();
        InquiryStore inquiries(_f->store.db());
        Inquiry q;
        q.serial = "S-1";
        q.systemId = "juki";
        q.atenaNo = "000000000000001";
        q.jimuCode = "JM01000000121000";
        q.procedureCode = "JT01010000000214";
        q.itemCode = "TM00000000000002";
        q.providerCode = "3520630000000000";
        CPPUNIT_ASSERT(inquiries.add(tenant("121002"), q, 1).isOk());
        _f->services->metrics.counter("chukan_test_total", "outcome=\"x\"", "A test counter").inc();
        _f->services->metrics.histogram("chukan_test_seconds", "endpoint=\"x\"", "A test histogram")
            .observe(0.01);
        std::string text = MetricsHandler::render(*_f->services);
        CPPUNIT_ASSERT(text.find("chukan_inquiries_queued{tenant=\"121002\"} 1\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(text.find("chukan_inquiries_queued{tenant=\"352063\"} 0\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(text.find("chukan_holds_pending{tenant=\"121002\"} 1\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(text.find("chukan_store_up 1\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("# TYPE chukan_store_commits_total counter\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("\nchukan_store_writes_total " + std::to_string(_f->services->db->writes()) +
                                 "\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("# TYPE chukan_outbox_pending gauge\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("chukan_test_total{outcome=\"x\"} 1\n") != std::string::npos);
        // Every line is a comment or `name{labels} value`; every sample's family has one TYPE.
        static const std::regex sample(
            R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*)?\})? -?[0-9.e+-]+|# (HELP|TYPE) .*)");
        std::istringstream in(text);
        std::string line;
        int types = 0;
        while (std::getline(in, line))
        {
            CPPUNIT_ASSERT_MESSAGE(line, std::regex_match(line, sample));
            types += line.rfind("# TYPE ", 0) == 0;
        }
        CPPUNIT_ASSERT(types >= 8);
    }

private:
    static TenantCode tenant(const std::string& code) { return TenantCode::parse(code).value(); }

    static Poco::Int64 jstMidnight(int y, int m, int d)
    {
        return Poco::DateTime(y, m, d).timestamp().epochMicroseconds() - 9LL * 3600 * 1000000;
    }

    Exchange request(const std::string& code, std::map<std::string, std::string> query)
    {
        Exchange ex;
        ex.requestId = "req-test";
        ex.tenant = tenant(code);
        ex.systemId = "juki";
        ex.query = std::move(query);
        return ex;
    }

    /// 121002 on 2026-04-01: provisions provided ×2, refused ×1, inquiry completed ×1; three
    /// holds (approved after 120 s, rejected after 60 s, pending). 352063: one provision.
    void seed()
    {
        Database& db = _f->store.db();
        const Poco::Int64 day = jstMidnight(2026, 4, 1), second = 1000000;
        RecordStore records(db);
        int n = 0;
        auto add = [&](const std::string& t, const std::string& kind, const std::string& outcome)
        {
            ProvisionRecord r;
            r.kind = kind;
            ++n;
            r.requesterCode = kind == "inquiry" ? "1210020000000000" : "1000000000000006";
            r.providerCode = kind == "inquiry" ? "3520630000000000" : "1210020000000000";
            r.jimuCode = "JM01000000121000";
            r.procedureCode = "JT01010000000214";
            r.itemCode = "TM00000000000002";
            r.subjectFugo = "FUGO-" + std::to_string(n);
            r.subjectAtena = "000000000000001";
            r.requestedAt = day + n * second;
            r.outcome = outcome;
            r.refId = "REF-" + std::to_string(n);
            r.createdAt = day + n * second;
            CPPUNIT_ASSERT(records.append(tenant(t), r).isOk());
        };
        add("121002", "provision", "provided");
        add("121002", "provision", "provided");
        add("121002", "provision", "refused");
        add("121002", "inquiry", "completed");
        add("352063", "provision", "provided");
        ProvisionStore provisions(db);
        HoldStore holds(db);
        for (const char* id : {"H-1", "H-2", "H-3"})
        {
            ProvisionRequest p;
            p.messageId = std::string("M-") + id;
            p.permitId = std::string("P-") + id;
            p.requesterCode = "1000000000000006";
            p.jimuCode = "JM01000000121000";
            p.procedureCode = "JT01010000000214";
            p.itemCode = "TM00000000000002";
            p.fugo = "FUGO-HELD";
            p.route = "ipn";
            CPPUNIT_ASSERT(provisions.add(tenant("121002"), p, day).isOk());
            Hold h;
            h.holdId = id;
            h.messageId = p.messageId;
            h.reason = "DV等支援措置";
            h.deadline = day + 86400 * second;
            CPPUNIT_ASSERT(holds.add(tenant("121002"), h, day + 100 * second).isOk());
        }
        CPPUNIT_ASSERT(
            holds.decide(tenant("121002"), "H-1", "approved", "rev-1", "", day + 220 * second)
                .isOk());
        CPPUNIT_ASSERT(holds
                           .decide(tenant("121002"), "H-2", "rejected", "rev-2", "REJECTED_OTHER",
                                   day + 160 * second)
                           .isOk());
    }

    std::unique_ptr<test::GatewayFixture> _f;
};

CPPUNIT_TEST_SUITE_REGISTRATION(OperationsStagesTest);
