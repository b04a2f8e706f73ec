// RegistrationStagesTest: 符号 registration and 副本 registration through their stages, with per-record reports.
#include "adapters/FugoStore.h"
#include "adapters/ReplicaStore.h"
#include "codecs/ReplicaRegistrationCodec.h"
#include "gateway/FugoRegisterStage.h"
#include "gateway/RefuseMyNumberStage.h"
#include "gateway/ReplicaRegisterStage.h"
#include "tests/gateway/GatewayFixture.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;
using namespace Poco::Data::Keywords;

class RegistrationStagesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RegistrationStagesTest);
    CPPUNIT_TEST(testFugoObtainedAndJuminhyoDropped);
    CPPUNIT_TEST(testFugoBadRecordsReportedOthersGoOn);
    CPPUNIT_TEST(testFugoBadJson);
    CPPUNIT_TEST(testMyNumberRefusedBeforeAnything);
    CPPUNIT_TEST(testFugoFileObtained);
    CPPUNIT_TEST(testFugoFileBadRecordRefusesWholeFile);
    CPPUNIT_TEST(testFugoFileMyNumberInAnyFieldRefused);
    CPPUNIT_TEST(testReplicaRegisterAndDelete);
    CPPUNIT_TEST(testReplicaTestModeStoresNothing);
    CPPUNIT_TEST(testReplicaInvalidDocumentRefusedWhole);
    CPPUNIT_TEST(testReplicaStaleVersionRejectedPerRecord);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _f.reset(new test::GatewayFixture); }
    void tearDown() override { _f.reset(); }

    void testFugoObtainedAndJuminhyoDropped()
    {
        Exchange ex = authenticated(R"({"records":[{"atenaNo":"000000000000101","juminhyoCode":"98765432101"},)"
                                    R"({"atenaNo":"000000000000102","juminhyoCode":"98765432102"}]})");
        FugoRegisterStage stage(*_f->services);
        CPPUNIT_ASSERT_EQUAL(Stage::STOP, stage.run(ex));
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_OK, ex.status);
        Poco::JSON::Object::Ptr reply = parse(ex.replyBody);
        CPPUNIT_ASSERT_EQUAL(2, reply->getValue<int>("accepted"));
        CPPUNIT_ASSERT(ex.replyBody.find("98765432101") == std::string::npos); // not echoed
        FugoStore fugos(_f->store.db());
        std::optional<FugoRow> row = fugos.findByAtena(chiba(), "000000000000101");
        CPPUNIT_ASSERT(row.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("obtained"), row->state);
        // The 住民票コード reached the network, but no column holds it.
        Poco::Data::Session s = _f->store.db().session();
        int n = 0;
        s << "SELECT COUNT(*) FROM fugo_map WHERE atena_no LIKE '%98765432101%' OR state LIKE '%98765432101%'",
            into(n), now;
        CPPUNIT_ASSERT_EQUAL(0, n);
        CPPUNIT_ASSERT_EQUAL(2, _f->network->calls);
    }

    void testFugoBadRecordsReportedOthersGoOn()
    {
        _f->network->refused["98765432103"] = "UNKNOWN_PERSON: no such 住民票コード";
        Exchange ex = authenticated(R"({"records":[{"atenaNo":"12345","juminhyoCode":"98765432101"},)"
                                    R"({"atenaNo":"000000000000103","juminhyoCode":"98765432103"},)"
                                    R"({"atenaNo":"000000000000104","juminhyoCode":"9876"},)"
                                    R"({"atenaNo":"000000000000105","juminhyoCode":"98765432105"}]})");
        FugoRegisterStage stage(*_f->services);
        stage.run(ex);
        Poco::JSON::Object::Ptr reply = parse(ex.replyBody);
        CPPUNIT_ASSERT_EQUAL(1, reply->getValue<int>("accepted"));
        CPPUNIT_ASSERT_EQUAL(3, reply->getValue<int>("rejected"));
        CPPUNIT_ASSERT(ex.replyBody.find("record 1 field atenaNo: must be 15 digits") != std::string::npos);
        CPPUNIT_ASSERT(ex.replyBody.find("UNKNOWN_PERSON") != std::string::npos);
        CPPUNIT_ASSERT(ex.replyBody.find("record 3 field juminhyoCode: must be 11 digits") != std::string::npos);
        CPPUNIT_ASSERT(FugoStore(_f->store.db()).findByAtena(chiba(), "000000000000105").has_value());
    }

    void testFugoBadJson()
    {
        Exchange ex = authenticated("{\"records\": [");
        FugoRegisterStage stage(*_f->services);
        CPPUNIT_ASSERT_EQUAL(Stage::STOP, stage.run(ex));
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ARGUMENT"), ex.errorCode);
        Exchange empty = authenticated("{\"records\": []}");
        stage.run(empty);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ARGUMENT"), empty.errorCode);
        CPPUNIT_ASSERT_EQUAL(0, _f->network->calls);
    }

    void testMyNumberRefusedBeforeAnything()
    {
        // 123456789018 is a valid 個人番号 by the check-digit rule (synthetic).
        Exchange ex = authenticated(R"({"records":[{"atenaNo":"000000000000101","juminhyoCode":"98765432101","no":"123456789018"}]})");
        RefuseMyNumberStage stage(*_f->services);
        CPPUNIT_ASSERT_EQUAL(Stage::STOP, stage.run(ex));
        CPPUNIT_ASSERT_EQUAL(std::string("MYNUMBER_REFUSED"), ex.errorCode);
        CPPUNIT_ASSERT(ex.replyBody.find("123456789018") == std::string::npos);
        Exchange fine = authenticated(R"({"records":[{"atenaNo":"000000000000101","juminhyoCode":"98765432101"}]})");
        CPPUNIT_ASSERT_EQUAL(Stage::CONTINUE, stage.run(fine));
    }

    /// One 64-byte fugo_request record (CP932 is ASCII here), CRLF-terminated.
    static std::string fugoRecord(const std::string& kind, const std::string& atena,
                                  const std::string& juminhyo, const std::string& date = "20261130",
                                  const std::string& filler = "")
    {
        std::string r = kind + atena + juminhyo + date + filler;
        r.append(64 - r.size(), ' ');
        return r + "\r\n";
    }

    void useSourceLayouts() { _f->services->settings.layoutsDir = std::string(CHUKAN_SOURCE_DIR) + "/conf/layouts"; }

    void testFugoFileObtained()
    {
        useSourceLayouts();
        Exchange ex = authenticated(fugoRecord("1", "000000000000201", "98765432201") +
                                    fugoRecord("1", "000000000000202", "98765432202", "        "));
        FugoRegisterStage stage(*_f->services, FugoRegisterStage::FIXED);
        CPPUNIT_ASSERT_EQUAL(Stage::STOP, stage.run(ex));
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_OK, ex.status);
        Poco::JSON::Object::Ptr reply = parse(ex.replyBody);
        CPPUNIT_ASSERT_EQUAL(2, reply->getValue<int>("accepted"));
        CPPUNIT_ASSERT(ex.replyBody.find("98765432201") == std::string::npos); // not echoed
        CPPUNIT_ASSERT_EQUAL(std::string("obtained"),
                             FugoStore(_f->store.db()).findByAtena(chiba(), "000000000000202")->state);
        CPPUNIT_ASSERT_EQUAL(2, _f->network->calls);
    }

    void testFugoFileBadRecordRefusesWholeFile()
    {
        useSourceLayouts();
        Exchange ex = authenticated(fugoRecord("1", "000000000000211", "98765432211") +
                                    fugoRecord("2", "000000000000212", "98765432212") +
                                    fugoRecord("1", "00000000000021X", "98765432213"));
        FugoRegisterStage stage(*_f->services, FugoRegisterStage::FIXED);
        CPPUNIT_ASSERT_EQUAL(Stage::STOP, stage.run(ex));
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, ex.status);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_FILE"), ex.errorCode);
        CPPUNIT_ASSERT_MESSAGE(ex.replyBody, ex.replyBody.find("record 2, field record_kind") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(ex.replyBody, ex.replyBody.find("record 3, field tougou_atena_no") != std::string::npos);
        CPPUNIT_ASSERT(ex.replyBody.find("98765432213") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, _f->network->calls);
        CPPUNIT_ASSERT(!FugoStore(_f->store.db()).findByAtena(chiba(), "000000000000211").has_value());

        Exchange shortRecord = authenticated("1000000000000213\r\n");
        stage.run(shortRecord);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_FILE"), shortRecord.errorCode);
        Exchange empty = authenticated("");
        stage.run(empty);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ARGUMENT"), empty.errorCode);
        CPPUNIT_ASSERT_EQUAL(0, _f->network->calls);
    }

    void testFugoFileMyNumberInAnyFieldRefused()
    {
        useSourceLayouts();
        // 123456789018 is a valid 個人番号 by the check-digit rule (synthetic), hidden in 予備.
        Exchange ex = authenticated(fugoRecord("1", "000000000000221", "98765432221") +
                                    fugoRecord("1", "000000000000222", "98765432222", "20261130", "123456789018"));
        FugoRegisterStage stage(*_f->services, FugoRegisterStage::FIXED);
        CPPUNIT_ASSERT_EQUAL(Stage::STOP, stage.run(ex));
        CPPUNIT_ASSERT_EQUAL(std::string("MYNUMBER_REFUSED"), ex.errorCode);
        CPPUNIT_ASSERT_MESSAGE(ex.replyBody, ex.replyBody.find("record 2, field filler") != std::string::npos);
        CPPUNIT_ASSERT(ex.replyBody.find("123456789018") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, _f->network->calls);
        CPPUNIT_ASSERT(!FugoStore(_f->store.db()).findByAtena(chiba(), "000000000000221").has_value());
    }

    void testReplicaRegisterAndDelete()
    {
        ReplicaRegisterStage stage(*_f->services);
        Exchange ex = authenticated(message(MessageHeader::LIVE, {record("R1", 1, "<Tax><Income>3000000</Income></Tax>"),
                                                                   record("R2", 1, "<Tax><Income>0</Income></Tax>")}));
        stage.run(ex);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ex.replyBody, Poco::Net::HTTPResponse::HTTP_OK, ex.status);
        CPPUNIT_ASSERT_EQUAL(2, parse(ex.replyBody)->getValue<int>("accepted"));
        ReplicaStore replicas(_f->store.db());
        std::optional<ReplicaItem> r1 = replicas.current(chiba(), "R1");
        CPPUNIT_ASSERT(r1.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("<Tax><Income>3000000</Income></Tax>"), r1->payload.value());
        CPPUNIT_ASSERT_EQUAL(std::string("juki"), r1->sourceSystem);
        ReplicaRecord del = record("R2", 2, "");
        del.operation = ReplicaRecord::REMOVE;
        del.dataNil = true;
        del.nilReason = "deleted";
        Exchange ex2 = authenticated(message(MessageHeader::LIVE, {del}));
        stage.run(ex2);
        CPPUNIT_ASSERT_MESSAGE(ex2.replyBody, ex2.replyBody.find("\"status\":\"deleted\"") != std::string::npos);
        CPPUNIT_ASSERT(replicas.current(chiba(), "R2")->deleted);
        // The other tenant sees nothing.
        CPPUNIT_ASSERT(!replicas.current(TenantCode::parse("352063").value(), "R1").has_value());
    }

    void testReplicaTestModeStoresNothing()
    {
        ReplicaRegisterStage stage(*_f->services);
        Exchange ex = authenticated(message(MessageHeader::TEST, {record("R1", 1, "<A/>")}));
        stage.run(ex);
        CPPUNIT_ASSERT(ex.replyBody.find("\"status\":\"checked\"") != std::string::npos);
        CPPUNIT_ASSERT(!ReplicaStore(_f->store.db()).current(chiba(), "R1").has_value());
    }

    void testReplicaInvalidDocumentRefusedWhole()
    {
        ReplicaRegisterStage stage(*_f->services);
        std::string xml = message(MessageHeader::LIVE, {record("R1", 1, "<A/>")});
        std::string::size_type at = xml.find("000000000000101");
        xml.replace(at, 15, "00000000000010X"); // breaks the 15-digit pattern
        Exchange ex = authenticated(xml);
        stage.run(ex);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_MESSAGE"), ex.errorCode);
        CPPUNIT_ASSERT(!ReplicaStore(_f->store.db()).current(chiba(), "R1").has_value());
        Exchange xxe = authenticated("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");
        stage.run(xxe);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_MESSAGE"), xxe.errorCode);
        CPPUNIT_ASSERT(xxe.replyBody.find("root:") == std::string::npos);
    }

    void testReplicaStaleVersionRejectedPerRecord()
    {
        ReplicaRegisterStage stage(*_f->services);
        Exchange first = authenticated(message(MessageHeader::LIVE, {record("R1", 3, "<A>3</A>")}));
        stage.run(first);
        Exchange ex = authenticated(message(MessageHeader::LIVE, {record("R1", 2, "<A>2</A>"), record("R9", 1, "<A>9</A>")}));
        stage.run(ex);
        Poco::JSON::Object::Ptr reply = parse(ex.replyBody);
        CPPUNIT_ASSERT_EQUAL(1, reply->getValue<int>("accepted"));
        CPPUNIT_ASSERT_EQUAL(1, reply->getValue<int>("rejected"));
        CPPUNIT_ASSERT(ex.replyBody.find("record 1 (R1)") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("<A>3</A>"), ReplicaStore(_f->store.db()).current(chiba(), "R1")->payload.value());
    }

private:
    static TenantCode chiba() { return TenantCode::parse("121002").value(); }

    Exchange authenticated(const std::string& body)
    {
        Exchange ex = _f->exchange("121002", "", "x", body);
        ex.tenant = chiba();
        ex.systemId = "juki";
        return ex;
    }

    static Poco::JSON::Object::Ptr parse(const std::string& json)
    {
        Poco::JSON::Parser p;
        return p.parse(json).extract<Poco::JSON::Object::Ptr>();
    }

    static ReplicaRecord record(const std::string& id, int version, const std::string& data)
    {
        ReplicaRecord r;
        r.recordId = id;
        r.atenaNo = "000000000000101";
        r.dataItemCode = "TM00000000000002";
        r.dataSetKey = "2026";
        r.version = version;
        r.publishFrom = "2026-04-01";
        r.data = data;
        return r;
    }

    static std::string message(MessageHeader::Mode mode, const std::vector<ReplicaRecord>& records)
    {
        ReplicaRegistration m;
        m.header.messageId = "MSG0000000000001";
        m.header.messageType = ReplicaRegistrationCodec::MESSAGE_TYPE;
        m.header.mode = mode;
        m.header.sourceSystem = "zeimu";
        m.header.destinationSystem = "chukan";
        m.records = records;
        Result<std::string> xml = ReplicaRegistrationCodec::encode(m);
        if (!xml)
            throw std::runtime_error(xml.status().toString());
        return xml.value();
    }

    std::unique_ptr<test::GatewayFixture> _f;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RegistrationStagesTest);
