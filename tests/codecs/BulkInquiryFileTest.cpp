// BulkInquiryFileTest: the 220-byte bulk inquiry file — records, both record separations, bad
// fields named, 個人番号 refused.
#include "codecs/BulkInquiryFile.h"
#include "codecs/MyNumber.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <map>

using namespace chukan;

namespace
{

const std::string CHIBA = "1210020000000000";
const std::string HOFU = "3520630000000000";

std::string srcDir()
{
    const char* env = std::getenv("CHUKAN_SRC");
    return env && *env ? env : CHUKAN_SOURCE_DIR;
}

std::shared_ptr<const LayoutCodec> codec(const std::string& name)
{
    Result<Layout> l = Layout::load(srcDir() + "/conf/layouts/" + name + ".xml");
    CPPUNIT_ASSERT_MESSAGE(l.status().toString(), l.isOk());
    return std::make_shared<LayoutCodec>(l.value());
}

/// A synthetic 個人番号-shaped value, made at test time (never a real one).
std::string myNumberShaped()
{
    std::string eleven = "98765432101";
    return eleven + std::to_string(MyNumber::checkDigit(eleven));
}

std::map<std::string, std::string> values(const std::string& atena,
                                          const std::string& item = "TM00000000000002")
{
    return {{"bangou_taikei", "01"},
            {"atena_no", "L" + atena.substr(1)},
            {"tougou_atena_no", atena},
            {"shoukai_irai_nichiji", "20260401093000123"},
            {"shoukaisha_busho_code", "KENKO-SOMU"},
            {"shoukaisha_user_id", "user-01"},
            {"shoukaisha_kikan_code", CHIBA},
            {"shoukai_fukaiji_code", "0"},
            {"jimu_code", "JM01000000121000"},
            {"jimu_tetsuzuki_code", "JT01010000000214"},
            {"teikyousha_kikan_code", HOFU},
            {"tokutei_kojin_jouhou_mei_code", item},
            {"shoukai_jouken_kubun", "1"},
            {"shoukai_nendo_kubun", "1"},
            {"shoukai_kaishi_date", "2026-01-01"},
            {"shoukai_shuuryou_date", "2026-03-31"}};
}

} // namespace

class BulkInquiryFileTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BulkInquiryFileTest);
    CPPUNIT_TEST(testCrlfRecords);
    CPPUNIT_TEST(testBackToBackRecords);
    CPPUNIT_TEST(testBadFieldsNamedWithRecordAndOffset);
    CPPUNIT_TEST(testOtherInstitutionAndDates);
    CPPUNIT_TEST(testWrongLengthAndLayoutErrors);
    CPPUNIT_TEST(testMyNumberHiddenBetweenFields);
    CPPUNIT_TEST(testMyNumberInAnyFieldOfBackToBackRecords);
    CPPUNIT_TEST(testErrorLimit);
    CPPUNIT_TEST(testCreateNeedsTheBulkLayout);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _codec = codec("bulk_inquiry");
        Result<BulkInquiryFile> f = BulkInquiryFile::create(_codec);
        CPPUNIT_ASSERT_MESSAGE(f.status().toString(), f.isOk());
        _file.reset(new BulkInquiryFile(f.value()));
    }

    void testCrlfRecords()
    {
        std::string body = record(values("000000000000101")) + "\r\n" +
                           record(values("000000000000102", "TM00000000000001")) + "\r\n";
        BulkInquiryFile::Parsed p = _file->parse(body, 100, CHIBA);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(errors(p), std::size_t(0), p.errors.size());
        CPPUNIT_ASSERT(p.terminated);
        CPPUNIT_ASSERT(!p.myNumber);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.recordsRead);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.records.size());
        const BulkInquiryRecord& r = p.records[1];
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("01"), r.numberSystem);
        CPPUNIT_ASSERT_EQUAL(std::string("L00000000000102"), r.localAtenaNo);
        CPPUNIT_ASSERT_EQUAL(std::string("000000000000102"), r.atenaNo);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-04-01T09:30:00.123"), r.requestedAt);
        CPPUNIT_ASSERT_EQUAL(std::string("KENKO-SOMU"), r.department);
        CPPUNIT_ASSERT_EQUAL(std::string("user-01"), r.userId);
        CPPUNIT_ASSERT_EQUAL(CHIBA, r.requesterCode);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), r.nondisclosure);
        CPPUNIT_ASSERT_EQUAL(std::string("JM01000000121000"), r.jimuCode);
        CPPUNIT_ASSERT_EQUAL(std::string("JT01010000000214"), r.procedureCode);
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.requesterDelegator);
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.providerDelegator);
        CPPUNIT_ASSERT_EQUAL(HOFU, r.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string("TM00000000000001"), r.itemCode);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), r.conditionKind);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), r.yearKind);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-01-01"), r.fromDate);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-03-31"), r.toDate);
        // The last record may lack its terminator.
        p = _file->parse(body.substr(0, body.size() - 2), 100, CHIBA);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.records.size());
        CPPUNIT_ASSERT(p.terminated);
    }

    void testBackToBackRecords()
    {
        std::string body;
        for (int i = 1; i <= 3; ++i)
            body += record(values("00000000000010" + std::to_string(i)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(660), body.size());
        BulkInquiryFile::Parsed p = _file->parse(body, 100, CHIBA);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(errors(p), std::size_t(0), p.errors.size());
        CPPUNIT_ASSERT(!p.terminated);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("000000000000103"), p.records[2].atenaNo);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.records[2].recordNumber);
        // A bad item code in the third back-to-back record: offset counted without terminators.
        body.replace(440 + 186, 16, "XX00000000000002");
        p = _file->parse(body, 100, CHIBA);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.records.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.errors.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.errors[0].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("tokutei_kojin_jouhou_mei_code"), p.errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(440 + 186), p.errors[0].byteOffset);
    }

    void testBadFieldsNamedWithRecordAndOffset()
    {
        std::map<std::string, std::string> noAtena = values("000000000000102");
        noAtena["tougou_atena_no"] = "";
        std::map<std::string, std::string> badCodes = values("000000000000103", "TMabc");
        badCodes["jimu_code"] = "JM01";
        std::string body = record(values("000000000000101")) + "\r\n" + record(noAtena) + "\r\n" +
                           record(badCodes) + "\r\n" + record(values("000000000000104")) + "\r\n";
        BulkInquiryFile::Parsed p = _file->parse(body, 100, CHIBA);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), p.recordsRead);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.badRecords);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.records.size()); // the good ones are still read
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.records[0].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), p.records[1].recordNumber);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(errors(p), std::size_t(3), p.errors.size());
        // In file order; offsets are in the file as sent (222 bytes a record with CRLF).
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.errors[0].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("tougou_atena_no"), p.errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(222 + 17), p.errors[0].byteOffset);
        CPPUNIT_ASSERT(p.errors[0].reason.find("統合宛名番号 is required") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.errors[1].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("jimu_code"), p.errors[1].field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(444 + 106), p.errors[1].byteOffset);
        CPPUNIT_ASSERT(p.errors[1].reason.find("16 letters or digits") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.errors[2].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("tokutei_kojin_jouhou_mei_code"), p.errors[2].field);
        CPPUNIT_ASSERT(p.errors[2].reason.find("TM and 14") != std::string::npos);
        CPPUNIT_ASSERT(
            p.errors[2].toString().find("record 3, field tokutei_kojin_jouhou_mei_code") == 0);
    }

    void testOtherInstitutionAndDates()
    {
        std::map<std::string, std::string> other = values("000000000000101");
        other["shoukaisha_kikan_code"] = HOFU;
        std::map<std::string, std::string> backwards = values("000000000000102");
        backwards["shoukai_kaishi_date"] = "2026-04-01";
        std::map<std::string, std::string> badDelegator = values("000000000000103");
        badDelegator["teikyousha_kikan_code_inin"] = "SHORT";
        std::map<std::string, std::string> openEnded = values("000000000000104");
        openEnded["shoukai_kaishi_date"] = "";
        openEnded["shoukai_shuuryou_date"] = "";
        openEnded["teikyousha_kikan_code_inin"] = HOFU;
        std::string body = record(other) + "\r\n" + record(backwards) + "\r\n" +
                           record(badDelegator) + "\r\n" + record(openEnded) + "\r\n";
        BulkInquiryFile::Parsed p = _file->parse(body, 100, CHIBA);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(errors(p), std::size_t(3), p.errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("shoukaisha_kikan_code"), p.errors[0].field);
        CPPUNIT_ASSERT(p.errors[0].reason.find("not this institution's") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("shoukai_shuuryou_date"), p.errors[1].field);
        CPPUNIT_ASSERT(p.errors[1].reason.find("is before 照会開始日付") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("teikyousha_kikan_code_inin"), p.errors[2].field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.records.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), p.records[0].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string(""), p.records[0].fromDate);
        // Without a requester code to hold it to, another institution's code is only checked for
        // shape.
        p = _file->parse(record(other) + "\r\n", 100, "");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.records.size());
    }

    void testWrongLengthAndLayoutErrors()
    {
        std::map<std::string, std::string> v = values("000000000000102");
        std::string bad = record(v);
        bad.replace(0, 2, "02");         // 番号体系 other than 01
        bad.replace(204, 8, "20260231"); // no such date
        std::string body = record(values("000000000000101")) + "\r\n" + bad + "\r\n" +
                           record(values("000000000000103")).substr(0, 210) + "\r\n";
        BulkInquiryFile::Parsed p = _file->parse(body, 100, CHIBA);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.recordsRead);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(errors(p), std::size_t(2), p.badRecords);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.records.size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(errors(p), std::size_t(3), p.errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("bangou_taikei"), p.errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(222), p.errors[0].byteOffset);
        CPPUNIT_ASSERT_EQUAL(std::string("shoukai_kaishi_date"), p.errors[1].field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.errors[2].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string(""), p.errors[2].field); // the record as a whole
        CPPUNIT_ASSERT(p.errors[2].reason.find("record is 210 bytes") != std::string::npos);
    }

    void testMyNumberHiddenBetweenFields()
    {
        const std::string number = myNumberShaped();
        std::map<std::string, std::string> v = values("000000000000102");
        v["atena_no"] = number; // after 番号体系 "01": a run of 14 digits in the body
        std::map<std::string, std::string> w = values("000000000000103");
        w["shoukaisha_user_id"] =
            "u" + std::string(7, '-') + number; // then the 機関コード's digits
        std::string body =
            record(values("000000000000101")) + "\r\n" + record(v) + "\r\n" + record(w) + "\r\n";
        CPPUNIT_ASSERT(
            !MyNumber::containsCandidate(record(v))); // what a scan of the whole body misses
        BulkInquiryFile::Parsed p = _file->parse(body, 100, CHIBA);
        CPPUNIT_ASSERT(p.myNumber);
        CPPUNIT_ASSERT(p.records.empty()); // nothing of the file is used
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.recordsRead);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.badRecords);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(errors(p), std::size_t(2), p.errors.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.errors[0].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("atena_no"), p.errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(222 + 2), p.errors[0].byteOffset);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.errors[1].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("shoukaisha_user_id"), p.errors[1].field);
        for (const RecordError& e : p.errors)
        {
            CPPUNIT_ASSERT(e.reason.find("個人番号") != std::string::npos);
            CPPUNIT_ASSERT(e.toString().find(number) == std::string::npos);
            CPPUNIT_ASSERT(e.rawHex.empty());
        }
    }

    void testMyNumberInAnyFieldOfBackToBackRecords()
    {
        const std::string number = myNumberShaped();
        std::map<std::string, std::string> v = values("000000000000102");
        v["jimu_code"] =
            "JM" + number + "AB"; // 16 characters: also a bad code, but only the 個人番号 is told
        std::string body = record(values("000000000000101")) + record(v);
        BulkInquiryFile::Parsed p = _file->parse(body, 100, CHIBA);
        CPPUNIT_ASSERT(!p.terminated);
        CPPUNIT_ASSERT(p.myNumber);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(errors(p), std::size_t(1), p.errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("jimu_code"), p.errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(220 + 106), p.errors[0].byteOffset);
        CPPUNIT_ASSERT(p.errors[0].reason.find(number) == std::string::npos);
        // 15 and 17 digit runs (統合宛名番号, 照会依頼日時) are not 個人番号.
        CPPUNIT_ASSERT(!_file->parse(record(values("123456789012345")), 100, CHIBA).myNumber);
    }

    void testErrorLimit()
    {
        std::string body;
        for (int i = 0; i < 10; ++i)
            body += std::string(219, 'x') + "\r\n";
        BulkInquiryFile::Parsed p = _file->parse(body, 3, CHIBA);
        CPPUNIT_ASSERT(p.stoppedAtLimit);
        CPPUNIT_ASSERT(p.recordsRead < 10);
        CPPUNIT_ASSERT(p.records.empty());
    }

    void testCreateNeedsTheBulkLayout()
    {
        Result<BulkInquiryFile> f = BulkInquiryFile::create(codec("juki_resident"));
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, f.status().code());
        CPPUNIT_ASSERT(f.status().message().find("18 fields") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             BulkInquiryFile::create(nullptr).status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(18), BulkInquiryFile::fieldNames().size());
    }

private:
    std::string record(const std::map<std::string, std::string>& v)
    {
        Result<std::string> r = _codec->encode(v);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("\r\n"), r.value().substr(220));
        return r.value().substr(
            0, 220); // without the CRLF: each test chooses how records follow each other
    }
    static std::string errors(const BulkInquiryFile::Parsed& p)
    {
        std::string s;
        for (const RecordError& e : p.errors)
            s += e.toString() + "\n";
        return s;
    }

    std::shared_ptr<const LayoutCodec> _codec;
    std::unique_ptr<BulkInquiryFile> _file;
};

CPPUNIT_TEST_SUITE_REGISTRATION(BulkInquiryFileTest);
