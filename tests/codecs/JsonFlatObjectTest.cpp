// JsonFlatObjectTest: what the direct reader accepts it reads as Poco's parser does; everything
// else is left to Poco.
#include "codecs/JsonFlatObject.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class JsonFlatObjectTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(JsonFlatObjectTest);
    CPPUNIT_TEST(testReadsAsPocoDoes);
    CPPUNIT_TEST(testLeavesEverythingElseToPoco);
    CPPUNIT_TEST_SUITE_END();

public:
    void testReadsAsPocoDoes()
    {
        const char* texts[] = {
            "{}",
            " { } ",
            "{\"type\":\"provision-permit\",\"nonce\":\"n0nce-AbC\"}",
            "\r\n{ \"a\" : \"x\" ,\t\"b\":\"\" }\n",
            "{\"pem\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\/x+=\\n\",\"q\":\"say \\\"hi\\\" \\\\ "
            "\\b\\f\\r\\t\"}",
            "{\"u\":\"\\u0041\\u007e\\u0000\"}",
        };
        for (const char* text : texts)
        {
            JsonFlatObject::Members members;
            CPPUNIT_ASSERT_MESSAGE(text, JsonFlatObject::read(text, members));
            Poco::JSON::Parser parser;
            Poco::JSON::Object::Ptr obj = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
            CPPUNIT_ASSERT_EQUAL(obj->size(), members.size());
            for (const auto& [name, value] : members)
            {
                CPPUNIT_ASSERT_MESSAGE(name, obj->has(name));
                CPPUNIT_ASSERT(obj->getValue<std::string>(name) == value);
            }
        }
        JsonFlatObject::Members members;
        CPPUNIT_ASSERT(JsonFlatObject::read("{\"b\":\"2\",\"a\":\"1\"}", members));
        CPPUNIT_ASSERT_EQUAL(std::string("b"), members[0].first); // in the text's order
        CPPUNIT_ASSERT_EQUAL(std::string("1"), members[1].second);
    }

    void testLeavesEverythingElseToPoco()
    {
        const char* texts[] = {
            "",
            "[]",
            "\"s\"",
            "{\"n\":1}",
            "{\"o\":{}}",
            "{\"a\":[\"x\"]}",
            "{\"t\":true}",
            "{\"z\":null}",
            "{\"a\":\"x\",\"a\":\"y\"}",  // a name twice
            "{\"a\":\"x\",}",             // trailing comma
            "{\"a\":\"x\" \"b\":\"y\"}",  // no comma
            "{\"a\" \"x\"}",              // no colon
            "{\"a\":\"x\"} {}",           // more after the object
            "{\"a\":\"x\"",               // unterminated
            "{\"a\":\"\xe5\x8d\x83\"}",   // UTF-8 beyond ASCII
            "{\"a\":\"\\u00e9\"}",        // an escape beyond ASCII
            "{\"a\":\"\\ud83d\\ude00\"}", // a surrogate pair
            "{\"a\":\"\\x41\"}",          // not a JSON escape
            "{\"a\":\"line\nbreak\"}",    // a raw control character
            "{'a':'x'}",
        };
        for (const char* text : texts)
        {
            JsonFlatObject::Members members;
            CPPUNIT_ASSERT_MESSAGE(text, !JsonFlatObject::read(text, members));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonFlatObjectTest);
