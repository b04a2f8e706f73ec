// LayoutTest: layout validation, padding and limits, shipped layouts, files with bad records.
#include "codecs/LayoutCodec.h"

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

Layout shipped(const std::string& name)
{
    Result<Layout> l = Layout::load(srcDir() + "/conf/layouts/" + name + ".xml");
    CPPUNIT_ASSERT_MESSAGE(l.status().toString(), l.isOk());
    return l.value();
}

/// A small layout for field-level tests; `fields` is the inside of <layout>.
Layout small(const std::string& fields, std::size_t length, const std::string& terminator = "crlf",
             const std::string& encoding = "cp932")
{
    std::string xml = "<layout name=\"t\" length=\"" + std::to_string(length) + "\" encoding=\"" +
                      encoding + "\" terminator=\"" + terminator + "\">" + fields + "</layout>";
    Result<Layout> l = Layout::parse(xml, "test.xml");
    CPPUNIT_ASSERT_MESSAGE(l.status().toString(), l.isOk());
    return l.value();
}

Status layoutError(const std::string& inner, std::size_t length = 10,
                   const std::string& encoding = "cp932")
{
    std::string xml = "<layout name=\"t\" length=\"" + std::to_string(length) + "\" encoding=\"" +
                      encoding + "\" terminator=\"crlf\">" + inner + "</layout>";
    Result<Layout> l = Layout::parse(xml, "test.xml");
    CPPUNIT_ASSERT_MESSAGE(inner, !l);
    return l.status();
}

bool contains(const std::string& s, const std::string& part)
{
    return s.find(part) != std::string::npos;
}

std::map<std::string, std::string> jukiValues(const std::string& atena)
{
    return {{"atena_no", atena},
            {"juminhyo_code", "00000000042"},
            {"name_kanji", "山田　太郎"},
            {"name_kana", "ヤマダ　タロウ"},
            {"sex", "1"},
            {"birth_date", "1989-01-07"},
            {"address", "千葉県千葉市中央区千葉港１番１号"},
            {"change_reason", "01"},
            {"change_date", "2019-05-01"},
            {"status", "1"},
            {"filler", ""}};
}

} // namespace

class LayoutTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LayoutTest);
    CPPUNIT_TEST(testShippedLayoutsLoad);
    CPPUNIT_TEST(testBulkInquiryRoundTrip);
    CPPUNIT_TEST(testJukiResidentRoundTrip);
    CPPUNIT_TEST(testDecodeRecordReusesValues);
    CPPUNIT_TEST(testZeimuRoundTrip);
    CPPUNIT_TEST(testPadding);
    CPPUNIT_TEST(testSignedNumbers);
    CPPUNIT_TEST(testTooLongAndWrongWidthValues);
    CPPUNIT_TEST(testNeverSplitsDoubleByteCharacters);
    CPPUNIT_TEST(testDecodeFieldErrors);
    CPPUNIT_TEST(testDatesAndCodes);
    CPPUNIT_TEST(testLayoutValidation);
    CPPUNIT_TEST(testMixedGoodAndBadRecords);
    CPPUNIT_TEST(testErrorLimit);
    CPPUNIT_TEST(testDecodeInTwoEqualsDecode);
    CPPUNIT_TEST(testTerminators);
    CPPUNIT_TEST(testGaijiInWideField);
    CPPUNIT_TEST_SUITE_END();

public:
    void testShippedLayoutsLoad()
    {
        Layout bulk = shipped("bulk_inquiry");
        CPPUNIT_ASSERT_EQUAL(std::size_t(220), bulk.recordLength());
        CPPUNIT_ASSERT_EQUAL(std::size_t(18), bulk.fields().size());
        std::size_t sum = 0;
        for (const LayoutField& f : bulk.fields())
            sum += f.length;
        CPPUNIT_ASSERT_EQUAL(std::size_t(220), sum);
        CPPUNIT_ASSERT_EQUAL(std::string("bangou_taikei"), bulk.fields().front().name);
        CPPUNIT_ASSERT_EQUAL(std::string("番号体系"), bulk.fields().front().label);
        CPPUNIT_ASSERT_EQUAL(std::size_t(212), bulk.field("shoukai_shuuryou_date")->offset);
        CPPUNIT_ASSERT_EQUAL(std::size_t(17), bulk.field("shoukai_irai_nichiji")->length);
        Layout juki = shipped("juki_resident");
        CPPUNIT_ASSERT_EQUAL(Layout::CRLF, juki.terminator());
        CPPUNIT_ASSERT_EQUAL(Charset::CP932, juki.encoding());
        CPPUNIT_ASSERT_EQUAL(LayoutField::WAREKI, juki.field("birth_date")->type);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), juki.field("status")->codes.size());
        Layout zeimu = shipped("zeimu_resident_tax");
        CPPUNIT_ASSERT_EQUAL(Layout::NONE, zeimu.terminator());
        CPPUNIT_ASSERT_EQUAL(LayoutField::LEADING, zeimu.field("taxable_income")->sign);
    }

    void testBulkInquiryRoundTrip()
    {
        LayoutCodec codec(shipped("bulk_inquiry"));
        std::map<std::string, std::string> in = {
            {"bangou_taikei", "01"},
            {"atena_no", "A0000001"},
            {"tougou_atena_no", "000000000000123"},
            {"shoukai_irai_nichiji", "2024-04-01T09:30:15.123"},
            {"shoukaisha_busho_code", "FUKUSHI01"},
            {"shoukaisha_user_id", "user001"},
            {"shoukaisha_kikan_code", "1210020000000001"},
            {"shoukai_fukaiji_code", "0"},
            {"jimu_code", "JM00000000000001"},
            {"jimu_tetsuzuki_code", "JT00000000000001"},
            {"teikyousha_kikan_code", "3520630000000001"},
            {"tokutei_kojin_jouhou_mei_code", "TM00000000000001"},
            {"shoukai_jouken_kubun", "1"},
            {"shoukai_nendo_kubun", "0"},
            {"shoukai_kaishi_date", "2024-04-01"},
        };
        Result<std::string> bytes = codec.encode(in);
        CPPUNIT_ASSERT_MESSAGE(bytes.status().toString(), bytes.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(222), bytes.value().size());
        CPPUNIT_ASSERT_EQUAL(std::string("01A0000001       000000000000123"),
                             bytes.value().substr(0, 32));
        CPPUNIT_ASSERT_EQUAL(std::string("20240401093015123"), bytes.value().substr(32, 17));
        LayoutReport report = codec.decode(bytes.value());
        CPPUNIT_ASSERT(report.clean());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), report.records.size());
        const Layout& l = codec.layout();
        for (std::size_t i = 0; i < l.fields().size(); ++i)
        {
            auto it = in.find(l.fields()[i].name);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(l.fields()[i].name,
                                         it == in.end() ? std::string() : it->second,
                                         report.records[0].values[i]);
        }
        CPPUNIT_ASSERT_EQUAL(bytes.value(), codec.encode(in).value());
    }

    void testJukiResidentRoundTrip()
    {
        LayoutCodec codec(shipped("juki_resident"));
        auto in = jukiValues("000000000000001");
        Result<std::string> bytes = codec.encode(in);
        CPPUNIT_ASSERT_MESSAGE(bytes.status().toString(), bytes.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(282), bytes.value().size());
        CPPUNIT_ASSERT_EQUAL(std::string("3640107"),
                             bytes.value().substr(127, 7)); // 昭和64年1月7日
        // 氏名: 山田　太郎 is 5 characters = 10 bytes, then 15 x U+3000 (0x8140).
        CPPUNIT_ASSERT_EQUAL(std::string("\x8E\x52\x93\x63\x81\x40\x91\xBE\x98\x59"),
                             bytes.value().substr(26, 10));
        for (std::size_t i = 36; i < 66; i += 2)
            CPPUNIT_ASSERT_EQUAL(std::string("\x81\x40"), bytes.value().substr(i, 2));
        LayoutReport report = codec.decode(bytes.value() + bytes.value());
        CPPUNIT_ASSERT(report.clean());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), report.records.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), report.records[1].recordNumber);
        const Layout& l = codec.layout();
        for (std::size_t i = 0; i < l.fields().size(); ++i)
            CPPUNIT_ASSERT_EQUAL(in[l.fields()[i].name], report.records[0].values[i]);
    }

    void testDecodeRecordReusesValues()
    {
        // Decoding into a record that already holds values (longer ones, blank optional fields
        // now filled and the other way round) gives exactly what a fresh record gets.
        LayoutCodec codec(shipped("juki_resident"));
        auto first = jukiValues("000000000000001");
        first["address"] = "北海道札幌市中央区北一条西二丁目一番地の長い住所";
        first["filler"] = "ABCDEFG";
        auto second = jukiValues("000000000000002");
        second["juminhyo_code"] = "";
        second["name_kanji"] = "林";
        second["birth_date"] = "2019-05-01";
        const Layout& l = codec.layout();
        std::string a = codec.encode(first).value(), b = codec.encode(second).value();
        DecodedRecord reused;
        std::vector<RecordError> errors;
        CPPUNIT_ASSERT(codec.decodeRecord(std::string_view(a).substr(0, 280), 1, 0, reused, errors));
        CPPUNIT_ASSERT(codec.decodeRecord(std::string_view(b).substr(0, 280), 2, 282, reused, errors));
        CPPUNIT_ASSERT(errors.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), reused.recordNumber);
        CPPUNIT_ASSERT_EQUAL(l.fields().size(), reused.values.size());
        for (std::size_t i = 0; i < l.fields().size(); ++i)
            CPPUNIT_ASSERT_EQUAL(second[l.fields()[i].name], reused.values[i]);
        CPPUNIT_ASSERT_EQUAL(std::string("2019-05-01"), reused.values[5]); // 令和元年5月1日
    }

    void testZeimuRoundTrip()
    {
        LayoutCodec codec(shipped("zeimu_resident_tax"));
        std::map<std::string, std::string> a = {{"atena_no", "000000000000007"},
                                                {"fiscal_year", "2024"},
                                                {"taxable_income", "-1250000"},
                                                {"per_capita_levy", "5000"},
                                                {"income_levy", "0"},
                                                {"correction_reason", "02"}};
        std::map<std::string, std::string> b = a;
        b["taxable_income"] = "3000000";
        std::string file = codec.encode(a).value() + codec.encode(b).value();
        CPPUNIT_ASSERT_EQUAL(std::size_t(128), file.size()); // no terminator
        CPPUNIT_ASSERT_EQUAL(std::string("-00001250000"), file.substr(19, 12));
        CPPUNIT_ASSERT_EQUAL(std::string("+00003000000"), file.substr(64 + 19, 12));
        LayoutReport report = codec.decode(file);
        CPPUNIT_ASSERT(report.clean());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), report.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("-1250000"), report.records[0].values[2]);
        CPPUNIT_ASSERT_EQUAL(std::string("3000000"), report.records[1].values[2]);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), report.records[0].values[4]);
    }

    void testPadding()
    {
        Layout l = small("<field name=\"x\" offset=\"0\" length=\"6\" type=\"X\"/>"
                         "<field name=\"n\" offset=\"6\" length=\"6\" type=\"N\"/>"
                         "<field name=\"z\" offset=\"12\" length=\"5\" type=\"9\"/>"
                         "<field name=\"k\" offset=\"17\" length=\"5\" type=\"9\" zeros=\"keep\"/>",
                         22);
        LayoutCodec codec(l);
        std::string rec = codec.encode({{"x", "ab"}, {"n", "漢"}, {"z", "42"}, {"k", "7"}}).value();
        CPPUNIT_ASSERT_EQUAL(std::string("ab    \x8A\xBF\x81\x40\x81\x40"
                                         "00042"
                                         "00007\r\n"),
                             rec);
        LayoutReport r = codec.decode(rec);
        CPPUNIT_ASSERT(r.clean());
        CPPUNIT_ASSERT_EQUAL(std::string("ab"), r.records[0].values[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("漢"), r.records[0].values[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("42"), r.records[0].values[2]);
        CPPUNIT_ASSERT_EQUAL(std::string("00007"), r.records[0].values[3]);
        // Leading spaces in X and an inner U+3000 in N are data, kept.
        std::string inner =
            codec.encode({{"x", " a"}, {"n", "　漢"}, {"z", "0"}, {"k", "00000"}}).value();
        r = codec.decode(inner);
        CPPUNIT_ASSERT_EQUAL(std::string(" a"), r.records[0].values[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("　漢"), r.records[0].values[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), r.records[0].values[2]);
        // 半角カナ are single-byte: fine in X.
        CPPUNIT_ASSERT_EQUAL(std::string("\xB1\xB2\xB3   "),
                             codec.encodeField(*l.field("x"), "ｱｲｳ").value());
    }

    void testSignedNumbers()
    {
        Layout l =
            small("<field name=\"lead\" offset=\"0\" length=\"5\" type=\"9\" sign=\"leading\"/>"
                  "<field name=\"trail\" offset=\"5\" length=\"5\" type=\"9\" sign=\"trailing\"/>",
                  10, "none");
        LayoutCodec codec(l);
        CPPUNIT_ASSERT_EQUAL(std::string("-01230000+"),
                             codec.encode({{"lead", "-123"}, {"trail", "-0"}}).value());
        CPPUNIT_ASSERT_EQUAL(std::string("+00450042-"),
                             codec.encode({{"lead", "+45"}, {"trail", "-42"}}).value());
        LayoutReport r = codec.decode("-01230000++00450042-");
        CPPUNIT_ASSERT(r.clean());
        CPPUNIT_ASSERT_EQUAL(std::string("-123"), r.records[0].values[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), r.records[0].values[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("45"), r.records[1].values[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("-42"), r.records[1].values[1]);
        // Sign byte missing or in the wrong place.
        r = codec.decode("001230000+");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.errors.size());
        CPPUNIT_ASSERT(contains(r.errors[0].reason, "sign byte"));
        CPPUNIT_ASSERT(!codec.encode({{"lead", "12345"}, {"trail", "1"}})); // 5 digits, room for 4
        LayoutCodec unsignedCodec(
            small("<field name=\"u\" offset=\"0\" length=\"3\" type=\"9\"/>", 3, "none"));
        Result<std::string> neg = unsignedCodec.encode({{"u", "-1"}});
        CPPUNIT_ASSERT(!neg);
        CPPUNIT_ASSERT(contains(neg.status().message(), "unsigned"));
    }

    void testTooLongAndWrongWidthValues()
    {
        Layout l = small("<field name=\"x\" offset=\"0\" length=\"4\" type=\"X\"/>"
                         "<field name=\"n\" offset=\"4\" length=\"4\" type=\"N\"/>"
                         "<field name=\"z\" offset=\"8\" length=\"3\" type=\"9\"/>",
                         11);
        LayoutCodec codec(l);
        auto err = [&](const std::map<std::string, std::string>& v, const std::string& expect)
        {
            Result<std::string> r = codec.encode(v);
            CPPUNIT_ASSERT_MESSAGE(expect, !r);
            CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), expect));
        };
        CPPUNIT_ASSERT(
            codec.encode({{"x", "abcd"}, {"n", "漢字"}, {"z", "999"}}).isOk()); // exactly full
        err({{"x", "abcde"}, {"n", "漢"}, {"z", "1"}},
            "field x: value is 5 bytes, the field holds 4");
        err({{"x", "a"}, {"n", "漢字漢"}, {"z", "1"}},
            "field n: value is 3 double-byte characters");
        err({{"x", "a"}, {"n", "漢"}, {"z", "1000"}}, "field z: value is 4 digits");
        err({{"x", "あ"}, {"n", "漢"}, {"z", "1"}},
            "field x: double-byte character 'あ' in a single-byte (X) field");
        err({{"x", "a"}, {"n", "A"}, {"z", "1"}},
            "field n: single-byte character 'A' in a double-byte (N) field");
        err({{"x", "a"}, {"n", "ｱ"}, {"z", "1"}}, "single-byte character 'ｱ'");
        err({{"x", "a"}, {"n", "漢"}, {"z", "1a"}}, "field z: '1a' is not a number");
        err({{"x", "a"}, {"n", "漢"}, {"z", "１"}}, "is not a number");
        err({{"x", "a"}, {"n", "漢"}, {"z", "1"}, {"extra", "?"}}, "unknown field 'extra'");
        err({{"x", "a"}, {"n", "漢"}}, "field z: blank");
        err({{"x", "a\t"}, {"n", "漢"}, {"z", "1"}}, "control character");
        err({{"x", "a"}, {"n", "〜"}, {"z", "1"}}, "U+301C"); // WAVE DASH has no cp932 form
        // Several bad fields are all named.
        Result<std::string> many = codec.encode({{"x", "abcde"}, {"n", "A"}, {"z", "x"}});
        CPPUNIT_ASSERT(contains(many.status().message(), "field x:") &&
                       contains(many.status().message(), "field n:") &&
                       contains(many.status().message(), "field z:"));
    }

    void testNeverSplitsDoubleByteCharacters()
    {
        // An N field of 6 bytes holds 3 characters; a 4th is refused, never cut in half.
        Layout l = small("<field name=\"n\" offset=\"0\" length=\"6\" type=\"N\"/>"
                         "<field name=\"x\" offset=\"6\" length=\"3\" type=\"X\"/>",
                         9);
        LayoutCodec codec(l);
        CPPUNIT_ASSERT_EQUAL(std::string("\x88\x9F\x88\xC9\x89\x46"),
                             codec.encodeField(*l.field("n"), "亜伊宇").value());
        CPPUNIT_ASSERT(!codec.encodeField(*l.field("n"), "亜伊宇江"));
        // Decoding: a lead byte whose trail lies in the next field is an error, not half a
        // character.
        LayoutReport r = codec.decode(std::string("\x88\x9F\x88\xC9"
                                                  "A\x88"
                                                  "abc"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.badRecords);
        CPPUNIT_ASSERT_EQUAL(std::string("n"), r.errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), r.errors[0].byteOffset);
        r = codec.decode(std::string("\x88\x9F\x88\xC9\x89\x46"
                                     "a\x88\x9F"));
        CPPUNIT_ASSERT_EQUAL(std::string("x"), r.errors[0].field);
        CPPUNIT_ASSERT(contains(r.errors[0].reason, "double-byte character"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(7), r.errors[0].byteOffset);
    }

    void testDecodeFieldErrors()
    {
        Layout l = small("<field name=\"n\" offset=\"0\" length=\"4\" type=\"N\"/>"
                         "<field name=\"z\" offset=\"4\" length=\"3\" type=\"9\"/>",
                         7, "none");
        LayoutCodec codec(l);
        std::size_t bad = 0;
        Result<std::string> r =
            codec.decodeField(*l.field("n"), "\x88\x9F  ", bad); // half-width space padding
        CPPUNIT_ASSERT(!r);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), bad);
        r = codec.decodeField(*l.field("n"), "\x85\x40\x81\x40", bad);
        CPPUNIT_ASSERT(contains(r.status().message(), "undefined"));
        r = codec.decodeField(*l.field("n"), "\xF0\x40\x81\x40", bad);
        CPPUNIT_ASSERT(contains(r.status().message(), "外字 0xF040"));
        r = codec.decodeField(*l.field("z"), "1 3", bad);
        CPPUNIT_ASSERT(!r);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), bad);
        r = codec.decodeField(*l.field("z"), "   ", bad);
        CPPUNIT_ASSERT(contains(r.status().message(), "blank"));
        CPPUNIT_ASSERT_EQUAL(std::string(),
                             codec.decodeField(*l.field("n"), "\x81\x40\x81\x40", bad).value());
    }

    void testDatesAndCodes()
    {
        Layout l =
            small("<field name=\"d\" offset=\"0\" length=\"8\" type=\"date\" optional=\"true\"/>"
                  "<field name=\"w\" offset=\"8\" length=\"7\" type=\"wareki\"/>"
                  "<field name=\"c\" offset=\"15\" length=\"2\" type=\"code\">"
                  "<value code=\"1\" label=\"one\"/><value code=\"10\"/></field>",
                  17, "lf");
        LayoutCodec codec(l);
        CPPUNIT_ASSERT_EQUAL(std::string("        4010108"
                                         "1 \n"),
                             codec.encode({{"w", "1989-01-08"}, {"c", "1"}}).value());
        CPPUNIT_ASSERT_EQUAL(
            std::string("201904305010501"
                        "10\n"),
            codec.encode({{"d", "20190430"}, {"w", "5010501"}, {"c", "10"}}).value());
        Result<std::string> bad = codec.encode({{"d", "2019-02-29"}, {"w", "3650101"}, {"c", "2"}});
        CPPUNIT_ASSERT(contains(bad.status().message(), "field d: date '20190229': day 29"));
        CPPUNIT_ASSERT(contains(bad.status().message(), "field w:"));
        CPPUNIT_ASSERT(contains(bad.status().message(), "field c: code '2' is not one of 1, 10"));
        LayoutReport r = codec.decode(std::string("00000000364010710\n") +
                                      "        4310501"
                                      "1 \n" +
                                      "202402304010108"
                                      "3 \n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string(), r.records[0].values[0]); // all zeros, optional
        CPPUNIT_ASSERT_EQUAL(std::string("1989-01-07"), r.records[0].values[1]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), r.errors.size());
        CPPUNIT_ASSERT(contains(r.errors[0].reason, "after 平成 ended"));
        CPPUNIT_ASSERT_EQUAL(std::string("w"), r.errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::string("d"), r.errors[1].field);
        CPPUNIT_ASSERT_EQUAL(std::string("c"), r.errors[2].field);
        CPPUNIT_ASSERT_EQUAL(std::string("3320"), r.errors[2].rawHex);
    }

    void testLayoutValidation()
    {
        auto expect = [](const Status& s, const std::string& part)
        { CPPUNIT_ASSERT_MESSAGE(s.message(), contains(s.message(), part)); };
        expect(layoutError("<field name=\"a\" offset=\"0\" length=\"6\" type=\"X\"/>"
                           "<field name=\"b\" offset=\"5\" length=\"5\" type=\"X\"/>"),
               "field 'b' at offset 5 overlaps the previous field, which ends at 6");
        expect(layoutError("<field name=\"a\" offset=\"0\" length=\"4\" type=\"X\"/>"
                           "<field name=\"b\" offset=\"5\" length=\"5\" type=\"X\"/>"),
               "leaves a gap of 1 bytes");
        expect(layoutError("<field name=\"a\" offset=\"0\" length=\"11\" type=\"X\"/>"),
               "past the record length 10");
        expect(layoutError("<field name=\"a\" offset=\"0\" length=\"8\" type=\"X\"/>"),
               "fields cover 8 bytes but the record length is 10");
        expect(layoutError("<field name=\"a\" offset=\"0\" length=\"5\" type=\"N\"/>"
                           "<field name=\"b\" offset=\"5\" length=\"5\" type=\"X\"/>"),
               "even length");
        expect(
            layoutError("<field name=\"a\" offset=\"0\" length=\"10\" type=\"N\"/>", 10, "ascii"),
            "double-byte encoding");
        expect(layoutError("<field name=\"a\" offset=\"0\" length=\"10\" type=\"Z\"/>"),
               "type 'Z'");
        expect(
            layoutError("<field name=\"a\" offset=\"0\" length=\"10\" type=\"X\" lenght=\"3\"/>"),
            "unknown attribute 'lenght'");
        expect(layoutError("<field name=\"a\" offset=\"0\" length=\"5\" type=\"X\"/>"
                           "<field name=\"a\" offset=\"5\" length=\"5\" type=\"X\"/>"),
               "used twice");
        expect(layoutError("<field name=\"a\" offset=\"0\" length=\"10\" type=\"code\"/>"),
               "at least one <value>");
        expect(layoutError("<field name=\"a\" offset=\"0\" length=\"10\" type=\"date\"/>"),
               "8 bytes");
        expect(layoutError(
                   "<field name=\"a\" offset=\"0\" length=\"10\" type=\"X\" sign=\"leading\"/>"),
               "type 9 only");
        expect(layoutError("<field name=\"A-1\" offset=\"0\" length=\"10\" type=\"X\"/>"), "a-z");
        expect(layoutError("<field name=\"a\" offset=\"0\" length=\"10\" type=\"X\">"),
               "not well-formed");
        expect(layoutError(""), "at least one field");
        expect(
            Layout::parse(
                "<?xml version=\"1.0\"?><!DOCTYPE layout [<!ENTITY x SYSTEM "
                "\"file:///etc/passwd\">]>"
                "<layout name=\"t\" length=\"1\" encoding=\"cp932\" terminator=\"crlf\">"
                "<field name=\"a\" offset=\"0\" length=\"1\" type=\"X\" label=\"&x;\"/></layout>",
                "evil.xml")
                .status(),
            "not allowed");
        expect(Layout::parse(
                   "<layout name=\"t\" length=\"1\" encoding=\"euc-jp\" terminator=\"crlf\"/>",
                   "e.xml")
                   .status(),
               "encoding 'euc-jp'");
        expect(Layout::load("/nonexistent/layout.xml").status(), "cannot open");
    }

    void testMixedGoodAndBadRecords()
    {
        LayoutCodec codec(shipped("juki_resident"));
        std::string good1 = codec.encode(jukiValues("000000000000001")).value();
        std::string good2 = codec.encode(jukiValues("000000000000002")).value();
        std::string badSex = good1;
        badSex[126] = '5';
        std::string badDate = good1;
        badDate.replace(127, 7, "3650101"); // 昭和65
        std::string halfWidth = good1;
        halfWidth.replace(26, 2, "AB"); // single-byte in 氏名
        std::string shortRecord = good1.substr(0, 100) + "\r\n";
        std::string file = good1 + badSex + shortRecord + badDate + halfWidth + good2;
        LayoutReport r = codec.decode(file);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), r.recordsRead);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.records.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.records[0].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), r.records[1].recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("000000000000002"), r.records[1].values[0]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), r.badRecords);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), r.errors.size());
        CPPUNIT_ASSERT(!r.stoppedAtLimit);

        const RecordError& sex = r.errors[0];
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), sex.recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("sex"), sex.field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(282 + 126), sex.byteOffset);
        CPPUNIT_ASSERT_EQUAL(std::string("35"), sex.rawHex);
        CPPUNIT_ASSERT(contains(sex.reason, "code '5' is not one of 1, 2, 9"));
        CPPUNIT_ASSERT(contains(sex.toString(), "record 2, field sex, byte offset 408"));

        const RecordError& length = r.errors[1];
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), length.recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string(), length.field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2 * 282), length.byteOffset);
        CPPUNIT_ASSERT(
            contains(length.reason, "record is 100 bytes, layout 'juki_resident' needs 280"));

        const RecordError& date = r.errors[2];
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), date.recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("birth_date"), date.field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2 * 282 + 102 + 127), date.byteOffset);
        CPPUNIT_ASSERT_EQUAL(std::string("33363530313031"), date.rawHex);

        const RecordError& half = r.errors[3];
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), half.recordNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("name_kanji"), half.field);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3 * 282 + 102 + 26), half.byteOffset);
        CPPUNIT_ASSERT_EQUAL(std::string("4142"), half.rawHex.substr(0, 4));
    }

    void testErrorLimit()
    {
        LayoutCodec codec(shipped("juki_resident"));
        std::string good = codec.encode(jukiValues("000000000000001")).value();
        std::string bad = good;
        bad[264] = '7'; // status
        std::string file = good + good;
        for (int i = 0; i < 10; ++i)
            file += bad;
        file += good;
        LayoutReport r = codec.decode(file, 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), r.badRecords);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), r.errors.size());
        CPPUNIT_ASSERT(r.stoppedAtLimit);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.records.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), r.recordsRead);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), r.errors.back().recordNumber);
        // No limit: everything is read and the last good record is found.
        r = codec.decode(file, 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(10), r.badRecords);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), r.records.size());
        CPPUNIT_ASSERT(!r.stoppedAtLimit);
        // A limit that is not reached does not stop anything; reaching it stops before the rest.
        CPPUNIT_ASSERT(!codec.decode(good + bad + good, 2).stoppedAtLimit);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), codec.decode(good + bad + good, 2).records.size());
        CPPUNIT_ASSERT(codec.decode(good + bad + good, 1).stoppedAtLimit);
    }

    void testDecodeInTwoEqualsDecode()
    {
        // decodeInTwo gives decode()'s report, whatever the terminator, wherever the bad records
        // (bad digits, wrong lengths) and the error limit fall relative to the split.
        const std::string fields = "<field name=\"a\" offset=\"0\" length=\"3\" type=\"9\"/>"
                                   "<field name=\"b\" offset=\"3\" length=\"2\" type=\"X\"/>";
        unsigned seed = 7;
        auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 16) % 100; };
        std::size_t cases = 0, stopped = 0;
        for (const char* terminator : {"crlf", "lf", "none"})
        {
            LayoutCodec codec(small(fields, 5, terminator));
            const std::string end = std::string(terminator) == "crlf" ? "\r\n"
                                    : std::string(terminator) == "lf" ? "\n"
                                                                      : "";
            for (std::size_t n = 0; n <= 14; ++n)
                for (int variant = 0; variant < 12; ++variant)
                {
                    std::string file;
                    for (std::size_t i = 0; i < n; ++i)
                    {
                        unsigned r = next();
                        if (r < 20)
                            file += "1x3ab" + end; // bad digits
                        else if (r < 25 && !end.empty())
                            file += "12" + end; // wrong length
                        else
                            file += std::to_string(100 + i) + "cd" + end;
                    }
                    if (variant % 4 == 3 && end.empty() && n)
                        file += "12"; // truncated last record
                    for (std::size_t limit : {0, 1, 2, 3, 5, 100})
                    {
                        LayoutReport one = codec.decode(file, limit);
                        LayoutReport two = codec.decodeInTwo(file, 2, limit);
                        std::string what = std::string(terminator) + " n=" + std::to_string(n) +
                                           " variant=" + std::to_string(variant) +
                                           " limit=" + std::to_string(limit);
                        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, one.recordsRead, two.recordsRead);
                        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, one.badRecords, two.badRecords);
                        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, one.stoppedAtLimit, two.stoppedAtLimit);
                        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, one.records.size(), two.records.size());
                        for (std::size_t i = 0; i < one.records.size(); ++i)
                        {
                            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, one.records[i].recordNumber,
                                                         two.records[i].recordNumber);
                            CPPUNIT_ASSERT_MESSAGE(what, one.records[i].values == two.records[i].values);
                        }
                        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, one.errors.size(), two.errors.size());
                        for (std::size_t i = 0; i < one.errors.size(); ++i)
                            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, one.errors[i].toString(),
                                                         two.errors[i].toString());
                        ++cases;
                        stopped += one.stoppedAtLimit ? 1 : 0;
                    }
                }
        }
        CPPUNIT_ASSERT(stopped > 50 && stopped < cases / 2); // both outcomes were exercised
        // Small buffers are decoded in one part; a large one gives the same report.
        LayoutCodec codec(small(fields, 5, "crlf"));
        std::string file;
        for (int i = 0; i < 5000; ++i)
            file += (i % 997 == 5 ? std::string("1x3ab") : std::to_string(100 + i % 900) + "cd") + "\r\n";
        LayoutReport one = codec.decode(file), two = codec.decodeInTwo(file, 2000);
        CPPUNIT_ASSERT_EQUAL(one.recordsRead, two.recordsRead);
        CPPUNIT_ASSERT_EQUAL(one.errors.back().toString(), two.errors.back().toString());
        CPPUNIT_ASSERT_EQUAL(one.records.back().recordNumber, two.records.back().recordNumber);
    }

    void testTerminators()
    {
        std::string fields = "<field name=\"a\" offset=\"0\" length=\"3\" type=\"X\"/>";
        LayoutCodec crlf(small(fields, 3, "crlf")), lf(small(fields, 3, "lf")),
            none(small(fields, 3, "none"));
        // The last record may lack its terminator.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), crlf.decode("abc\r\ndef").records.size());
        LayoutReport r = crlf.decode("abc\ndef\r\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.badRecords);
        CPPUNIT_ASSERT(contains(r.errors[0].reason, "needs CRLF"));
        r = lf.decode("abc\r\ndef\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.badRecords);
        CPPUNIT_ASSERT(contains(r.errors[0].reason, "record is 4 bytes"));
        r = lf.decode("abc\n\ndef\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.badRecords); // empty line
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.errors[0].recordNumber);
        r = none.decode("abcdefgh");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.records.size());
        CPPUNIT_ASSERT(contains(r.errors[0].reason, "truncated last record"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), r.errors[0].byteOffset);
        CPPUNIT_ASSERT_EQUAL(std::string("6768"), r.errors[0].rawHex);
        CPPUNIT_ASSERT(crlf.decode("").clean());
        CPPUNIT_ASSERT_EQUAL(std::string("ab \n"), lf.encode({{"a", "ab"}}).value());
        CPPUNIT_ASSERT_EQUAL(std::string("ab "), none.encode({{"a", "ab"}}).value());
    }

    void testGaijiInWideField()
    {
        auto table = GaijiTable::load(srcDir() + "/conf/gaiji/sample.tsv");
        CPPUNIT_ASSERT(table.isOk());
        Layout l = small("<field name=\"n\" offset=\"0\" length=\"6\" type=\"N\"/>", 6, "none");
        LayoutCodec with(l, table.value()), without(l);
        std::string bytes = std::string("\x8B\x67\xF0\x42\x81\x40"); // 吉 𠮷 U+3000
        LayoutReport r = with.decode(bytes);
        CPPUNIT_ASSERT(r.clean());
        CPPUNIT_ASSERT_EQUAL(std::string("吉𠮷"), r.records[0].values[0]);
        CPPUNIT_ASSERT_EQUAL(bytes, with.encode({{"n", "吉𠮷"}}).value());
        r = without.decode(bytes);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.badRecords);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.errors[0].byteOffset);
        CPPUNIT_ASSERT(contains(r.errors[0].reason, "外字 0xF042"));
        CPPUNIT_ASSERT_EQUAL(std::string("8B67F0428140"), r.errors[0].rawHex);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LayoutTest);
