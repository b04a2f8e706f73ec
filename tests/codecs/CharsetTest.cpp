// CharsetTest: every CP932 character round-trips; shift_jis; 外字; bad bytes with offsets.
#include "codecs/Charset.h"
#include "codecs/CharsetTables.h"
#include "codecs/Utf8.h"

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

std::string bytes2(unsigned code)
{
    return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
}

std::string utf8(std::uint32_t cp)
{
    std::string s;
    Utf8::append(s, cp);
    return s;
}

std::uint32_t onlyCodePoint(const std::string& s)
{
    std::uint32_t cp = 0;
    const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
    int n = Utf8::decode(p, p + s.size(), cp);
    CPPUNIT_ASSERT_EQUAL(s.size(), static_cast<std::size_t>(n));
    return cp;
}

} // namespace

class CharsetTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CharsetTest);
    CPPUNIT_TEST(testEveryCp932DoubleByteCharacterRoundTrips);
    CPPUNIT_TEST(testSingleBytes);
    CPPUNIT_TEST(testWholeTableInOneBuffer);
    CPPUNIT_TEST(testMicrosoftPreferredBytes);
    CPPUNIT_TEST(testWaveDashInBothModes);
    CPPUNIT_TEST(testShiftJisIsJisX0208Only);
    CPPUNIT_TEST(testGaijiWithoutTable);
    CPPUNIT_TEST(testGaijiWithTable);
    CPPUNIT_TEST(testGaijiTableErrors);
    CPPUNIT_TEST(testBadBytesHaveOffsets);
    CPPUNIT_TEST(testMalformedUtf8);
    CPPUNIT_TEST(testAsciiFastPathBoundaries);
    CPPUNIT_TEST(testBlockBoundaries);
    CPPUNIT_TEST(testNamesAndAscii);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEveryCp932DoubleByteCharacterRoundTrips()
    {
        Charset cp932(Charset::CP932);
        int defined = 0, canonical = 0, duplicates = 0;
        for (unsigned lead = 0x81; lead <= 0xFC; ++lead)
        {
            if (lead >= 0xA0 && lead <= 0xDF)
                continue;
            for (unsigned trail = 0x40; trail <= 0xFC; ++trail)
            {
                if (trail == 0x7F)
                    continue;
                std::string x = bytes2(lead << 8 | trail);
                Result<std::string> u = cp932.decode(x);
                if (!u)
                {
                    // Only the user-defined area (no table) and unassigned codes may fail.
                    CPPUNIT_ASSERT(u.status().message().find("at byte offset 0") !=
                                   std::string::npos);
                    continue;
                }
                ++defined;
                std::uint32_t cp = onlyCodePoint(u.value());
                Result<std::string> back = cp932.encode(u.value());
                CPPUNIT_ASSERT_MESSAGE("encode " + Utf8::codePointName(cp), back.isOk());
                CPPUNIT_ASSERT_EQUAL(std::size_t(2), back.value().size());
                CPPUNIT_ASSERT_EQUAL(u.value(), cp932.decode(back.value()).value());
                if (back.value() == x)
                    ++canonical;
                else
                {
                    ++duplicates;
                    // A duplicate's canonical form is itself canonical.
                    CPPUNIT_ASSERT_EQUAL(back.value(),
                                         cp932.encode(cp932.decode(back.value()).value()).value());
                    CPPUNIT_ASSERT(lead == 0x87 || lead == 0xED || lead == 0xEE || lead >= 0xFA);
                }
            }
        }
        // CP932.TXT: 6879 JIS X 0208 + 83 NEC row 13 + 374 NEC-selected IBM + 388 IBM = 7724.
        CPPUNIT_ASSERT_EQUAL(7724, defined);
        CPPUNIT_ASSERT_EQUAL(defined, canonical + duplicates);
        // Every NEC-selected IBM character (374) is a duplicate, plus 24 others.
        CPPUNIT_ASSERT_EQUAL(398, duplicates);
    }

    void testSingleBytes()
    {
        Charset cp932(Charset::CP932);
        for (unsigned b = 0; b < 0x80; ++b)
        {
            std::string x(1, static_cast<char>(b));
            CPPUNIT_ASSERT_EQUAL(x, cp932.decode(x).value());
            CPPUNIT_ASSERT_EQUAL(x, cp932.encode(x).value());
        }
        for (unsigned b = 0xA1; b <= 0xDF; ++b)
        {
            std::string x(1, static_cast<char>(b));
            CPPUNIT_ASSERT_EQUAL(utf8(0xFF61 + (b - 0xA1)), cp932.decode(x).value());
            CPPUNIT_ASSERT_EQUAL(x, cp932.encode(utf8(0xFF61 + (b - 0xA1))).value());
        }
        // cp932 keeps 0x5C and 0x7E as ASCII.
        CPPUNIT_ASSERT_EQUAL(std::string("\\~"), cp932.decode("\\~").value());
    }

    void testWholeTableInOneBuffer()
    {
        // Every defined character in one buffer with ASCII between some of them.
        Charset cp932(Charset::CP932);
        std::string all, canonicalAll;
        for (unsigned code = 0x8140; code <= 0xFCFC; ++code)
        {
            if ((code >> 8) >= 0xA0 && (code >> 8) <= 0xDF)
                continue;
            std::string x = bytes2(code);
            Result<std::string> u = cp932.decode(x);
            if (!u)
                continue;
            all += x;
            canonicalAll += cp932.encode(u.value()).value();
            if (code % 7 == 0)
            {
                all += "abcdefghij";
                canonicalAll += "abcdefghij";
            }
        }
        Result<std::string> text = cp932.decode(all);
        CPPUNIT_ASSERT(text.isOk());
        CPPUNIT_ASSERT_EQUAL(canonicalAll, cp932.encode(text.value()).value());
        CPPUNIT_ASSERT_EQUAL(text.value(), cp932.decode(canonicalAll).value());
    }

    void testMicrosoftPreferredBytes()
    {
        Charset cp932(Charset::CP932);
        struct Case
        {
            unsigned from;
            std::uint32_t cp;
            unsigned canonical;
        } cases[] = {
            {0x8754, 0x2160, 0x8754},                           // Ⅰ NEC row 13 (also 0xFA4A)
            {0xFA4A, 0x2160, 0x8754}, {0xEEEF, 0x2170, 0xFA40}, // ⅰ NEC-selected IBM -> IBM
            {0xFA40, 0x2170, 0xFA40}, {0xED40, 0x7E8A, 0xFA5C}, // 纊
            {0xEEF9, 0xFFE2, 0x81CA},                           // ￢ three ways -> JIS X 0208
            {0xFA54, 0xFFE2, 0x81CA}, {0x8790, 0x2252, 0x81E0}, // ≒ NEC row 13 -> JIS X 0208
            {0x879A, 0x2235, 0x81E6},                           // ∵
            {0xFA5B, 0x2235, 0x81E6}, {0x8782, 0x2116, 0x8782}, // №
            {0xFA59, 0x2116, 0x8782}, {0x8740, 0x2460, 0x8740}, // ① only in NEC row 13
            {0xFBFC, 0x9AD9, 0xFBFC},                           // 髙 IBM
        };
        for (const Case& c : cases)
        {
            std::string u = cp932.decode(bytes2(c.from)).value();
            CPPUNIT_ASSERT_EQUAL(Utf8::codePointName(c.cp), Utf8::codePointName(onlyCodePoint(u)));
            CPPUNIT_ASSERT_EQUAL(bytes2(c.canonical), cp932.encode(u).value());
        }
        // The 0x8160 family in cp932.
        CPPUNIT_ASSERT_EQUAL(utf8(0xFF5E), cp932.decode("\x81\x60").value());
        CPPUNIT_ASSERT_EQUAL(utf8(0x2225), cp932.decode("\x81\x61").value());
        CPPUNIT_ASSERT_EQUAL(utf8(0xFF0D), cp932.decode("\x81\x7C").value());
        CPPUNIT_ASSERT_EQUAL(utf8(0xFFE0), cp932.decode("\x81\x91").value());
        CPPUNIT_ASSERT_EQUAL(utf8(0xFFE1), cp932.decode("\x81\x92").value());
        CPPUNIT_ASSERT_EQUAL(utf8(0xFF3C), cp932.decode("\x81\x5F").value());
    }

    void testWaveDashInBothModes()
    {
        Charset cp932(Charset::CP932), sjis(Charset::SHIFT_JIS);
        CPPUNIT_ASSERT_EQUAL(utf8(0xFF5E), cp932.decode("\x81\x60").value());
        CPPUNIT_ASSERT_EQUAL(utf8(0x301C), sjis.decode("\x81\x60").value());
        CPPUNIT_ASSERT_EQUAL(std::string("\x81\x60"), cp932.encode(utf8(0xFF5E)).value());
        CPPUNIT_ASSERT_EQUAL(std::string("\x81\x60"), sjis.encode(utf8(0x301C)).value());
        // Each mode refuses the other's tilde rather than guessing.
        Result<std::string> r = cp932.encode("a" + utf8(0x301C));
        CPPUNIT_ASSERT(!r);
        CPPUNIT_ASSERT(r.status().message().find("U+301C") != std::string::npos);
        CPPUNIT_ASSERT(r.status().message().find("byte offset 1") != std::string::npos);
        CPPUNIT_ASSERT(!sjis.encode(utf8(0xFF5E)));
        struct Diff
        {
            unsigned code;
            std::uint32_t jis;
        } diffs[] = {{0x8161, 0x2016},
                     {0x817C, 0x2212},
                     {0x8191, 0x00A2},
                     {0x8192, 0x00A3},
                     {0x81CA, 0x00AC}};
        for (const Diff& d : diffs)
        {
            CPPUNIT_ASSERT_EQUAL(utf8(d.jis), sjis.decode(bytes2(d.code)).value());
            CPPUNIT_ASSERT_EQUAL(bytes2(d.code), sjis.encode(utf8(d.jis)).value());
            CPPUNIT_ASSERT(!cp932.encode(utf8(d.jis)));
        }
        CPPUNIT_ASSERT_EQUAL(utf8(0xFF3C), sjis.decode("\x81\x5F").value());
    }

    void testShiftJisIsJisX0208Only()
    {
        Charset cp932(Charset::CP932), sjis(Charset::SHIFT_JIS);
        int jisChars = 0;
        for (unsigned code = 0x8140; code <= 0xFCFC; ++code)
        {
            if ((code >> 8) >= 0xA0 && (code >> 8) <= 0xDF)
                continue; // two 半角カナ, not one double-byte character
            Result<std::string> j = sjis.decode(bytes2(code));
            if (!j)
                continue;
            ++jisChars;
            CPPUNIT_ASSERT_EQUAL(bytes2(code), sjis.encode(j.value()).value());
        }
        CPPUNIT_ASSERT_EQUAL(6879, jisChars);
        // NEC row 13 and both IBM extension areas are invalid in shift_jis, with offsets.
        for (const char* ext :
             {"ab\x87\x40", "ab\xED\x40", "ab\xEE\xEC", "ab\xFA\x40", "ab\xFC\x4B"})
        {
            Result<std::string> r = sjis.decode(ext);
            CPPUNIT_ASSERT(!r);
            CPPUNIT_ASSERT(r.status().message().find("NEC/IBM extension") != std::string::npos);
            CPPUNIT_ASSERT(r.status().message().find("byte offset 2") != std::string::npos);
            CPPUNIT_ASSERT(cp932.decode(ext).isOk());
        }
        // ① exists only in cp932.
        CPPUNIT_ASSERT(!sjis.encode(utf8(0x2460)));
        // 漢字 is the same in both.
        CPPUNIT_ASSERT_EQUAL(std::string("\x8A\xBF\x8E\x9A"), sjis.encode("漢字").value());
        CPPUNIT_ASSERT_EQUAL(std::string("\x8A\xBF\x8E\x9A"), cp932.encode("漢字").value());
    }

    void testGaijiWithoutTable()
    {
        Charset cp932(Charset::CP932);
        std::size_t offset = 99;
        std::string out = "keep";
        Status s = cp932.decode("AB\xF0\x40", out, &offset);
        CPPUNIT_ASSERT(!s);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), offset);
        CPPUNIT_ASSERT_EQUAL(std::string("keep"), out); // nothing appended, nothing replaced
        CPPUNIT_ASSERT(s.message().find("外字 0xF040") != std::string::npos);
        CPPUNIT_ASSERT(s.message().find("no") != std::string::npos);
        CPPUNIT_ASSERT(!cp932.decode("\xF9\xFC"));
        CPPUNIT_ASSERT(!Charset(Charset::SHIFT_JIS).decode("\xF0\x40"));
        CPPUNIT_ASSERT(!cp932.encode(utf8(0xE000))); // PUA has no mapping without a table
    }

    void testGaijiWithTable()
    {
        Result<std::shared_ptr<const GaijiTable>> table =
            GaijiTable::load(srcDir() + "/conf/gaiji/sample.tsv");
        CPPUNIT_ASSERT_MESSAGE(table.status().toString(), table.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), table.value()->size());
        Charset cp932(Charset::CP932, table.value());
        std::string bytes = "\x88\x9F\xF0\x40\xF0\x42"
                            "x\xF0\x9F";
        Result<std::string> u = cp932.decode(bytes);
        CPPUNIT_ASSERT_MESSAGE(u.status().toString(), u.isOk());
        CPPUNIT_ASSERT_EQUAL("亜" + utf8(0xE000) + utf8(0x20BB7) + "x" + utf8(0xE0BC), u.value());
        CPPUNIT_ASSERT_EQUAL(bytes, cp932.encode(u.value()).value());
        // An unmapped user-defined code is still an error, with its offset.
        std::size_t offset = 0;
        std::string out;
        Status s = cp932.decode("abc\xF0\x45", out, &offset);
        CPPUNIT_ASSERT(!s);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), offset);
        CPPUNIT_ASSERT(s.message().find("not in the gaiji table") != std::string::npos);
        // The table works in shift_jis mode too (鷗 is not in JIS X 0208).
        Charset sjis(Charset::SHIFT_JIS, table.value());
        CPPUNIT_ASSERT_EQUAL(std::string("\xF0\x44"), sjis.encode(utf8(0x9DD7)).value());
    }

    void testGaijiTableErrors()
    {
        CPPUNIT_ASSERT(GaijiTable::parse("# only comments\n\n  \n", "t").isOk());
        CPPUNIT_ASSERT(GaijiTable::parse("0xF040 u+e000\n", "t").isOk());
        auto bad = [](const std::string& text, const std::string& expect)
        {
            auto r = GaijiTable::parse(text, "t.tsv");
            CPPUNIT_ASSERT_MESSAGE(text, !r);
            CPPUNIT_ASSERT_MESSAGE(r.status().message(),
                                   r.status().message().find(expect) != std::string::npos);
        };
        bad("F040 U+E000\nEFFF U+E001\n", "line 2");
        bad("F040 U+E000\nF040 U+E001\n", "mapped twice");
        bad("F040 U+E000\nF041 U+E000\n", "one-to-one");
        bad("F07F U+E000\n", "outside the user-defined area");
        bad("F040 E000\n", "not U+XXXX");
        bad("F040 U+D800\n", "scalar");
        bad("F040\n", "expected");
        bad("F040 U+E000 extra\n", "expected");
        CPPUNIT_ASSERT(!GaijiTable::load("/nonexistent/gaiji.tsv"));
    }

    void testBadBytesHaveOffsets()
    {
        Charset cp932(Charset::CP932);
        struct Case
        {
            std::string bytes;
            std::size_t offset;
            const char* reason;
        } cases[] = {
            {"ab\x80", 2, "cannot start"},
            {"ab\xA0z", 2, "cannot start"},
            {"\x88\x9F\xFD", 2, "cannot start"},
            {"\x88\x9F"
             "abc\xFF",
             5, "cannot start"},
            {"x\x81\x20", 1, "invalid trail byte 0x20"},
            {"x\x81\x7F", 1, "invalid trail byte 0x7F"},
            {"x\x81\xFD", 1, "invalid trail byte 0xFD"},
            {"abcdefghijk\x82", 11, "truncated"},
            {"\xF0", 0, "truncated"},
            {"\x85\x40", 0, "undefined double-byte character 0x8540"},
            {"\xEB\x40", 0, "undefined"},
        };
        for (const Case& c : cases)
        {
            std::size_t offset = 1000;
            std::string out;
            Status s = cp932.decode(c.bytes, out, &offset);
            CPPUNIT_ASSERT_MESSAGE(c.reason, !s);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(s.message(), c.offset, offset);
            CPPUNIT_ASSERT_MESSAGE(s.message(), s.message().find(c.reason) != std::string::npos);
            CPPUNIT_ASSERT(s.message().find("byte offset " + std::to_string(c.offset)) !=
                           std::string::npos);
            CPPUNIT_ASSERT(out.empty());
        }
    }

    void testMalformedUtf8()
    {
        for (Charset cs :
             {Charset(Charset::CP932), Charset(Charset::SHIFT_JIS), Charset(Charset::UTF8)})
        {
            for (std::string bad : {std::string("ab\xE3\x81"), std::string("ab\xC0\xAF"),
                                    std::string("ab\xED\xA0\x80"),
                                    std::string("ab\xF4\x90\x80\x80"), std::string("ab\x80")})
            {
                std::size_t offset = 0;
                std::string out;
                Status s = cs.encode(bad, out, &offset);
                CPPUNIT_ASSERT(!s);
                CPPUNIT_ASSERT_EQUAL(std::size_t(2), offset);
                CPPUNIT_ASSERT(out.empty());
            }
        }
        CPPUNIT_ASSERT(!Charset(Charset::UTF8).decode("a\xFF"));
        CPPUNIT_ASSERT_EQUAL(std::string("漢"), Charset(Charset::UTF8).decode("漢").value());
    }

    void testAsciiFastPathBoundaries()
    {
        Charset cp932(Charset::CP932);
        for (std::size_t prefix = 0; prefix < 20; ++prefix)
        {
            std::string ascii(prefix, 'a');
            std::string bytes = ascii + "\x93\xFA\x96\x7B" + ascii + "\xB1" + ascii;
            std::string text = ascii + "日本" + ascii + "ｱ" + ascii;
            CPPUNIT_ASSERT_EQUAL(text, cp932.decode(bytes).value());
            CPPUNIT_ASSERT_EQUAL(bytes, cp932.encode(text).value());
            std::size_t offset = 0;
            std::string out;
            CPPUNIT_ASSERT(!cp932.decode(ascii + ascii + "\x81", out, &offset));
            CPPUNIT_ASSERT_EQUAL(2 * prefix, offset);
        }
    }

    void testBlockBoundaries()
    {
        // Inputs of several conversion blocks (4,096 input bytes each), with a double-byte
        // character across every possible block boundary, 半角カナ (three UTF-8 bytes from one),
        // appending after existing text, and errors in a later block leaving `out` as it was.
        Charset cp932(Charset::CP932);
        for (std::size_t shift = 0; shift < 4; ++shift)
        {
            std::string bytes(shift, 'x'), text(shift, 'x');
            while (bytes.size() < 30000)
            {
                bytes += "\x93\xFA";                 // 日
                text += "日";
                if (bytes.size() % 5 == 0)
                {
                    bytes += std::string(7, '\xB1'); // ｱ ×7
                    for (int i = 0; i < 7; ++i)
                        text += "ｱ";
                }
                if (bytes.size() % 3 == 0)
                {
                    bytes += "ab";
                    text += "ab";
                }
            }
            std::string out = "kept:";
            CPPUNIT_ASSERT(cp932.decode(bytes, out));
            CPPUNIT_ASSERT(text == out.substr(5));
            CPPUNIT_ASSERT_EQUAL(std::string("kept:"), out.substr(0, 5));
            std::string halfWidth(20000, '\xB1'), expected;
            for (int i = 0; i < 20000; ++i)
                expected += "ｱ";
            CPPUNIT_ASSERT(expected == cp932.decode(halfWidth).value());
            std::size_t offset = 0;
            std::string failed = "kept";
            std::string bad = bytes + "\x81";
            CPPUNIT_ASSERT(!cp932.decode(bad, failed, &offset));
            CPPUNIT_ASSERT_EQUAL(bytes.size(), offset);
            CPPUNIT_ASSERT_EQUAL(std::string("kept"), failed);
        }
    }

    void testNamesAndAscii()
    {
        CPPUNIT_ASSERT_EQUAL(Charset::CP932, Charset::byName("Windows-31J").value().id());
        CPPUNIT_ASSERT_EQUAL(Charset::CP932, Charset::byName("CP932").value().id());
        CPPUNIT_ASSERT_EQUAL(Charset::SHIFT_JIS, Charset::byName("shift_jis").value().id());
        CPPUNIT_ASSERT_EQUAL(Charset::UTF8, Charset::byName("UTF-8").value().id());
        CPPUNIT_ASSERT_EQUAL(Charset::ASCII, Charset::byName("ascii").value().id());
        CPPUNIT_ASSERT(!Charset::byName("euc-jp"));
        Charset ascii(Charset::ASCII);
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), ascii.decode("abc").value());
        std::size_t offset = 0;
        std::string out;
        CPPUNIT_ASSERT(!ascii.decode("ab\xB1", out, &offset));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), offset);
        CPPUNIT_ASSERT(!ascii.encode("aé"));
        // offsetOfChar maps a character index back to bytes.
        Charset cp932(Charset::CP932);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), cp932.offsetOfChar("a\x88\x9F"
                                                                "b",
                                                                2));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), Charset(Charset::UTF8).offsetOfChar("a漢b", 2));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CharsetTest);
