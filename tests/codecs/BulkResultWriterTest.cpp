// BulkResultWriterTest: bulk results as CSV, schema-valid XML and fixed-length parts — content
// unaltered or told unrepresentable.
#include "codecs/BulkResultWriter.h"
#include "codecs/Charset.h"
#include "codecs/InquiryResultCsv.h"
#include "codecs/SecureXmlParser.h"
#include "codecs/XmlSchemaCatalog.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>

using namespace chukan;

namespace
{

std::string srcDir()
{
    const char* env = std::getenv("CHUKAN_SRC");
    return env && *env ? env : CHUKAN_SOURCE_DIR;
}

std::shared_ptr<const LayoutCodec> resultLayout()
{
    Result<Layout> l = Layout::load(srcDir() + "/conf/layouts/bulk_inquiry_result.xml");
    CPPUNIT_ASSERT_MESSAGE(l.status().toString(), l.isOk());
    return std::make_shared<LayoutCodec>(l.value());
}

BulkResultItem item(std::size_t record, const std::string& data)
{
    BulkResultItem i;
    i.recordNumber = record;
    std::string n = std::to_string(record);
    i.serial = "B0123456789abcdef012345-" + std::string(7 - n.size(), '0') + n;
    i.atenaNo = "000000000000101";
    i.jimuCode = "JM01000000121000";
    i.procedureCode = "JT01010000000214";
    i.itemCode = "TM00000000000002";
    i.providerCode = "3520630000000000";
    i.status = "completed";
    i.detailStatus = "09";
    i.itemStatus = "01";
    i.hasData = true;
    i.data = data;
    return i;
}

BulkResultItem refused(std::size_t record)
{
    BulkResultItem i = item(record, "");
    i.hasData = false;
    i.status = "aborted";
    i.detailStatus = "20";
    i.itemStatus = "32";
    i.errorCode = "NO_FUGO";
    i.errorMessage = "指定された団体内統合宛名番号「000000000000101」は符号が未取得です。";
    return i;
}

std::string render(BulkResultWriter& w, const std::vector<BulkResultItem>& items)
{
    std::string out;
    Status st = w.begin(out, "B0123456789abcdef012345", "kenko", items.size());
    CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
    for (const BulkResultItem& i : items)
    {
        st = w.add(out, i);
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
    }
    w.end(out);
    return out;
}

const std::string DATA =
    "<予防接種記録><ワクチン>見本ワクチン</ワクチン><接種回数>3</接種回数></予防接種記録>";
const std::string EMOJI = "<メモ>\xF0\x9F\x98\x80</メモ>"; // U+1F600: no CP932 code

} // namespace

class BulkResultWriterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BulkResultWriterTest);
    CPPUNIT_TEST(testFormatNames);
    CPPUNIT_TEST(testCsvReadsBack);
    CPPUNIT_TEST(testCsvCp932UnrepresentableData);
    CPPUNIT_TEST(testXmlIsSchemaValidAndUnaltered);
    CPPUNIT_TEST(testFixedPartsReassemble);
    CPPUNIT_TEST(testFixedUnrepresentableAndLongMessage);
    CPPUNIT_TEST(testFixedNeedsLayout);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFormatNames()
    {
        CPPUNIT_ASSERT_EQUAL(BulkResultWriter::CSV, BulkResultWriter::formatNamed("csv").value());
        CPPUNIT_ASSERT_EQUAL(BulkResultWriter::XML, BulkResultWriter::formatNamed("xml").value());
        CPPUNIT_ASSERT_EQUAL(BulkResultWriter::FIXED,
                             BulkResultWriter::formatNamed("fixed").value());
        Result<BulkResultWriter::Format> bad = BulkResultWriter::formatNamed("json");
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, bad.status().code());
        CPPUNIT_ASSERT(bad.status().message().find("'json'") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(
            std::string("text/csv; charset=Shift_JIS"),
            BulkResultWriter(BulkResultWriter::CSV, CsvCharset::cp932(), nullptr).contentType());
        CPPUNIT_ASSERT_EQUAL(
            std::string("application/xml; charset=UTF-8"),
            BulkResultWriter(BulkResultWriter::XML, CsvCharset::utf8(), nullptr).contentType());
    }

    void testCsvReadsBack()
    {
        BulkResultWriter w(BulkResultWriter::CSV, CsvCharset::utf8(), nullptr);
        std::string data = "a,\"b\"\r\n" + DATA; // quoting and line breaks survive
        std::string out = render(w, {item(1, data), refused(2)});
        InquiryResultCsv::Parsed p = InquiryResultCsv::read(out);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), p.issues.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.rows.size());
        CPPUNIT_ASSERT_EQUAL(item(1, "").serial, p.rows[0].serial);
        CPPUNIT_ASSERT(p.rows[0].isNormal());
        CPPUNIT_ASSERT_EQUAL(data, p.rows[0].data);
        CPPUNIT_ASSERT_EQUAL(std::string("20"), p.rows[1].detailStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("32"), p.rows[1].itemStatus);
        CPPUNIT_ASSERT_EQUAL(refused(2).errorMessage, p.rows[1].errorMessage);
        CPPUNIT_ASSERT_EQUAL(std::string(""), p.rows[1].data);
        CPPUNIT_ASSERT_EQUAL(std::string("3520630000000000"), p.rows[1].providerCode);
    }

    void testCsvCp932UnrepresentableData()
    {
        BulkResultWriter w(BulkResultWriter::CSV, CsvCharset::cp932(), nullptr);
        std::string out = render(w, {item(1, DATA), item(2, EMOJI)});
        Result<std::string> utf8 = Charset(Charset::CP932).decode(out);
        CPPUNIT_ASSERT_MESSAGE(utf8.status().toString(), utf8.isOk());
        InquiryResultCsv::Parsed p = InquiryResultCsv::read(utf8.value());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.rows.size());
        CPPUNIT_ASSERT_EQUAL(DATA, p.rows[0].data);
        // The emoji is not changed into something else: the row says fetch it as XML.
        CPPUNIT_ASSERT_EQUAL(std::string(""), p.rows[1].data);
        CPPUNIT_ASSERT_EQUAL(std::string(BulkResultWriter::ITEM_UNREPRESENTABLE),
                             p.rows[1].itemStatus);
        CPPUNIT_ASSERT_EQUAL(BulkResultWriter::unrepresentableText(), p.rows[1].errorMessage);
    }

    void testXmlIsSchemaValidAndUnaltered()
    {
        BulkResultWriter w(BulkResultWriter::XML, CsvCharset::utf8(), nullptr);
        std::string tricky =
            DATA + "]]>" + EMOJI; // a CDATA end inside the data, and a non-BMP character
        std::string out = render(w, {item(1, tricky), refused(2)});
        XmlSchemaCatalog catalog(srcDir() + "/conf/schemas");
        Result<std::shared_ptr<const XmlSchema>> schema = catalog.get("online-inquiry");
        CPPUNIT_ASSERT_MESSAGE(schema.status().toString(), schema.isOk());
        SecureXmlParser::Outcome o = SecureXmlParser(schema.value()).parse(out);
        CPPUNIT_ASSERT_MESSAGE(o.summary() + "\n" + out, o.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("BulkInquiryResult"), o.root->name);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), o.root->childText("Count"));
        CPPUNIT_ASSERT_EQUAL(std::string("B0123456789abcdef012345"), o.root->childText("JobID"));
        std::vector<const XmlElement*> results = o.root->childrenNamed("Result");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), results.size());
        CPPUNIT_ASSERT_EQUAL(std::string("1"), results[0]->childText("RecordNo"));
        CPPUNIT_ASSERT_EQUAL(tricky, results[0]->childText("ResultData"));
        CPPUNIT_ASSERT(results[0]->child("Error") == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("NO_FUGO"), results[1]->child("Error")->childText("Code"));
        CPPUNIT_ASSERT(results[1]->child("ResultData") == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("aborted"), results[1]->childText("Status"));
    }

    void testFixedPartsReassemble()
    {
        std::shared_ptr<const LayoutCodec> layout = resultLayout();
        BulkResultWriter w(BulkResultWriter::FIXED, CsvCharset::cp932(), layout);
        // About 1,560 CP932 bytes of mixed single- and double-byte text: parts cut at character
        // boundaries.
        std::string data;
        while (data.size() < 2000)
            data += "<記録>a";
        data += "  "; // trailing spaces are data too (data_length says so)
        std::string out = render(w, {item(7, data), refused(8)});
        LayoutReport r = layout->decode(out, 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), r.errors.size());
        const std::vector<LayoutField>& f = layout->layout().fields();
        auto value = [&](const DecodedRecord& d, const std::string& name)
        {
            for (std::size_t i = 0; i < f.size(); ++i)
                if (f[i].name == name)
                    return d.values[i];
            CPPUNIT_FAIL("no field " + name);
            return std::string();
        };
        const Charset cp932(Charset::CP932);
        std::size_t bytes = cp932.encode(data).value().size();
        std::size_t parts = r.records.size() - 1;
        CPPUNIT_ASSERT(parts >= (bytes + 999) / 1000);
        std::string joined;
        for (std::size_t i = 0; i < parts; ++i)
        {
            const DecodedRecord& d = r.records[i];
            CPPUNIT_ASSERT_EQUAL(item(7, "").serial, value(d, "serial"));
            CPPUNIT_ASSERT_EQUAL(std::string("0000007"), value(d, "record_no"));
            CPPUNIT_ASSERT_EQUAL(std::stoul(value(d, "part_no")), i + 1);
            CPPUNIT_ASSERT_EQUAL(std::stoul(value(d, "part_count")), parts);
            std::size_t length = std::stoul(value(d, "data_length"));
            CPPUNIT_ASSERT(length <= 1000);
            // The record's data field, as bytes: data_length of them are data.
            std::string raw = out.substr(i * 1566 + 564, 1000);
            joined += raw.substr(0, length);
        }
        CPPUNIT_ASSERT_EQUAL(data, cp932.decode(joined).value());
        const DecodedRecord& last = r.records.back();
        CPPUNIT_ASSERT_EQUAL(std::string("NO_FUGO"), value(last, "error_code"));
        CPPUNIT_ASSERT_EQUAL(refused(8).errorMessage, value(last, "error_message"));
        CPPUNIT_ASSERT_EQUAL(std::string("0000"), value(last, "data_length"));
        CPPUNIT_ASSERT_EQUAL(std::string("001"), value(last, "part_count"));
    }

    void testFixedUnrepresentableAndLongMessage()
    {
        std::shared_ptr<const LayoutCodec> layout = resultLayout();
        BulkResultWriter w(BulkResultWriter::FIXED, CsvCharset::cp932(), layout);
        BulkResultItem lineBreak = item(1, "<a>\n</a>");
        BulkResultItem longMessage = refused(3);
        longMessage.errorMessage = std::string(151, 'x');
        for (int i = 0; i < 200; ++i)
            longMessage.errorMessage += "符";
        std::string out = render(w, {lineBreak, item(2, EMOJI), longMessage});
        LayoutReport r = layout->decode(out, 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), r.errors.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), r.records.size());
        const std::vector<LayoutField>& f = layout->layout().fields();
        auto value = [&](std::size_t rec, const std::string& name)
        {
            for (std::size_t i = 0; i < f.size(); ++i)
                if (f[i].name == name)
                    return r.records[rec].values[i];
            CPPUNIT_FAIL("no field " + name);
            return std::string();
        };
        for (std::size_t rec = 0; rec < 2; ++rec)
        {
            CPPUNIT_ASSERT_EQUAL(std::string(BulkResultWriter::UNREPRESENTABLE),
                                 value(rec, "error_code"));
            CPPUNIT_ASSERT_EQUAL(std::string(BulkResultWriter::ITEM_UNREPRESENTABLE),
                                 value(rec, "koumoku_status"));
            CPPUNIT_ASSERT_EQUAL(std::string("0000"), value(rec, "data_length"));
            CPPUNIT_ASSERT_EQUAL(std::string(""), value(rec, "data"));
        }
        // 151 + 2 * 124 = 399 bytes: the message is cut before the character that would not fit.
        std::string message = value(2, "error_message");
        CPPUNIT_ASSERT_EQUAL(std::size_t(399),
                             Charset(Charset::CP932).encode(message).value().size());
        CPPUNIT_ASSERT_EQUAL(0, longMessage.errorMessage.compare(0, message.size(), message));
    }

    void testFixedNeedsLayout()
    {
        BulkResultWriter w(BulkResultWriter::FIXED, CsvCharset::cp932(), nullptr);
        std::string out;
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, w.begin(out, "B1", "kenko", 0).code());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BulkResultWriterTest);
