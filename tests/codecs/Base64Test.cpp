// Base64Test: the encoder writes what Poco's does, the decoder reads it back (lines or not) and
// refuses every other spelling with the offset named.
#include "codecs/Base64.h"

#include <Poco/Base64Encoder.h>
#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace chukan;

namespace
{

std::string poco(const std::string& bytes, int lineLength)
{
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(lineLength);
    enc << bytes;
    enc.close();
    return out.str();
}

std::string bytesOf(std::size_t n)
{
    std::string s(n, '\0');
    unsigned x = 2463534242u + static_cast<unsigned>(n);
    for (char& c : s)
    {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x);
    }
    return s;
}

} // namespace

class Base64Test : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(Base64Test);
    CPPUNIT_TEST(testEncodesAsPocoAndDecodesBack);
    CPPUNIT_TEST(testWhiteSpaceIgnored);
    CPPUNIT_TEST(testEverySpellingButOneRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEncodesAsPocoAndDecodesBack()
    {
        for (std::size_t n = 0; n <= 300; ++n)
        {
            std::string bytes = bytesOf(n);
            std::string text = Base64::encode(bytes);
            CPPUNIT_ASSERT_EQUAL(poco(bytes, 0), text);
            Result<std::string> back = Base64::decode(text, "t");
            CPPUNIT_ASSERT_MESSAGE(back.status().toString(), back.isOk());
            CPPUNIT_ASSERT(back.value() == bytes);
        }
    }

    void testWhiteSpaceIgnored()
    {
        // Poco's default lines (72 characters, CRLF), and spaces and tabs anywhere.
        std::string bytes = bytesOf(1000);
        std::string lines = poco(bytes, 72);
        CPPUNIT_ASSERT(lines.find('\n') != std::string::npos);
        CPPUNIT_ASSERT(Base64::decode(lines, "t").value() == bytes);
        CPPUNIT_ASSERT_EQUAL(std::string("ab"), Base64::decode(" Y W\tI =\r\n", "t").value());
        CPPUNIT_ASSERT_EQUAL(std::string(), Base64::decode(" \n", "t").value());
    }

    void testEverySpellingButOneRefused()
    {
        struct Case
        {
            const char* text;
            const char* reason;
        } cases[] = {
            {"YWI", "3 characters (without white space), not a multiple of 4"},
            {"Y-I_", "'-' at offset 1"}, // base64url is another alphabet
            {"YW=I", "'=' at offset 2 (padding only ends the last group)"},
            {"YQ==YWI=", "'=' at offset 2 (padding only ends the last group)"},
            {"====", "'=' at offset 0 (padding only ends the last group)"},
            {"YWJ=", "the last group before the padding has unused bits set (offset 0)"},
            {"YR==", "the last group before the padding has unused bits set (offset 0)"},
            {"YW\x01=", "byte 1 at offset 2"},
            {"YWI\xc3", "byte 195 at offset 3"},
        };
        for (const Case& c : cases)
        {
            Result<std::string> r = Base64::decode(c.text, "Thing/Field");
            CPPUNIT_ASSERT_MESSAGE(c.text, !r.isOk());
            CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());
            CPPUNIT_ASSERT_EQUAL(std::string("Thing/Field: not base64: ") + c.reason,
                                 r.status().message());
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Base64Test);
