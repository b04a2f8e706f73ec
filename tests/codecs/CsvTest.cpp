// CsvTest: RFC 4180 edge cases, issue reporting with record/line/column, CP932 and the inquiry result shape.
#include "codecs/CsvReader.h"
#include "codecs/CsvWriter.h"
#include "codecs/InquiryResultCsv.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

namespace {

CsvReader::Options noHeader()
{
    CsvReader::Options o;
    o.header = false;
    return o;
}

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

class CsvTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CsvTest);
    CPPUNIT_TEST(testHeaderAndSimpleRecords);
    CPPUNIT_TEST(testQuotedFields);
    CPPUNIT_TEST(testLineEndingsAndBlankLines);
    CPPUNIT_TEST(testBomTolerated);
    CPPUNIT_TEST(testStrayQuoteKeepsGoodRecords);
    CPPUNIT_TEST(testCharacterAfterClosingQuote);
    CPPUNIT_TEST(testUnterminatedQuoteRecovers);
    CPPUNIT_TEST(testColumnCountMismatch);
    CPPUNIT_TEST(testIssueLimit);
    CPPUNIT_TEST(testEmptyInput);
    CPPUNIT_TEST(testInvalidUtf8);
    CPPUNIT_TEST(testWriterQuotingAndCrlf);
    CPPUNIT_TEST(testRoundTrip);
    CPPUNIT_TEST(testCp932Read);
    CPPUNIT_TEST(testCp932WriteAndRoundTrip);
    CPPUNIT_TEST(testCp932InvalidBytes);
    CPPUNIT_TEST(testCp932Hooks);
    CPPUNIT_TEST(testInquiryResultRoundTrip);
    CPPUNIT_TEST(testInquiryResultBadRows);
    CPPUNIT_TEST(testInquiryResultMissingColumn);
    CPPUNIT_TEST_SUITE_END();

public:
    void testHeaderAndSimpleRecords()
    {
        CsvReader::Table t = CsvReader::read("a,b,c\r\n1,2,3\r\n4,,6\r\n");
        CPPUNIT_ASSERT(t.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), t.header.size());
        CPPUNIT_ASSERT_EQUAL(1, t.columnIndex("b"));
        CPPUNIT_ASSERT_EQUAL(-1, t.columnIndex("z"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), t.records[1].fields[1]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.records[1].number);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), t.records[1].line);
    }

    void testQuotedFields()
    {
        CsvReader::Table t = CsvReader::read("\"x, y\",\"say \"\"hi\"\"\",\"line1\r\nline2\nline3\",\"\"\r\nnext,2,3,4\r\n",
                                             noHeader());
        CPPUNIT_ASSERT(t.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("x, y"), t.records[0].fields[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("say \"hi\""), t.records[0].fields[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("line1\r\nline2\nline3"), t.records[0].fields[2]);
        CPPUNIT_ASSERT_EQUAL(std::string(""), t.records[0].fields[3]);
        // The second record starts on physical line 4 (two line breaks were inside quotes).
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), t.records[1].line);
    }

    void testLineEndingsAndBlankLines()
    {
        CsvReader::Table t = CsvReader::read("h1,h2\n1,2\r\n\r\n3,4\r5,6", CsvReader::Options());
        CPPUNIT_ASSERT(t.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), t.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("6"), t.records[2].fields[1]); // no final terminator
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), t.records[2].line);
        // A trailing comma is an empty last field.
        CsvReader::Table u = CsvReader::read("a,\r\n", noHeader());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), u.records[0].fields.size());
    }

    void testBomTolerated()
    {
        CsvReader::Table t = CsvReader::read("\xEF\xBB\xBFname,x\r\nv,1\r\n");
        CPPUNIT_ASSERT(t.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("name"), t.header[0]);
    }

    void testStrayQuoteKeepsGoodRecords()
    {
        CsvReader::Table t = CsvReader::read("a,b\r\n1,2\r\n3,x\"y\r\n5,6\r\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.issues.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.issues[0].record);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), t.issues[0].line);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.issues[0].column);
        CPPUNIT_ASSERT(mentions(t.issues[0].reason, "stray quote"));
        CPPUNIT_ASSERT_EQUAL(std::string("record 2 (line 3), column 2: stray quote in unquoted field"),
                             t.issues[0].toString());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("5"), t.records[1].fields[0]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), t.records[1].number);
    }

    void testCharacterAfterClosingQuote()
    {
        CsvReader::Table t = CsvReader::read("\"ab\"c,d\r\nok,1\r\n", noHeader());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.issues.size());
        CPPUNIT_ASSERT(mentions(t.issues[0].reason, "after closing quote"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.issues[0].column);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), t.records[0].fields[0]);
    }

    void testUnterminatedQuoteRecovers()
    {
        CsvReader::Table t = CsvReader::read("a,b\r\n1,\"open\r\n2,3\r\n4,5\r\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.issues.size());
        CPPUNIT_ASSERT(mentions(t.issues[0].reason, "unterminated"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.issues[0].line);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.issues[0].column);
        // Reading resumes on the line after the broken record.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2"), t.records[0].fields[0]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), t.records[0].line);
    }

    void testColumnCountMismatch()
    {
        CsvReader::Table t = CsvReader::read("a,b,c\r\n1,2\r\n1,2,3\r\n1,2,3,4\r\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.issues.size());
        CPPUNIT_ASSERT(mentions(t.issues[0].reason, "has 2 fields, expected 3"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), t.issues[0].column);
        CPPUNIT_ASSERT(mentions(t.issues[1].reason, "has 4 fields"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.records.size());
        // Without a header the first record sets the count.
        CsvReader::Table u = CsvReader::read("1,2\r\n3\r\n", noHeader());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), u.issues.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), u.issues[0].record);
    }

    void testIssueLimit()
    {
        std::string in = "a,b\r\n";
        for (int i = 0; i < 10; ++i)
            in += "x\"y,1\r\n";
        in += "good,1\r\n";
        CsvReader::Options o;
        o.maxIssues = 3;
        CsvReader::Table t = CsvReader::read(in, o);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), t.issues.size());
        CPPUNIT_ASSERT(t.truncated);
        CPPUNIT_ASSERT(t.records.empty());
        // Exactly at the limit with nothing left unread is not truncated.
        o.maxIssues = 11;
        CsvReader::Table u = CsvReader::read(in, o);
        CPPUNIT_ASSERT_EQUAL(std::size_t(10), u.issues.size());
        CPPUNIT_ASSERT(!u.truncated);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), u.records.size());
    }

    void testEmptyInput()
    {
        CsvReader::Table t = CsvReader::read("");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.issues.size());
        CPPUNIT_ASSERT(mentions(t.issues[0].reason, "header row missing"));
        CsvReader::Table u = CsvReader::read("", noHeader());
        CPPUNIT_ASSERT(u.ok());
        CPPUNIT_ASSERT(u.records.empty());
    }

    void testInvalidUtf8()
    {
        CsvReader::Table t = CsvReader::read("a,b\r\nok,\xC0\xAF\r\nfine,\xE3\x81\x82\r\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.issues.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.issues[0].column);
        CPPUNIT_ASSERT(mentions(t.issues[0].reason, "invalid UTF-8 byte 0xC0"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("\xE3\x81\x82"), t.records[0].fields[1]);
        CPPUNIT_ASSERT(CsvCharset::invalidUtf8Offset("\xED\xA0\x80") == 0); // surrogate
        CPPUNIT_ASSERT(CsvCharset::invalidUtf8Offset("ab\xF4\x90\x80\x80") == 2); // > U+10FFFF
        CPPUNIT_ASSERT(CsvCharset::invalidUtf8Offset("ab\xE3\x81") == 2);           // truncated
    }

    void testWriterQuotingAndCrlf()
    {
        CsvWriter w;
        CPPUNIT_ASSERT(w.writeRecord({"plain", "a,b", "say \"x\"", "l1\nl2", " pad", ""}));
        CPPUNIT_ASSERT(w.writeRecord({"2"}));
        CPPUNIT_ASSERT_EQUAL(std::string("plain,\"a,b\",\"say \"\"x\"\"\",\"l1\nl2\",\" pad\",\r\n2\r\n"), w.bytes());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), w.records());
        CsvWriter::Options o;
        o.bom = true;
        CsvWriter b(o);
        CPPUNIT_ASSERT(b.writeRecord({"x"}));
        CPPUNIT_ASSERT_EQUAL(std::string("\xEF\xBB\xBFx\r\n"), b.bytes());
    }

    void testRoundTrip()
    {
        std::vector<std::vector<std::string>> rows = {
            {"h1", "h2", "h3"}, {"\"", ",", "\r\n"}, {"", "日本語", "a\"\"b"}, {"  ", "x\ry", "end"}};
        CsvWriter w;
        for (const auto& r : rows)
            CPPUNIT_ASSERT(w.writeRecord(r));
        CsvReader::Table t = CsvReader::read(w.bytes());
        CPPUNIT_ASSERT(t.ok());
        CPPUNIT_ASSERT(t.header == rows[0]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), t.records.size());
        for (std::size_t i = 0; i < 3; ++i)
            CPPUNIT_ASSERT(t.records[i].fields == rows[i + 1]);
    }

    void testCp932Read()
    {
        // 82A0 あ, 835C ソ (trail byte 0x5C), 955C 表, 8740 ① (NEC), B1 ｱ (半角), FBFC 髙 (IBM ext).
        std::string cp932 = "name,v\r\n\x82\xA0\x83\x5C,\"\x95\x5C,\x87\x40\"\r\n\xB1,\xFB\xFC\r\n";
        CsvReader::Options o;
        o.charset = CsvCharset::cp932();
        CsvReader::Table t = CsvReader::read(cp932, o);
        CPPUNIT_ASSERT(t.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("あソ"), t.records[0].fields[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("表,①"), t.records[0].fields[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("ｱ"), t.records[1].fields[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("髙"), t.records[1].fields[1]);
    }

    void testCp932WriteAndRoundTrip()
    {
        CsvWriter::Options o;
        o.charset = CsvCharset::cp932();
        CsvWriter w(o);
        CPPUNIT_ASSERT(w.writeRecord({"表", "ソ,ｱ"}));
        CPPUNIT_ASSERT_EQUAL(std::string("\x95\x5C,\"\x83\x5C,\xB1\"\r\n"), w.bytes());
        // A character outside CP932 refuses the record and names the column.
        Status s = w.writeRecord({"ok", "emoji \xF0\x9F\x98\x80"});
        CPPUNIT_ASSERT(!s);
        CPPUNIT_ASSERT(mentions(s.message(), "record 2, column 2"));
        CPPUNIT_ASSERT(mentions(s.message(), "U+1F600"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.records());
        CsvReader::Options r;
        r.charset = CsvCharset::cp932();
        r.header = false;
        CsvReader::Table t = CsvReader::read(w.bytes(), r);
        CPPUNIT_ASSERT(t.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("ソ,ｱ"), t.records[0].fields[1]);
    }

    void testCp932InvalidBytes()
    {
        CsvReader::Options o;
        o.charset = CsvCharset::cp932();
        // 0x82 followed by 0x20 is not a valid double-byte character; 0xA0 is unassigned.
        CsvReader::Table t = CsvReader::read("a,b\r\nx,\x82 \r\n\xA0,y\r\nok,1\r\n", o);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.issues.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.issues[0].column);
        CPPUNIT_ASSERT(mentions(t.issues[0].reason, "CP932"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.issues[1].column);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.records.size());
    }

    void testCp932Hooks()
    {
        int decodes = 0;
        CsvCharset hooked = CsvCharset::cp932(
            [&decodes](const std::string& b) -> Result<std::string> {
                ++decodes;
                if (b == "\xF0\x40")
                    return std::string("\xEE\x80\x80"); // 外字 → U+E000 via the caller's table
                return CsvCharset::cp932().decode(b);
            },
            [](const std::string& u) { return CsvCharset::cp932().encode(u); });
        CsvReader::Options o;
        o.charset = hooked;
        o.header = false;
        CsvReader::Table t = CsvReader::read("\xF0\x40,\x82\xA0\r\n", o);
        CPPUNIT_ASSERT(t.ok());
        CPPUNIT_ASSERT_EQUAL(2, decodes);
        CPPUNIT_ASSERT_EQUAL(std::string("\xEE\x80\x80"), t.records[0].fields[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("あ"), t.records[0].fields[1]);
    }

    static InquiryResultCsv::Row normalRow()
    {
        return InquiryResultCsv::Row{"S0000000001",      "000000000000123", "JM01000000121000",
                                     "TM00000000000002", "PV00000000000001", "09", "01", "",
                                     "<Vaccination><Dose>1</Dose></Vaccination>"};
    }

    void testInquiryResultRoundTrip()
    {
        InquiryResultCsv::Row ok = normalRow();
        InquiryResultCsv::Row err = normalRow();
        err.serial = "S0000000002";
        err.detailStatus = "10";
        err.itemStatus = "02";
        err.errorMessage = "指定された団体内統合宛名番号「000000000000123」は符号が未取得です。";
        err.data = "";
        CsvWriter::Options wo;
        wo.charset = CsvCharset::cp932();
        Result<std::string> bytes = InquiryResultCsv::write({ok, err}, wo);
        CPPUNIT_ASSERT(bytes.isOk());
        CsvReader::Options ro;
        ro.charset = CsvCharset::cp932();
        InquiryResultCsv::Parsed p = InquiryResultCsv::read(bytes.value(), ro);
        CPPUNIT_ASSERT(p.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.rows.size());
        CPPUNIT_ASSERT(p.rows[0].isNormal());
        CPPUNIT_ASSERT(!p.rows[1].isNormal());
        CPPUNIT_ASSERT(p.rows[1].errorMessage == err.errorMessage);
        CPPUNIT_ASSERT(p.rows[0].data == ok.data);
        CPPUNIT_ASSERT_EQUAL(std::size_t(9), InquiryResultCsv::columns().size());
        // Writing checks the fields too.
        InquiryResultCsv::Row bad = normalRow();
        bad.itemStatus = "1";
        Result<std::string> refused = InquiryResultCsv::write({ok, bad});
        CPPUNIT_ASSERT(!refused);
        CPPUNIT_ASSERT(mentions(refused.status().message(), "row 2, column 7: 項目ステータス must be 2 digits"));
    }

    void testInquiryResultBadRows()
    {
        // Columns in another order are matched by name; bad atena number and status are issues.
        std::string csv = "データ,処理通番,統合宛名番号,事務コード,特定個人情報名コード,情報提供者機関コード,"
                          "詳細ステータス,項目ステータス,エラーメッセージ\r\n"
                          ",S1,000000000000123,JM01000000121000,TM00000000000002,PV00000000000001,09,01,\r\n"
                          ",S2,12345,JM01000000121000,TM00000000000002,PV00000000000001,09,01,\r\n"
                          ",S3,000000000000124,JM01000000121000,TM00000000000002,PV00000000000001,9,01,\r\n";
        InquiryResultCsv::Parsed p = InquiryResultCsv::read(csv);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.rows.size());
        CPPUNIT_ASSERT_EQUAL(std::string("S1"), p.rows[0].serial);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.issues.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.issues[0].column);
        CPPUNIT_ASSERT(mentions(p.issues[0].reason, "統合宛名番号 must be 15 digits"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), p.issues[1].line);
        CPPUNIT_ASSERT(mentions(p.issues[1].reason, "詳細ステータス"));
    }

    void testInquiryResultMissingColumn()
    {
        InquiryResultCsv::Parsed p = InquiryResultCsv::read("処理通番,データ\r\nS1,x\r\n");
        CPPUNIT_ASSERT(p.rows.empty());
        CPPUNIT_ASSERT(!p.ok());
        CPPUNIT_ASSERT(mentions(p.issues[0].toString(), "header (line 1): header lacks column 統合宛名番号"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CsvTest);
