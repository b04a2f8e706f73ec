// BulkInquiryServiceTest: bulk 情報照会 end to end in-process — accept, per-record refusals,
// idempotent retries, bad files, results.
#include "gateway/BulkInquiryService.h"
#include "adapters/FugoStore.h"
#include "adapters/RecordStore.h"
#include "codecs/CmsEnvelope.h"
#include "codecs/InquiryResultCsv.h"
#include "codecs/MyNumber.h"
#include "codecs/SignedEnvelope.h"
#include "gateway/InquiryService.h"
#include "tests/gateway/GatewayFixture.h"
#include "tests/support/TestPki.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

namespace
{

const std::string CHIBA = "1210020000000000";
const std::string HOFU = "3520630000000000";

struct Keys
{
    TestPki pki{"network root"};
    TestIdentity signer = pki.issue("network signing", TestPki::documentSigner());
    TestIdentity chibaEncryption = pki.issue("chiba encryption", TestPki::Key::EC);
};

const Keys& keys()
{
    static Keys k;
    return k;
}

bool has(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class BulkInquiryServiceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BulkInquiryServiceTest);
    CPPUNIT_TEST(testAcceptRefuseDispatchAndResults);
    CPPUNIT_TEST(testIdempotentUpload);
    CPPUNIT_TEST(testBadFileChangesNothing);
    CPPUNIT_TEST(testMyNumberRefusedBeforeAnythingIsStored);
    CPPUNIT_TEST(testResumesAnInterruptedAcceptance);
    CPPUNIT_TEST(testJobsBelongToTheirSystem);
    CPPUNIT_TEST(testSerialsAndKeys);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _f.reset(new test::GatewayFixture);
        _dir = test::makeTempDir("chukan-bulk");
        {
            Poco::FileOutputStream out(_dir + "/enc.key");
            out << keys().chibaEncryption.keyPem;
        }
        _f->services->settings.tenants[0].encryptionKeyPath = _dir + "/enc.key";
        _f->services->settings.layoutsDir = std::string(CHUKAN_SOURCE_DIR) + "/conf/layouts";
        auto trust = std::make_shared<CryptoTrustStore>(
            CryptoTrustStore::fromPem(keys().pki.ca().certPem).value());
        _f->services->documents = std::make_shared<NetworkDocuments>(trust);
        PermitList list;
        list.listId = "L1";
        list.issuedAt = Poco::Timestamp(_f->clock->nowMicros());
        list.entries.push_back({CHIBA, HOFU, "JM01000000121000", "JT01010000000214",
                                "TM00000000000002", Poco::Timestamp::fromEpochTime(1700000000),
                                Poco::Timestamp::fromEpochTime(1900000000)});
        std::string signedList =
            SignedEnvelope::sign(list.toJson(), keys().signer.keyPem, keys().signer.certPem)
                .value()
                .toJson();
        CPPUNIT_ASSERT(_f->services->documents
                           ->loadPermissionList(signedList, Poco::Timestamp(_f->clock->nowMicros()))
                           .isOk());
        FugoStore(_f->store.db())
            .putObtained(chiba(), "000000000000101", "FUGO-CHIBA-101-ABCDEFG", 1);
        FugoStore(_f->store.db())
            .putObtained(chiba(), "000000000000102", "FUGO-CHIBA-102-ABCDEFG", 1);
        _bulk.reset(new BulkInquiryService(*_f->services));
        Result<Layout> l = Layout::load(_f->services->settings.layoutsDir + "/bulk_inquiry.xml");
        CPPUNIT_ASSERT(l.isOk());
        _codec.reset(new LayoutCodec(l.value()));
    }
    void tearDown() override
    {
        _bulk.reset();
        _f.reset();
        Poco::File(_dir).remove(true);
    }

    void testAcceptRefuseDispatchAndResults()
    {
        // 1 and 4 are asked; 2 has no 符号; 3 asks for an item the list does not permit.
        std::string file = record("000000000000101") + record("000000000000999") +
                           record("000000000000102", "TM00000000000099") +
                           record("000000000000102");
        BulkInquiryService::Reply r = _bulk->accept(upload(file), "upload-1");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.json, 202, r.httpStatus);
        CPPUNIT_ASSERT_EQUAL(BulkInquiryService::jobIdFor(chiba(), "kenko", "upload-1"), r.jobId);
        CPPUNIT_ASSERT(has(r.json, "\"total\":4,\"accepted\":4,\"queued\":2"));
        CPPUNIT_ASSERT(has(r.json, "\"record\":2,\"serial\":\"" + serial(r.jobId, 2) +
                                       "\",\"code\":\"NO_FUGO\""));
        CPPUNIT_ASSERT(has(r.json, "\"record\":3,\"serial\":\"" + serial(r.jobId, 3) +
                                       "\",\"code\":\"NOT_PERMITTED\""));
        CPPUNIT_ASSERT(has(r.json, "は符号が未取得です。"));
        CPPUNIT_ASSERT(has(r.json, "の照会は許可されていません。"));
        // Refusals are recorded (情報提供等記録) at acceptance, once each.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), records("refused"));

        BulkInquiryService::Progress p = _bulk->progress(chiba(), "kenko", r.jobId).value();
        CPPUNIT_ASSERT_EQUAL(std::string("running"), p.state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), p.total);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), p.accepted);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), p.errors);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), p.pending);
        std::string out;
        BulkResultWriter csv(BulkResultWriter::CSV, CsvCharset::utf8(), nullptr);
        Status early = _bulk->results(chiba(), "kenko", r.jobId, csv, out);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, early.code());
        CPPUNIT_ASSERT_EQUAL(std::string("2 items are not final"), early.message());
        bool sunk = false;
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             _bulk->results(chiba(), "kenko", r.jobId, csv, out, [&](std::string&) {
                                 sunk = true;
                                 return true;
                             }).code());
        CPPUNIT_ASSERT(!sunk); // nothing is written before every item is final

        // The worker sends the queued items like online inquiries; the network answers them.
        InquiryService inquiries(*_f->services);
        CPPUNIT_ASSERT_EQUAL(2, inquiries.dispatchQueued(10));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _f->network->asks.size());
        CPPUNIT_ASSERT_EQUAL(std::string("FUGO-CHIBA-101-ABCDEFG"),
                             _f->network->asks[0].requesterFugo);
        const std::string data = "<住民票><氏名>見本　花子</氏名></住民票>";
        IpnMessage ack = inquiries.receive(
            answer(serial(r.jobId, 1), "provided",
                   CmsEnvelope::seal(data, keys().chibaEncryption.certPem).value()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ack.errorMessage, IpnMessage::Kind::Ack, ack.kind);
        CPPUNIT_ASSERT_EQUAL(std::string("running"),
                             _bulk->progress(chiba(), "kenko", r.jobId).value().state);
        inquiries.receive(answer(serial(r.jobId, 4), "no_data", ""));
        // A network duplicate of an answer changes nothing.
        IpnMessage again = inquiries.receive(answer(serial(r.jobId, 4), "no_data", ""));
        CPPUNIT_ASSERT_EQUAL(IpnMessage::Kind::Ack, again.kind);

        p = _bulk->progress(chiba(), "kenko", r.jobId).value();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), p.state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), p.completed);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), p.pending);
        CPPUNIT_ASSERT_EQUAL(std::string("done"),
                             BulkInquiryStore(_f->store.db()).get(chiba(), r.jobId)->state);

        out.clear();
        Status st = _bulk->results(chiba(), "kenko", r.jobId, csv, out);
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
        InquiryResultCsv::Parsed rows = InquiryResultCsv::read(out);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), rows.rows.size());
        CPPUNIT_ASSERT_EQUAL(serial(r.jobId, 1), rows.rows[0].serial);
        CPPUNIT_ASSERT(rows.rows[0].isNormal());
        CPPUNIT_ASSERT_EQUAL(data, rows.rows[0].data); // unaltered
        CPPUNIT_ASSERT_EQUAL(
            std::string("指定された団体内統合宛名番号「000000000000999」は符号が未取得です。"),
            rows.rows[1].errorMessage);
        CPPUNIT_ASSERT_EQUAL(std::string("32"), rows.rows[1].itemStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("31"), rows.rows[2].itemStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("09"), rows.rows[3].detailStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("02"), rows.rows[3].itemStatus);
        // Streamed (the result stage's way): the sink gets the page, then the end, and clears
        // what it sent; together they are the same bytes. A sink that cannot send stops it.
        std::string sent;
        int calls = 0;
        BulkResultWriter streamed(BulkResultWriter::CSV, CsvCharset::utf8(), nullptr);
        std::string buffer;
        st = _bulk->results(chiba(), "kenko", r.jobId, streamed, buffer,
                            [&](std::string& page)
                            {
                                ++calls;
                                sent += page;
                                page.clear();
                                return true;
                            });
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
        CPPUNIT_ASSERT_EQUAL(2, calls);
        CPPUNIT_ASSERT(buffer.empty());
        CPPUNIT_ASSERT_EQUAL(out, sent);
        BulkResultWriter broken(BulkResultWriter::CSV, CsvCharset::utf8(), nullptr);
        buffer.clear();
        calls = 0;
        st = _bulk->results(chiba(), "kenko", r.jobId, broken, buffer, [&](std::string&) {
            ++calls;
            return false;
        });
        CPPUNIT_ASSERT_EQUAL(Status::UNAVAILABLE, st.code());
        CPPUNIT_ASSERT_EQUAL(1, calls);
        BulkResultWriter notYet(BulkResultWriter::CSV, CsvCharset::utf8(), nullptr);
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             _bulk->results(chiba(), "other", r.jobId, notYet, buffer,
                                            [&](std::string&) { return true; }).code());
        // Every item has exactly one 情報提供等記録.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4),
                             RecordStore(_f->store.db()).count(chiba(), RecordFilter()));
    }

    void testIdempotentUpload()
    {
        std::string file = record("000000000000101") + record("000000000000102");
        BulkInquiryService::Reply first = _bulk->accept(upload(file), "upload-1");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.json, 202, first.httpStatus);
        BulkInquiryService::Reply second = _bulk->accept(upload(file), "upload-1");
        CPPUNIT_ASSERT_EQUAL(200, second.httpStatus);
        CPPUNIT_ASSERT(second.replayed);
        CPPUNIT_ASSERT_EQUAL(first.jobId, second.jobId);
        CPPUNIT_ASSERT_EQUAL(first.json, second.json);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), items(first.jobId));
        // The same key with another file: 409, nothing changes.
        BulkInquiryService::Reply other =
            _bulk->accept(upload(record("000000000000101")), "upload-1");
        CPPUNIT_ASSERT_EQUAL(409, other.httpStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("IDEMPOTENCY_CONFLICT"), other.errorCode);
        CPPUNIT_ASSERT(has(other.json, "\"code\":\"IDEMPOTENCY_CONFLICT\""));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), items(first.jobId));
        // Without a key the file's digest is the key: the same file is the same job.
        BulkInquiryService::Reply plain = _bulk->accept(upload(file), "");
        CPPUNIT_ASSERT_EQUAL(202, plain.httpStatus);
        CPPUNIT_ASSERT(plain.jobId != first.jobId);
        BulkInquiryService::Reply plainAgain = _bulk->accept(upload(file), "");
        CPPUNIT_ASSERT_EQUAL(200, plainAgain.httpStatus);
        CPPUNIT_ASSERT_EQUAL(plain.jobId, plainAgain.jobId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), items(plain.jobId));
        CPPUNIT_ASSERT_EQUAL(
            std::size_t(4),
            InquiryStore(_f->store.db()).listByState(chiba(), "queued", 100).size());
    }

    void testBadFileChangesNothing()
    {
        std::string bad = record("000000000000102");
        bad.replace(186, 16, "XX00000000000002");
        std::string file =
            record("000000000000101") + "\r\n" + bad + "\r\n" + record("000000000000101") + "\r\n";
        BulkInquiryService::Reply r = _bulk->accept(upload(file), "bad-1");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.json, 400, r.httpStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_FILE"), r.errorCode);
        CPPUNIT_ASSERT(has(r.json, "\"code\":\"INVALID_FILE\"")); // the body names it too
        CPPUNIT_ASSERT(has(r.json, "\"job\":null"));
        CPPUNIT_ASSERT(
            has(r.json, "\"record\":2,\"field\":\"tokutei_kojin_jouhou_mei_code\",\"offset\":408"));
        CPPUNIT_ASSERT(has(r.json, "1 of 3 records are bad"));
        CPPUNIT_ASSERT(has(r.json, "nothing was stored"));
        nothingStored();
        // Corrected, under the same key, it is accepted: the refusal did not use the key up.
        BulkInquiryService::Reply fixed = _bulk->accept(
            upload(record("000000000000101") + "\r\n" + record("000000000000102") + "\r\n"),
            "bad-1");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(fixed.json, 202, fixed.httpStatus);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), items(fixed.jobId));
        // Not a bulk file at all; an empty one.
        CPPUNIT_ASSERT_EQUAL(400, _bulk->accept(upload(std::string(5000, 'x')), "").httpStatus);
        BulkInquiryService::Reply empty = _bulk->accept(upload(""), "");
        CPPUNIT_ASSERT_EQUAL(400, empty.httpStatus);
        CPPUNIT_ASSERT(has(empty.json, "no record"));
        CPPUNIT_ASSERT_EQUAL(
            400, _bulk->accept(upload(record("000000000000101")), "bad key!").httpStatus);
    }

    void testMyNumberRefusedBeforeAnythingIsStored()
    {
        std::string eleven = "98765432101";
        std::string number =
            eleven + std::to_string(MyNumber::checkDigit(eleven)); // synthetic, made here
        std::string bad = record("000000000000102");
        bad.replace(2, 12, number); // 宛名番号, right after 番号体系 "01"
        std::string file = record("000000000000101") + bad;
        CPPUNIT_ASSERT(
            !MyNumber::containsCandidate(file)); // the request-wide screen does not see it
        BulkInquiryService::Reply r = _bulk->accept(upload(file), "mn-1");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.json, 400, r.httpStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("MYNUMBER_REFUSED"), r.errorCode);
        CPPUNIT_ASSERT(has(r.json, "\"code\":\"MYNUMBER_REFUSED\""));
        CPPUNIT_ASSERT(has(r.json, "\"record\":2,\"field\":\"atena_no\",\"offset\":222"));
        CPPUNIT_ASSERT(!has(r.json, number));
        nothingStored();
    }

    void testResumesAnInterruptedAcceptance()
    {
        // A first try staged records 1 and 2 and recorded the refusal of 2, then the node died.
        std::string file =
            record("000000000000101") + record("000000000000999") + record("000000000000102");
        BulkInquiryService::Reply whole = _bulk->accept(upload(file), "resume-model");
        const std::string job = BulkInquiryService::jobIdFor(chiba(), "kenko", "resume-1");
        BulkInquiryStore store(_f->store.db());
        BulkJob j;
        j.jobId = job;
        j.systemId = "kenko";
        j.idempotencyKey = "resume-1";
        j.fileDigest = store.get(chiba(), whole.jobId)->fileDigest;
        CPPUNIT_ASSERT(store.create(chiba(), j, 5).isOk());
        std::vector<Inquiry> staged;
        for (std::size_t n : {1, 2})
        {
            Inquiry q = InquiryStore(_f->store.db()).get(chiba(), serial(whole.jobId, n)).value();
            q.serial = serial(job, n);
            q.batchId = job;
            staged.push_back(q);
        }
        CPPUNIT_ASSERT(store.stage(chiba(), staged, 6).isOk());
        ProvisionRecord rec;
        rec.kind = "inquiry";
        rec.requesterCode = CHIBA;
        rec.providerCode = HOFU;
        rec.jimuCode = "JM01000000121000";
        rec.procedureCode = "JT01010000000214";
        rec.itemCode = "TM00000000000002";
        rec.subjectFugo = "-";
        rec.subjectAtena = "000000000000999";
        rec.requestedAt = 6;
        rec.outcome = "refused";
        rec.refId = serial(job, 2);
        rec.createdAt = 6;
        CPPUNIT_ASSERT(RecordStore(_f->store.db()).append(chiba(), rec).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("accepting"),
                             _bulk->progress(chiba(), "kenko", job).value().state);

        BulkInquiryService::Reply retry = _bulk->accept(upload(file), "resume-1");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(retry.json, 202, retry.httpStatus);
        CPPUNIT_ASSERT_EQUAL(job, retry.jobId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), items(job));
        RecordFilter f;
        f.kind = "inquiry";
        f.refId = serial(job, 2);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), RecordStore(_f->store.db()).count(chiba(), f));
        BulkInquiryService::Progress p = _bulk->progress(chiba(), "kenko", job).value();
        CPPUNIT_ASSERT_EQUAL(std::string("running"), p.state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), p.accepted);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), p.pending);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), p.errors);
    }

    void testJobsBelongToTheirSystem()
    {
        BulkInquiryService::Reply r = _bulk->accept(upload(record("000000000000101")), "k");
        CPPUNIT_ASSERT_EQUAL(202, r.httpStatus);
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             _bulk->progress(chiba(), "other", r.jobId).status().code());
        CPPUNIT_ASSERT_EQUAL(
            Status::NOT_FOUND,
            _bulk->progress(TenantCode::parse("352063").value(), "kenko", r.jobId).status().code());
        std::string out;
        BulkResultWriter csv(BulkResultWriter::CSV, CsvCharset::utf8(), nullptr);
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             _bulk->results(chiba(), "other", r.jobId, csv, out).code());
        CPPUNIT_ASSERT(out.empty());
        // Another system with the same key gets its own job.
        Exchange ex = upload(record("000000000000101"));
        ex.systemId = "zeimu";
        BulkInquiryService::Reply theirs = _bulk->accept(ex, "k");
        CPPUNIT_ASSERT_EQUAL(202, theirs.httpStatus);
        CPPUNIT_ASSERT(theirs.jobId != r.jobId);
    }

    void testSerialsAndKeys()
    {
        std::string job = BulkInquiryService::jobIdFor(chiba(), "kenko", "k");
        CPPUNIT_ASSERT_EQUAL(std::size_t(23), job.size());
        CPPUNIT_ASSERT_EQUAL('B', job[0]);
        std::string s = BulkInquiryService::serialFor(job, 42);
        CPPUNIT_ASSERT_EQUAL(job + "-0000042", s);
        CPPUNIT_ASSERT(s.size() <= 32);
        CPPUNIT_ASSERT_EQUAL(std::size_t(42), BulkInquiryService::recordNumberOf(s));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), BulkInquiryService::recordNumberOf("Q" + s.substr(1)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), BulkInquiryService::recordNumberOf("Q20260401-abc"));
        CPPUNIT_ASSERT(BulkInquiryService::checkKey("a.b_c:d-1").isOk());
        CPPUNIT_ASSERT(!BulkInquiryService::checkKey("").isOk());
        CPPUNIT_ASSERT(!BulkInquiryService::checkKey(std::string(65, 'a')).isOk());
        CPPUNIT_ASSERT(!BulkInquiryService::checkKey("a b").isOk());
    }

private:
    static TenantCode chiba() { return TenantCode::parse("121002").value(); }

    static std::string serial(const std::string& job, std::size_t n)
    {
        return BulkInquiryService::serialFor(job, n);
    }

    std::string record(const std::string& atena, const std::string& item = "TM00000000000002")
    {
        std::map<std::string, std::string> v = {{"bangou_taikei", "01"},
                                                {"tougou_atena_no", atena},
                                                {"shoukai_irai_nichiji", "20260401093000000"},
                                                {"shoukaisha_busho_code", "KENKO"},
                                                {"shoukaisha_user_id", "user-01"},
                                                {"shoukaisha_kikan_code", CHIBA},
                                                {"jimu_code", "JM01000000121000"},
                                                {"jimu_tetsuzuki_code", "JT01010000000214"},
                                                {"teikyousha_kikan_code", HOFU},
                                                {"tokutei_kojin_jouhou_mei_code", item},
                                                {"shoukai_jouken_kubun", "1"},
                                                {"shoukai_nendo_kubun", "1"}};
        Result<std::string> r = _codec->encode(v);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        return r.value().substr(
            0, 220); // without the CRLF: each test chooses how records follow each other
    }

    Exchange upload(const std::string& body)
    {
        Exchange ex;
        ex.requestId = "r";
        ex.tenant = chiba();
        ex.systemId = "kenko";
        ex.systemOperations = {"inquiry"};
        ex.systemJimuCodes = {"JM01000000121000"};
        ex.body = body;
        return ex;
    }

    IpnMessage answer(const std::string& serial, const std::string& outcome,
                      const std::string& payload)
    {
        IpnMessage m;
        m.kind = IpnMessage::Kind::ProvisionResponse;
        m.header.messageId = "R-IQ-" + serial;
        m.header.sentAt = Poco::Timestamp(_f->clock->nowMicros());
        m.header.from = "IPN";
        m.header.to = CHIBA;
        m.serial = serial;
        m.permitId = "P-PR-" + serial;
        m.outcome = outcome;
        m.payload = payload;
        m.hasPayload = !payload.empty();
        return m;
    }

    std::size_t items(const std::string& job)
    {
        return InquiryStore(_f->store.db()).listByBatch(chiba(), job).size();
    }

    Poco::Int64 records(const std::string& outcome)
    {
        RecordFilter f;
        f.outcome = outcome;
        return RecordStore(_f->store.db()).count(chiba(), f);
    }

    void nothingStored()
    {
        CPPUNIT_ASSERT(InquiryStore(_f->store.db()).listByState(chiba(), "staged", 10).empty());
        CPPUNIT_ASSERT(InquiryStore(_f->store.db()).listByState(chiba(), "queued", 10).empty());
        CPPUNIT_ASSERT(InquiryStore(_f->store.db()).listByState(chiba(), "error", 10).empty());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0),
                             RecordStore(_f->store.db()).count(chiba(), RecordFilter()));
        Poco::Data::Session s = _f->store.db().session();
        int jobs = -1;
        s << "SELECT COUNT(*) FROM batch_jobs", Poco::Data::Keywords::into(jobs),
            Poco::Data::Keywords::now;
        CPPUNIT_ASSERT_EQUAL(0, jobs);
    }

    std::unique_ptr<test::GatewayFixture> _f;
    std::unique_ptr<BulkInquiryService> _bulk;
    std::unique_ptr<LayoutCodec> _codec;
    std::string _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(BulkInquiryServiceTest);
