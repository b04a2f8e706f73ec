// ReplicaFileTest: 副本 from fixed-length files — the HTTP stage's per-batch report and versions,
// and the drop folder's claim/report/move.
#include "adapters/ReplicaStore.h"
#include "codecs/LayoutCodec.h"
#include "codecs/XmlWriter.h"
#include "gateway/ReplicaDropWatcher.h"
#include "gateway/ReplicaFileImporter.h"
#include "gateway/ReplicaFileStage.h"
#include "tests/gateway/GatewayFixture.h"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

using namespace chukan;

class ReplicaFileTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReplicaFileTest);
    CPPUNIT_TEST(testGoodAndBadRecordsInOneUpload);
    CPPUNIT_TEST(testUnchangedReupload);
    CPPUNIT_TEST(testVersionBumpOnChange);
    CPPUNIT_TEST(testJuminhyoCodeNeverStoredNorEchoed);
    CPPUNIT_TEST(testDatasetAndAutoAnswer);
    CPPUNIT_TEST(testDuplicateRecordIdInOneFile);
    CPPUNIT_TEST(testBadParametersRefused);
    CPPUNIT_TEST(testZeimuLayout);
    CPPUNIT_TEST(testPayloadRoundTrip);
    CPPUNIT_TEST(testPayloadBytesPinned);
    CPPUNIT_TEST(testPipelinedBatchesReportAsOneBatch);
    CPPUNIT_TEST(testStoreFailureMidFileStopsTheWorker);
    CPPUNIT_TEST(testDropGoodFileDone);
    CPPUNIT_TEST(testDropBadRecordsFailedGoodStored);
    CPPUNIT_TEST(testDropUnknownOrUnauthorisedSystemFailed);
    CPPUNIT_TEST(testDropBadNameFailed);
    CPPUNIT_TEST(testDropLeftoverInProcessingReimported);
    CPPUNIT_TEST(testDropSameNameTwiceKeepsBoth);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _f.reset(new test::GatewayFixture);
        _f->services->settings.layoutsDir = std::string(CHUKAN_SOURCE_DIR) + "/conf/layouts";
        _drop = test::makeTempDir("chukan-drop");
        _f->services->settings.replicaDropDir = _drop;
        Result<Layout> layout =
            Layout::load(_f->services->settings.layoutsDir + "/juki_resident.xml");
        CPPUNIT_ASSERT_MESSAGE(layout.status().toString(), layout.isOk());
        _juki.reset(new LayoutCodec(layout.value()));
    }

    void tearDown() override
    {
        Poco::File(_drop).remove(true);
        _f.reset();
    }

    void testGoodAndBadRecordsInOneUpload()
    {
        std::string bad =
            resident("000000000000102", "98765432102", "鈴木　花子", "東京都千代田区");
        bad[126] = '5'; // 性別 must be 1, 2 or 9
        std::string file = resident("000000000000101", "98765432101", "山田　太郎",
                                    "千葉県千葉市中央区千葉港１－１") +
                           bad +
                           resident("000000000000103", "", "佐藤　一郎", "千葉県千葉市美浜区");
        Exchange ex = upload(file);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ex.replyBody, Poco::Net::HTTPResponse::HTTP_OK, ex.status);
        Poco::JSON::Object::Ptr report = parse(ex.replyBody);
        CPPUNIT_ASSERT_EQUAL(std::string("juki_resident"), report->getValue<std::string>("layout"));
        CPPUNIT_ASSERT_EQUAL(3, report->getValue<int>("records"));
        CPPUNIT_ASSERT_EQUAL(2, report->getValue<int>("accepted"));
        CPPUNIT_ASSERT_EQUAL(0, report->getValue<int>("unchanged"));
        CPPUNIT_ASSERT_EQUAL(1, report->getValue<int>("rejected"));
        Poco::JSON::Array::Ptr errors = report->getArray("errors");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors->size());
        Poco::JSON::Object::Ptr e = errors->getObject(0);
        CPPUNIT_ASSERT_EQUAL(2, e->getValue<int>("record"));
        CPPUNIT_ASSERT_EQUAL(std::string("sex"), e->getValue<std::string>("field"));
        CPPUNIT_ASSERT_EQUAL(282 + 126, e->getValue<int>("offset"));
        CPPUNIT_ASSERT_EQUAL(std::string("35"), e->getValue<std::string>("hex"));
        CPPUNIT_ASSERT(!e->getValue<std::string>("reason").empty());

        ReplicaStore store(_f->store.db());
        std::optional<ReplicaItem> item = store.current(chiba(), "juki_resident:000000000000101");
        CPPUNIT_ASSERT(item.has_value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), item->version);
        CPPUNIT_ASSERT_EQUAL(std::string("000000000000101"), item->atenaNo);
        CPPUNIT_ASSERT_EQUAL(std::string("TM00000000000002"), item->itemCode);
        CPPUNIT_ASSERT_EQUAL(std::string("juki"), item->sourceSystem);
        CPPUNIT_ASSERT(item->autoAnswer);
        CPPUNIT_ASSERT(item->payload->find("<Field name=\"name_kanji\">山田　太郎</Field>") !=
                       std::string::npos);
        CPPUNIT_ASSERT(item->payload->find("<Field name=\"birth_date\">1980-05-15</Field>") !=
                       std::string::npos);
        CPPUNIT_ASSERT(!store.current(chiba(), "juki_resident:000000000000102").has_value());
        CPPUNIT_ASSERT(store.current(chiba(), "juki_resident:000000000000103").has_value());
    }

    void testUnchangedReupload()
    {
        std::string file = resident("000000000000101", "98765432101", "山田　太郎", "千葉市") +
                           resident("000000000000102", "98765432102", "鈴木　花子", "千葉市");
        upload(file);
        Exchange again = upload(file);
        Poco::JSON::Object::Ptr report = parse(again.replyBody);
        CPPUNIT_ASSERT_EQUAL(0, report->getValue<int>("accepted"));
        CPPUNIT_ASSERT_EQUAL(2, report->getValue<int>("unchanged"));
        CPPUNIT_ASSERT_EQUAL(0, report->getValue<int>("rejected"));
        ReplicaStore store(_f->store.db());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             store.versions(chiba(), "juki_resident:000000000000101").size());
    }

    void testVersionBumpOnChange()
    {
        upload(resident("000000000000101", "98765432101", "山田　太郎", "千葉市") +
               resident("000000000000102", "98765432102", "鈴木　花子", "千葉市"));
        _f->clock->advanceSeconds(60);
        Exchange ex = upload(resident("000000000000101", "98765432101", "山田　太郎", "千葉市") +
                             resident("000000000000102", "98765432102", "鈴木　花子", "船橋市"));
        Poco::JSON::Object::Ptr report = parse(ex.replyBody);
        CPPUNIT_ASSERT_EQUAL(1, report->getValue<int>("accepted"));
        CPPUNIT_ASSERT_EQUAL(1, report->getValue<int>("unchanged"));
        ReplicaStore store(_f->store.db());
        std::optional<ReplicaItem> changed =
            store.current(chiba(), "juki_resident:000000000000102");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), changed->version);
        CPPUNIT_ASSERT(changed->payload->find("船橋市") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2),
                             store.versions(chiba(), "juki_resident:000000000000102").size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1),
                             store.current(chiba(), "juki_resident:000000000000101")->version);
        // After a tombstone, the same content comes back as a new version.
        CPPUNIT_ASSERT(store.remove(chiba(), "juki_resident:000000000000101", 2, "juki", 1).isOk());
        Exchange back = upload(resident("000000000000101", "98765432101", "山田　太郎", "千葉市"));
        CPPUNIT_ASSERT_EQUAL(1, parse(back.replyBody)->getValue<int>("accepted"));
        std::optional<ReplicaItem> revived =
            store.current(chiba(), "juki_resident:000000000000101");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), revived->version);
        CPPUNIT_ASSERT(!revived->deleted);
    }

    void testJuminhyoCodeNeverStoredNorEchoed()
    {
        std::string badCode = resident("000000000000102", "", "鈴木　花子", "千葉市");
        badCode.replace(15, 11, "9876543210X"); // a bad 住民票コード: reported without its bytes
        std::string shortRecord =
            resident("000000000000104", "98765432104", "田中　次郎", "千葉市");
        shortRecord.erase(100,
                          10); // wrong length: the record dump must stop before the 住民票コード
        Exchange ex = upload(resident("000000000000101", "98765432101", "山田　太郎", "千葉市") +
                             badCode + shortRecord);
        Poco::JSON::Object::Ptr report = parse(ex.replyBody);
        CPPUNIT_ASSERT_EQUAL(1, report->getValue<int>("accepted"));
        CPPUNIT_ASSERT_EQUAL(2, report->getValue<int>("rejected"));
        CPPUNIT_ASSERT_MESSAGE(ex.replyBody, ex.replyBody.find("\"field\":\"juminhyo_code\"") !=
                                                 std::string::npos);
        for (std::string code : {"98765432101", "9876543210X", "98765432104"})
        {
            CPPUNIT_ASSERT_MESSAGE(code, ex.replyBody.find(code) == std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(code, ex.replyBody.find(hex(code)) == std::string::npos);
        }
        std::optional<ReplicaItem> item =
            ReplicaStore(_f->store.db()).current(chiba(), "juki_resident:000000000000101");
        CPPUNIT_ASSERT(item.has_value());
        CPPUNIT_ASSERT(item->payload->find("98765432101") == std::string::npos);
        CPPUNIT_ASSERT(item->payload->find("juminhyo_code") == std::string::npos);
        CPPUNIT_ASSERT(item->payload->find("<Field name=\"atena_no\">000000000000101</Field>") !=
                       std::string::npos);
    }

    void testDatasetAndAutoAnswer()
    {
        Exchange ex = upload(resident("000000000000101", "98765432101", "山田　太郎", "千葉市"),
                             {{"dataset", "2026"}, {"autoAnswer", "false"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ex.replyBody, 1,
                                     parse(ex.replyBody)->getValue<int>("accepted"));
        std::optional<ReplicaItem> item =
            ReplicaStore(_f->store.db()).current(chiba(), "juki_resident:000000000000101:2026");
        CPPUNIT_ASSERT(item.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("2026"), item->datasetKey);
        CPPUNIT_ASSERT(!item->autoAnswer);
        // Changing only the flag is a change: a new version.
        Exchange again = upload(resident("000000000000101", "98765432101", "山田　太郎", "千葉市"),
                                {{"dataset", "2026"}});
        CPPUNIT_ASSERT_EQUAL(1, parse(again.replyBody)->getValue<int>("accepted"));
        CPPUNIT_ASSERT(ReplicaStore(_f->store.db())
                           .current(chiba(), "juki_resident:000000000000101:2026")
                           ->autoAnswer);
    }

    void testDuplicateRecordIdInOneFile()
    {
        Exchange ex = upload(resident("000000000000101", "98765432101", "山田　太郎", "千葉市") +
                             resident("000000000000101", "98765432101", "山田　太郎", "船橋市"));
        Poco::JSON::Object::Ptr report = parse(ex.replyBody);
        CPPUNIT_ASSERT_EQUAL(1, report->getValue<int>("accepted"));
        CPPUNIT_ASSERT_EQUAL(1, report->getValue<int>("rejected"));
        Poco::JSON::Object::Ptr e = report->getArray("errors")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(2, e->getValue<int>("record"));
        CPPUNIT_ASSERT_EQUAL(std::string("atena_no"), e->getValue<std::string>("field"));
        CPPUNIT_ASSERT_EQUAL(282, e->getValue<int>("offset"));
        CPPUNIT_ASSERT(e->getValue<std::string>("reason").find("already given by record 1") !=
                       std::string::npos);
    }

    void testBadParametersRefused()
    {
        std::string file = resident("000000000000101", "98765432101", "山田　太郎", "千葉市");
        for (auto q : std::vector<std::map<std::string, std::string>>{
                 {{"layout", "bulk_inquiry"}, {"item", "TM00000000000002"}},
                 {{"layout", "juki_resident"}, {"item", "TX00000000000002"}},
                 {{"layout", "juki_resident"}},
                 {{"layout", "juki_resident"}, {"item", "TM00000000000002"}, {"dataset", "../x"}},
                 {{"layout", "juki_resident"},
                  {"item", "TM00000000000002"},
                  {"dataset", std::string(40, 'a')}},
                 {{"layout", "juki_resident"}, {"item", "TM00000000000002"}, {"autoAnswer", "no"}}})
        {
            Exchange ex = authenticated(file);
            ex.query = q;
            ReplicaFileStage stage(*_f->services);
            CPPUNIT_ASSERT_EQUAL(Stage::STOP, stage.run(ex));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ex.replyBody, std::string("INVALID_ARGUMENT"),
                                         ex.errorCode);
        }
        Exchange empty = upload("");
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_FILE"), empty.errorCode);
        CPPUNIT_ASSERT(empty.replyBody.find("empty") != std::string::npos);
        // A file in another layout stops at the error limit: nothing stored.
        std::string garbage(300 * 150, 'x');
        for (std::size_t i = 299; i < garbage.size(); i += 300)
            garbage[i] = '\n';
        Exchange wrong = upload(garbage);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_FILE"), wrong.errorCode);
        CPPUNIT_ASSERT_EQUAL(true, parse(wrong.replyBody)->getValue<bool>("stoppedAtLimit"));
        CPPUNIT_ASSERT(ReplicaStore(_f->store.db()).listCurrent(chiba(), "", 10).empty());
    }

    void testZeimuLayout()
    {
        Result<Layout> layout =
            Layout::load(_f->services->settings.layoutsDir + "/zeimu_resident_tax.xml");
        LayoutCodec zeimu(layout.value());
        std::string file;
        for (const char* atena : {"000000000000201", "000000000000202"})
            file += zeimu
                        .encode({{"atena_no", atena},
                                 {"fiscal_year", "2025"},
                                 {"taxable_income", "-1200"},
                                 {"per_capita_levy", "5000"},
                                 {"income_levy", "0"},
                                 {"correction_reason", "00"}})
                        .value();
        Exchange ex = upload(file, {{"layout", "zeimu_resident_tax"}, {"dataset", "2025"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ex.replyBody, 2,
                                     parse(ex.replyBody)->getValue<int>("accepted"));
        std::optional<ReplicaItem> item =
            ReplicaStore(_f->store.db())
                .current(chiba(), "zeimu_resident_tax:000000000000202:2025");
        CPPUNIT_ASSERT(item.has_value());
        CPPUNIT_ASSERT(item->payload->find("<Field name=\"taxable_income\">-1200</Field>") !=
                       std::string::npos);
    }

    void testPayloadRoundTrip()
    {
        DecodedRecord rec;
        rec.recordNumber = 1;
        for (const LayoutField& f : _juki->layout().fields())
            rec.values.push_back(f.name == "address"         ? "<&>\"' 区"
                                 : f.name == "juminhyo_code" ? "98765432101"
                                                             : "v");
        Result<std::string> xml = ReplicaFileImporter::payloadXml(_juki->layout(), rec);
        CPPUNIT_ASSERT(xml.isOk());
        CPPUNIT_ASSERT(xml.value().compare(0, 31, "<Record layout=\"juki_resident\">") == 0);
        Result<std::map<std::string, std::string>> back =
            ReplicaFileImporter::parsePayload("juki_resident", xml.value());
        CPPUNIT_ASSERT_MESSAGE(back.status().toString(), back.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("<&>\"' 区"), back.value().at("address"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), back.value().count("juminhyo_code"));
        CPPUNIT_ASSERT_EQUAL(_juki->layout().fields().size() - 1, back.value().size());
        CPPUNIT_ASSERT(
            !ReplicaFileImporter::parsePayload("zeimu_resident_tax", xml.value()).isOk());
        CPPUNIT_ASSERT(!ReplicaFileImporter::parsePayload("juki_resident", "<Other/>").isOk());
        rec.values[2] = std::string("a\x01", 2);
        CPPUNIT_ASSERT(!ReplicaFileImporter::payloadXml(_juki->layout(), rec).isOk());
    }

    void testPayloadBytesPinned()
    {
        // The stored payload is compared byte for byte on re-import ("unchanged"): its form must
        // stay exactly <Record layout=…><Field name=…>escaped</Field>…</Record>, as XmlWriter
        // escapes.
        DecodedRecord rec;
        rec.recordNumber = 1;
        const std::vector<std::string> samples{"<&>\"'", "a\r\nb\tc", "山田　太郎", "", "&amp;>"};
        std::string expected = "<Record layout=\"juki_resident\">";
        for (std::size_t i = 0; i < _juki->layout().fields().size(); ++i)
        {
            const LayoutField& f = _juki->layout().fields()[i];
            rec.values.push_back(samples[i % samples.size()]);
            if (f.name != "juminhyo_code")
                expected += "<Field name=\"" + XmlWriter::escape(f.name, true) + "\">" +
                            XmlWriter::escape(rec.values.back(), false) + "</Field>";
        }
        expected += "</Record>";
        Result<std::string> xml = ReplicaFileImporter::payloadXml(_juki->layout(), rec);
        CPPUNIT_ASSERT(xml.isOk());
        CPPUNIT_ASSERT_EQUAL(expected, xml.value());
        CPPUNIT_ASSERT(xml.value().find("a\r\nb") == std::string::npos); // \r is an entity
    }

    // --- drop folder

    void testPipelinedBatchesReportAsOneBatch()
    {
        // Batches of 2 records: a worker thread prepares batch k+1 while batch k is stored (and
        // on MariaDB, with three connections, three batches are stored at once; SQLite keeps
        // one). The report (counts, errors in record order, their offsets) and the stored items
        // must be those of one batch in one thread, for every kind of record.
        const char* const names[] = {"山田　太郎", "鈴木　花子", "佐藤　一郎"};
        auto makeFile = [&](const std::string& address)
        {
            std::string file;
            for (int i = 1; i <= 13; ++i)
            {
                std::string atena =
                    "0000000000001" + std::string(i < 10 ? "0" : "") + std::to_string(i);
                if (i == 8)
                    atena = "000000000000102"; // the id of record 2 again
                std::string rec = resident(atena, "", names[i % 3], address);
                if (i == 4 || i == 11)
                    rec[126] = '5'; // 性別 must be 1, 2 or 9: a decoding error
                file += rec;
            }
            return file;
        };
        std::string file = makeFile("千葉市");
        const TenantCode other = TenantCode::parse("352063").value();
        const TenantCode third = TenantCode::parse("131016").value();
        ReplicaFileRequest request;
        request.layout = "juki_resident";
        request.itemCode = "TM00000000000002";
        request.sourceSystem = "juki";
        // Records 3 and 6 are stored before (unchanged now), record 5 with other content.
        std::string before = file.substr(2 * 282, 282) + file.substr(5 * 282, 282) +
                             resident("000000000000105", "", "別人", "船橋市");
        auto one = std::make_shared<ReplicaFileImporter>(
            _f->services->db, _f->services->clock, _f->services->settings.layoutsDir, 1000);
        auto pipelined = std::make_shared<ReplicaFileImporter>(
            _f->services->db, _f->services->clock, _f->services->settings.layoutsDir, 2);
        auto parallel = std::make_shared<ReplicaFileImporter>(
            _f->services->db, _f->services->clock, _f->services->settings.layoutsDir, 2, 3);
        CPPUNIT_ASSERT(one->import(chiba(), request, before).clean());
        CPPUNIT_ASSERT(one->import(other, request, before).clean());
        CPPUNIT_ASSERT(one->import(third, request, before).clean());
        ReplicaFileReport expected = one->import(chiba(), request, file);
        ReplicaFileReport got = pipelined->import(other, request, file);
        CPPUNIT_ASSERT_EQUAL(expected.toJson(), got.toJson());
        CPPUNIT_ASSERT_EQUAL(expected.toJson(), parallel->import(third, request, file).toJson());
        CPPUNIT_ASSERT_EQUAL(std::size_t(13), got.records);
        CPPUNIT_ASSERT_EQUAL(std::size_t(8), got.accepted);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), got.unchanged);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), got.rejected);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), got.errors.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), got.errors[0].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::size_t(8), got.errors[1].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::size_t(11), got.errors[2].recordNumber);
        ReplicaStore store(_f->store.db());
        for (int i = 1; i <= 13; ++i)
        {
            std::string id = "juki_resident:0000000000001" + std::string(i < 10 ? "0" : "") +
                             std::to_string(i);
            std::vector<ReplicaItem> a = store.versions(chiba(), id);
            for (const TenantCode& t : {other, third})
            {
                std::vector<ReplicaItem> b = store.versions(t, id);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(id, a.size(), b.size());
                for (std::size_t v = 0; v < a.size(); ++v)
                {
                    CPPUNIT_ASSERT_EQUAL(a[v].version, b[v].version);
                    CPPUNIT_ASSERT(a[v].payload == b[v].payload);
                    CPPUNIT_ASSERT_EQUAL(a[v].isCurrent, b[v].isCurrent);
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), store.current(other, "juki_resident:000000000000105")->version);
        CPPUNIT_ASSERT(!store.current(other, "juki_resident:000000000000104").has_value());

        // Items the store refuses by name (a source system id too long) go one by one, in
        // every batch, and are reported the same way.
        request.sourceSystem = std::string(65, 's');
        file = makeFile("船橋市");
        expected = one->import(chiba(), request, file);
        got = pipelined->import(other, request, file);
        CPPUNIT_ASSERT_EQUAL(expected.toJson(), got.toJson());
        CPPUNIT_ASSERT_EQUAL(expected.toJson(), parallel->import(third, request, file).toJson());
        CPPUNIT_ASSERT_EQUAL(std::size_t(13), got.rejected);
        CPPUNIT_ASSERT(got.errors[0].reason.find("source system") != std::string::npos);
    }

    void testStoreFailureMidFileStopsTheWorker()
    {
        // Batches of 2 start with one of 1 (the ramp: 101 | 102-103 | 104-105 | 106-107 | …), and
        // the 4th fails in the store (record 107): import() throws what the store threw, after
        // the worker preparing batches and every storing thread stopped and were joined; batches
        // 1-3 (101-105) stay committed. On MariaDB two connections store at once, so the batches
        // after the failing one that the other connection took may be stored too (in any order:
        // each batch's records are its own); on SQLite none is.
        {
            Poco::Data::Session s = _f->store.db().session();
            if (_f->store.db().backend() == Database::SQLITE)
                s << "CREATE TRIGGER replica_fail BEFORE INSERT ON replica_items "
                     "WHEN NEW.atena_no = '000000000000107' "
                     "BEGIN SELECT RAISE(ABORT, 'injected store failure'); END",
                    Poco::Data::Keywords::now;
            else
                s << "CREATE TRIGGER replica_fail BEFORE INSERT ON replica_items FOR EACH ROW "
                     "BEGIN IF NEW.atena_no = '000000000000107' THEN SIGNAL SQLSTATE '45000' "
                     "SET MESSAGE_TEXT = 'injected store failure'; END IF; END",
                    Poco::Data::Keywords::now;
        }
        std::string file;
        for (int i = 101; i <= 120; ++i)
            file += resident("000000000000" + std::to_string(i), "", "山田　太郎", "千葉市");
        ReplicaFileRequest request;
        request.layout = "juki_resident";
        request.itemCode = "TM00000000000002";
        request.sourceSystem = "juki";
        ReplicaFileImporter pipelined(_f->services->db, _f->services->clock,
                                      _f->services->settings.layoutsDir, 2);
        std::size_t threads = threadCount();
        bool threw = false;
        try
        {
            pipelined.import(chiba(), request, file);
        }
        catch (const std::exception& e)
        {
            threw = true;
            std::string text = e.what();
            if (auto pe = dynamic_cast<const Poco::Exception*>(&e))
                text = pe->displayText();
            CPPUNIT_ASSERT_MESSAGE(text, text.find("injected store failure") != std::string::npos);
        }
        CPPUNIT_ASSERT(threw);
        std::size_t after = settledThreadCount(threads); // no more than before: none outlived it
        CPPUNIT_ASSERT_MESSAGE(std::to_string(after) + " threads after import(), " +
                                   std::to_string(threads) + " before",
                               after <= threads);
        ReplicaStore store(_f->store.db());
        const bool twoAtOnce = _f->store.db().backend() != Database::SQLITE;
        for (int i = 101; i <= 120; ++i)
        {
            bool stored =
                store.current(chiba(), "juki_resident:000000000000" + std::to_string(i))
                    .has_value();
            if (twoAtOnce && i > 107)
                continue; // taken by the other connection, or not
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(i), i <= 105, stored);
        }
        {
            Poco::Data::Session s = _f->store.db().session();
            s << "DROP TRIGGER replica_fail", Poco::Data::Keywords::now;
        }
    }

    void testDropGoodFileDone()
    {
        _f->addSystem("121002", "juki", {"replica.register"});
        drop("121002", "juki", "juki_resident__TM00000000000002__20260401.dat",
             resident("000000000000101", "98765432101", "山田　太郎", "千葉市") +
                 resident("000000000000102", "98765432102", "鈴木　花子", "千葉市"));
        ReplicaDropWatcher watcher(*_f->services, importer());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), watcher.scanOnce());
        std::string sys = _drop + "/121002/juki/";
        CPPUNIT_ASSERT(
            !Poco::File(sys + "incoming/juki_resident__TM00000000000002__20260401.dat").exists());
        CPPUNIT_ASSERT(
            Poco::File(sys + "done/juki_resident__TM00000000000002__20260401.dat").exists());
        Poco::JSON::Object::Ptr report =
            parse(read(sys + "done/juki_resident__TM00000000000002__20260401.dat.report.json"));
        CPPUNIT_ASSERT_EQUAL(2, report->getValue<int>("accepted"));
        CPPUNIT_ASSERT_EQUAL(0, report->getValue<int>("rejected"));
        CPPUNIT_ASSERT(entries(sys + "processing").empty());
        std::optional<ReplicaItem> item =
            ReplicaStore(_f->store.db()).current(chiba(), "juki_resident:000000000000102");
        CPPUNIT_ASSERT(item.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("juki"), item->sourceSystem);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), watcher.scanOnce()); // nothing left
    }

    void testDropBadRecordsFailedGoodStored()
    {
        _f->addSystem("121002", "juki", {"replica.register"});
        std::string bad = resident("000000000000102", "98765432102", "鈴木　花子", "千葉市");
        bad[264] = '7'; // 住民状態
        drop("121002", "juki", "juki_resident__TM00000000000002__2026__batch1.dat",
             resident("000000000000101", "98765432101", "山田　太郎", "千葉市") + bad);
        ReplicaDropWatcher watcher(*_f->services, importer());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), watcher.scanOnce());
        std::string failed =
            _drop + "/121002/juki/failed/juki_resident__TM00000000000002__2026__batch1.dat";
        CPPUNIT_ASSERT(Poco::File(failed).exists());
        Poco::JSON::Object::Ptr report = parse(read(failed + ".report.json"));
        CPPUNIT_ASSERT_EQUAL(1, report->getValue<int>("accepted"));
        CPPUNIT_ASSERT_EQUAL(1, report->getValue<int>("rejected"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("status"),
            report->getArray("errors")->getObject(0)->getValue<std::string>("field"));
        // The data set key came from the file name.
        CPPUNIT_ASSERT(ReplicaStore(_f->store.db())
                           .current(chiba(), "juki_resident:000000000000101:2026")
                           .has_value());
    }

    void testDropUnknownOrUnauthorisedSystemFailed()
    {
        _f->addSystem("121002", "zeimu", {"inquiry"});
        _f->addSystem("121002", "yobo", {"replica.register"}, {}, false);
        std::string file = resident("000000000000101", "98765432101", "山田　太郎", "千葉市");
        drop("121002", "nosuch", "juki_resident__TM00000000000002__a.dat", file);
        drop("121002", "zeimu", "juki_resident__TM00000000000002__a.dat", file);
        drop("121002", "yobo", "juki_resident__TM00000000000002__a.dat", file);
        drop("999999", "juki", "juki_resident__TM00000000000002__a.dat", file);
        ReplicaDropWatcher watcher(*_f->services, importer());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), watcher.scanOnce());
        std::map<std::string, std::string> expected{
            {"121002/nosuch", "is not a connected system of tenant 121002"},
            {"121002/zeimu", "may not use operation replica.register"},
            {"121002/yobo", "is disabled"},
            {"999999/juki", "is not a tenant hosted here"}};
        for (const auto& [dir, why] : expected)
        {
            std::string failed =
                _drop + "/" + dir + "/failed/juki_resident__TM00000000000002__a.dat";
            CPPUNIT_ASSERT_MESSAGE(dir, Poco::File(failed).exists());
            std::string report = read(failed + ".report.json");
            CPPUNIT_ASSERT_MESSAGE(report, parse(report)->getValue<std::string>("error").find(
                                               why) != std::string::npos);
        }
        CPPUNIT_ASSERT(ReplicaStore(_f->store.db()).listCurrent(chiba(), "", 10).empty());
    }

    void testDropBadNameFailed()
    {
        _f->addSystem("121002", "juki", {"replica.register"});
        std::string file = resident("000000000000101", "98765432101", "山田　太郎", "千葉市");
        drop("121002", "juki", "residents.dat", file);
        drop("121002", "juki", "juki_resident__TM00000000000002__x.part",
             file); // not yet complete: left alone
        ReplicaDropWatcher watcher(*_f->services, importer());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), watcher.scanOnce());
        std::string sys = _drop + "/121002/juki/";
        CPPUNIT_ASSERT(read(sys + "failed/residents.dat.report.json")
                           .find("must be LAYOUT__ITEM__LABEL.dat") != std::string::npos);
        CPPUNIT_ASSERT(
            Poco::File(sys + "incoming/juki_resident__TM00000000000002__x.part").exists());
    }

    void testDropLeftoverInProcessingReimported()
    {
        _f->addSystem("121002", "juki", {"replica.register"});
        std::string file = resident("000000000000101", "98765432101", "山田　太郎", "千葉市");
        ReplicaFileImporter direct(_f->services->db, _f->services->clock,
                                   _f->services->settings.layoutsDir);
        ReplicaFileRequest half{"juki_resident", "TM00000000000002", "", true, "juki"};
        direct.import(chiba(), half, file); // the crash came after the store, before the move
        std::string sys = _drop + "/121002/juki/";
        Poco::File(sys + "processing").createDirectories();
        write(sys + "processing/test~juki_resident__TM00000000000002__crash.dat", file);
        write(sys + "processing/other-node~juki_resident__TM00000000000002__theirs.dat", file);
        ReplicaDropWatcher watcher(*_f->services, importer());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), watcher.scanOnce());
        std::string done = sys + "done/juki_resident__TM00000000000002__crash.dat";
        CPPUNIT_ASSERT(Poco::File(done).exists());
        Poco::JSON::Object::Ptr report = parse(read(done + ".report.json"));
        CPPUNIT_ASSERT_EQUAL(1, report->getValue<int>("unchanged"));
        CPPUNIT_ASSERT_EQUAL(
            std::size_t(1),
            ReplicaStore(_f->store.db()).versions(chiba(), "juki_resident:000000000000101").size());
        // Another node's claim is never taken.
        CPPUNIT_ASSERT(
            Poco::File(sys + "processing/other-node~juki_resident__TM00000000000002__theirs.dat")
                .exists());
    }

    void testDropSameNameTwiceKeepsBoth()
    {
        _f->addSystem("121002", "juki", {"replica.register"});
        std::string name = "juki_resident__TM00000000000002__daily.dat";
        std::string file = resident("000000000000101", "98765432101", "山田　太郎", "千葉市");
        ReplicaDropWatcher watcher(*_f->services, importer());
        drop("121002", "juki", name, file);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), watcher.scanOnce());
        drop("121002", "juki", name, file);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), watcher.scanOnce());
        std::string done = _drop + "/121002/juki/done/";
        CPPUNIT_ASSERT(Poco::File(done + name).exists());
        CPPUNIT_ASSERT(Poco::File(done + "juki_resident__TM00000000000002__daily.2.dat").exists());
        CPPUNIT_ASSERT_EQUAL(
            1, parse(read(done + "juki_resident__TM00000000000002__daily.2.dat.report.json"))
                   ->getValue<int>("unchanged"));
    }

private:
    static TenantCode chiba() { return TenantCode::parse("121002").value(); }

    /// One synthetic juki_resident record (CP932, CRLF).
    std::string resident(const std::string& atena, const std::string& juminhyo,
                         const std::string& name, const std::string& address)
    {
        Result<std::string> r = _juki->encode({{"atena_no", atena},
                                               {"juminhyo_code", juminhyo},
                                               {"name_kanji", name},
                                               {"name_kana", "テスト　タロウ"},
                                               {"sex", "1"},
                                               {"birth_date", "3550515"},
                                               {"address", address},
                                               {"change_reason", "01"},
                                               {"change_date", "2026-04-01"},
                                               {"status", "1"}});
        if (!r)
            throw std::runtime_error(r.status().toString());
        return r.value();
    }

    Exchange authenticated(const std::string& body)
    {
        Exchange ex = _f->exchange("121002", "", "replica.register", body);
        ex.tenant = chiba();
        ex.systemId = "juki";
        return ex;
    }

    Exchange upload(const std::string& body, std::map<std::string, std::string> query = {})
    {
        Exchange ex = authenticated(body);
        ex.query = {{"layout", "juki_resident"}, {"item", "TM00000000000002"}};
        for (const auto& kv : query)
            ex.query[kv.first] = kv.second;
        ReplicaFileStage stage(*_f->services);
        CPPUNIT_ASSERT_EQUAL(Stage::STOP, stage.run(ex));
        return ex;
    }

    std::shared_ptr<ReplicaFileImporter> importer()
    {
        return std::make_shared<ReplicaFileImporter>(_f->services->db, _f->services->clock,
                                                     _f->services->settings.layoutsDir);
    }

    void drop(const std::string& tenant, const std::string& system, const std::string& name,
              const std::string& data)
    {
        std::string dir = _drop + "/" + tenant + "/" + system + "/incoming";
        Poco::File(dir).createDirectories();
        write(dir + "/" + name, data);
    }

    static void write(const std::string& path, const std::string& data)
    {
        std::ofstream out(path, std::ios::binary);
        out << data;
    }

    static std::string read(const std::string& path)
    {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }

    static std::vector<std::string> entries(const std::string& dir)
    {
        std::vector<std::string> names;
        if (Poco::File(dir).exists())
            Poco::File(dir).list(names);
        return names;
    }

    static std::string hex(const std::string& s)
    {
        std::string out;
        for (unsigned char c : s)
        {
            out += "0123456789ABCDEF"[c >> 4];
            out += "0123456789ABCDEF"[c & 15];
        }
        return out;
    }

    /// Threads of this process now (Linux).
    static std::size_t threadCount() { return entries("/proc/self/task").size(); }
    /// Threads of this process once those that were joined are gone: pthread_join returns when
    /// a thread has left, but the kernel lists it in /proc/self/task a moment longer (seen on a
    /// loaded machine), so a count above `expected` is read again for up to 2 s.
    static std::size_t settledThreadCount(std::size_t expected)
    {
        std::size_t n = threadCount();
        for (int i = 0; i < 200 && n > expected; ++i)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            n = threadCount();
        }
        return n;
    }

    static Poco::JSON::Object::Ptr parse(const std::string& json)
    {
        Poco::JSON::Parser p;
        return p.parse(json).extract<Poco::JSON::Object::Ptr>();
    }

    std::unique_ptr<test::GatewayFixture> _f;
    std::string _drop;
    std::unique_ptr<LayoutCodec> _juki;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReplicaFileTest);
