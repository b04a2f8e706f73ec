// PayloadPackingTest: the packed form of Record payloads is shorter and unpacks to the same bytes;
// every other payload survives unchanged.
#include "codecs/PayloadPacking.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class PayloadPackingTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PayloadPackingTest);
    CPPUNIT_TEST(testRecordPacksToSeparators);
    CPPUNIT_TEST(testRecordShapesRoundTrip);
    CPPUNIT_TEST(testOtherPayloadsStayAsTheyAre);
    CPPUNIT_TEST(testPayloadStartingWithTheSeparator);
    CPPUNIT_TEST(testHolds);
    CPPUNIT_TEST(testEveryPrefixAndMutationRoundTrips);
    CPPUNIT_TEST_SUITE_END();

    static void roundTrip(const std::string& payload)
    {
        std::string packed = PayloadPacking::pack(payload);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(payload, payload, PayloadPacking::unpack(packed));
        CPPUNIT_ASSERT_MESSAGE(payload, packed.size() <= payload.size() + 2);
    }

public:
    void testRecordPacksToSeparators()
    {
        const std::string xml = "<Record layout=\"juki_resident\"><Field name=\"atena_no\">"
                                "000000000100000</Field><Field name=\"name_kanji\">松本　花子"
                                "</Field><Field name=\"filler\"></Field></Record>";
        std::string packed = PayloadPacking::pack(xml);
        CPPUNIT_ASSERT_EQUAL(std::string("\x1fRjuki_resident\x1e"
                                         "atena_no\x1f"
                                         "000000000100000\x1e"
                                         "name_kanji\x1f松本　花子\x1e"
                                         "filler\x1f"),
                             packed);
        CPPUNIT_ASSERT_EQUAL(xml, PayloadPacking::unpack(packed));
        CPPUNIT_ASSERT_EQUAL(xml.size() - 27 + 2 - 3 * 23 + 3 * 2, packed.size());
    }

    void testRecordShapesRoundTrip()
    {
        roundTrip("<Record layout=\"x\"></Record>");
        roundTrip("<Record layout=\"\"></Record>");
        roundTrip("<Record layout=\"x\"><Field name=\"\"></Field></Record>");
        // escaped values, quotes and '>' in content, attribute-escaped names
        roundTrip("<Record layout=\"a&amp;b\"><Field name=\"n&quot;1\">&lt;tag&gt; \"q\" "
                  "a>b &amp;&#13;</Field><Field name=\"n2\">x</Field></Record>");
        roundTrip("<Record layout=\"x\"><Field name=\"a>b\">v</Field></Record>");
        CPPUNIT_ASSERT_EQUAL('\x1f', PayloadPacking::pack("<Record layout=\"x\"></Record>")[0]);
    }

    void testOtherPayloadsStayAsTheyAre()
    {
        for (const std::string& p :
             {std::string(), std::string("<Item>1</Item>"), std::string("plain text"),
              std::string("<Record layout=\"x\">"),                             // no end
              std::string("<Record layout=\"x\"></Record> "),                   // trailing byte
              std::string("<Record layout=\"x\"><Field name=\"a\"/></Record>"), // empty element
              std::string("<Record layout=\"x\"><Field name=\"a\">v</Field>"),  // unterminated
              std::string("<Record layout=\"x\"><Field name=\"a\"><b/></Field></Record>"),
              std::string("<Record layout=\"x\" v=\"1\"></Record>"),
              std::string("<Record layout=\"x\"><Field name=\"a\">\x1e</Field></Record>"),
              std::string("<Record layout=\"x\x1f\"></Record>"),
              std::string("<Record layout=\"x\"><Field name=\"a\x1f\">v</Field></Record>"),
              std::string("\x1e"), std::string("a\x1f")})
        {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(p, p, PayloadPacking::pack(p));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(p, p, PayloadPacking::unpack(p));
        }
    }

    void testPayloadStartingWithTheSeparator()
    {
        for (const std::string& p : {std::string("\x1f"), std::string("\x1fR"),
                                     std::string("\x1fRx\x1e"
                                                 "a\x1f"
                                                 "b"),
                                     std::string("\x1fX"), std::string("\x1f\x1f")})
        {
            std::string packed = PayloadPacking::pack(p);
            CPPUNIT_ASSERT_EQUAL(std::string("\x1fX") + p, packed);
            CPPUNIT_ASSERT_EQUAL(p, PayloadPacking::unpack(packed));
        }
        std::optional<std::string> none;
        CPPUNIT_ASSERT(!PayloadPacking::unpack(none));
    }

    void testHolds()
    {
        const std::string xml = "<Record layout=\"x\"><Field name=\"a\">1</Field></Record>";
        const std::string packed = PayloadPacking::pack(xml);
        CPPUNIT_ASSERT(PayloadPacking::holds(packed, xml, packed));
        CPPUNIT_ASSERT(PayloadPacking::holds(xml, xml, packed)); // stored before packing
        const std::string other = "<Record layout=\"x\"><Field name=\"a\">2</Field></Record>";
        CPPUNIT_ASSERT(!PayloadPacking::holds(PayloadPacking::pack(other), xml, packed));
        CPPUNIT_ASSERT(!PayloadPacking::holds(other, xml, packed));
        CPPUNIT_ASSERT(
            PayloadPacking::holds("<Item/>", "<Item/>", PayloadPacking::pack("<Item/>")));
        CPPUNIT_ASSERT(
            !PayloadPacking::holds("<Item/>", "<Item />", PayloadPacking::pack("<Item />")));
    }

    void testEveryPrefixAndMutationRoundTrips()
    {
        // Whatever the bytes, unpack(pack(p)) == p: every prefix of a record payload, and the
        // payload with each byte replaced by each of the bytes the format gives a meaning to.
        const std::string xml = "<Record layout=\"L\"><Field name=\"a\">1</Field>"
                                "<Field name=\"b\"></Field></Record>";
        for (std::size_t n = 0; n <= xml.size(); ++n)
            roundTrip(xml.substr(0, n));
        for (std::size_t i = 0; i < xml.size(); ++i)
            for (char c : {'<', '>', '"', '/', '\x1e', '\x1f', 'X', 'R', '\0'})
            {
                std::string p = xml;
                p[i] = c;
                roundTrip(p);
            }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PayloadPackingTest);
