// JsonTextTest: the JSON string escaper keeps UTF-8, escapes what JSON requires and round-trips
// through a parser.
#include "codecs/JsonText.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class JsonTextTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(JsonTextTest);
    CPPUNIT_TEST(testEscapes);
    CPPUNIT_TEST(testRoundTrip);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEscapes()
    {
        std::string out;
        JsonText::appendQuoted(out, "a\"b\\c\nd\re\tf\x01g\x7fh 照会");
        CPPUNIT_ASSERT_EQUAL(std::string("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh 照会\""), out);
    }

    void testRoundTrip()
    {
        std::string text = "record 3, field 氏名: \"quoted\" \\ back\nnext\x1f ～";
        std::string json = "{\"v\":";
        JsonText::appendQuoted(json, text);
        json += "}";
        CPPUNIT_ASSERT(json.find('\n') == std::string::npos);
        Poco::JSON::Parser parser;
        Poco::JSON::Object::Ptr o = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(text, o->getValue<std::string>("v"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonTextTest);
