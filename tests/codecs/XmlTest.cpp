// XmlTest: schema validation, message round trips, and the XML guards (DTD, XXE, XInclude, schemaLocation, size, depth, threads).
#include "codecs/InquiryMessageCodec.h"
#include "codecs/ReplicaRegistrationCodec.h"
#include "codecs/SecureXmlParser.h"
#include "codecs/XmlSchemaCatalog.h"
#include "codecs/XmlString.h"
#include "codecs/XmlWriter.h"

#include <cppunit/extensions/HelperMacros.h>

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace chukan;

namespace {

std::string sourceDir()
{
    const char* env = std::getenv("CHUKAN_SRC");
    return env && *env ? std::string(env) : std::string(CHUKAN_SOURCE_DIR);
}

XmlSchemaCatalog& catalog()
{
    static XmlSchemaCatalog c(sourceDir() + "/conf/schemas");
    return c;
}

std::shared_ptr<const XmlSchema> schema(const std::string& name)
{
    Result<std::shared_ptr<const XmlSchema>> s = catalog().get(name);
    if (!s)
        throw std::runtime_error(s.status().toString());
    return s.value();
}

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const char* SECRET = "MARKER-7f3a-do-not-leak";

/// A temp directory holding a secret marker file, removed at the end of the test.
class SecretDir
{
public:
    SecretDir()
    {
        char tmpl[] = "/tmp/chukan-xmltest-XXXXXX";
        _dir = mkdtemp(tmpl);
        std::ofstream(path()) << SECRET << "\n";
    }
    ~SecretDir()
    {
        std::remove(path().c_str());
        std::remove((_dir + "/evil.xsd").c_str());
        rmdir(_dir.c_str());
    }
    std::string dir() const { return _dir; }
    std::string path() const { return _dir + "/secret.txt"; }

private:
    std::string _dir;
};

ReplicaRegistration sampleRegistration()
{
    ReplicaRegistration m;
    m.header.messageId = "MSG-0001";
    m.header.messageType = "ReplicaRegistration";
    m.header.mode = MessageHeader::TEST;
    m.header.sourceSystem = "yobou";
    m.header.destinationSystem = "chukan";
    m.header.receiptNumber = "R20240401-001";
    ReplicaRecord a;
    a.recordId = "REC-1";
    a.atenaNo = "000000000000123";
    a.dataItemCode = "TM00000000000002";
    a.dataSetKey = "K1";
    a.version = 3;
    a.publishFrom = "2024-04-01";
    a.publishTo = "2025-03-31";
    a.autoAnswer = false; // 自動応答不可
    a.data = "<Vaccination><Name>接種 &amp; 記録</Name><Note><![CDATA[a]]]]><![CDATA[>b]]></Note></Vaccination>";
    ReplicaRecord b;
    b.recordId = "REC-2";
    b.operation = ReplicaRecord::REMOVE;
    b.atenaNo = "000000000000124";
    b.dataItemCode = "TM00000000000002";
    b.dataSetKey = "K2";
    b.version = 0;
    b.publishFrom = "2024-04-01";
    b.dataNil = true;
    b.nilReason = "deleted";
    m.records = {a, b};
    return m;
}

std::string sampleXml()
{
    return ReplicaRegistrationCodec::encode(sampleRegistration()).value();
}

std::string replace(std::string s, const std::string& from, const std::string& to)
{
    std::size_t at = s.find(from);
    if (at == std::string::npos)
        throw std::runtime_error("test fixture lacks '" + from + "'");
    return s.replace(at, from.size(), to);
}

/// Line (1-based) of the first occurrence of part in text.
std::size_t lineOf(const std::string& text, const std::string& part)
{
    std::size_t at = text.find(part), line = 1;
    for (std::size_t i = 0; i < at; ++i)
        line += text[i] == '\n';
    return line;
}

const char* ROOT_OPEN = "<ReplicaRegistration xmlns=\"urn:chukan:replica:1\" "
                        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">";

} // namespace

class XmlTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(XmlTest);
    CPPUNIT_TEST(testSchemasLoadOnce);
    CPPUNIT_TEST(testBadSchemaNames);
    CPPUNIT_TEST(testReplicaRoundTrip);
    CPPUNIT_TEST(testInquiryRoundTrip);
    CPPUNIT_TEST(testMissingElement);
    CPPUNIT_TEST(testBadPattern);
    CPPUNIT_TEST(testNilRulesAndInnerData);
    CPPUNIT_TEST(testWrongSchemaRoot);
    CPPUNIT_TEST(testWellFormednessError);
    CPPUNIT_TEST(testBillionLaughs);
    CPPUNIT_TEST(testXxeEtcPasswd);
    CPPUNIT_TEST(testXxeSecretFile);
    CPPUNIT_TEST(testExternalParameterEntity);
    CPPUNIT_TEST(testXInclude);
    CPPUNIT_TEST(testSchemaLocationNotFetched);
    CPPUNIT_TEST(testSchemaLocationDoesNotChangeValidation);
    CPPUNIT_TEST(testOversizeRefusedBeforeParse);
    CPPUNIT_TEST(testTooDeep);
    CPPUNIT_TEST(testOnlyUtf8);
    CPPUNIT_TEST(testWriterEscaping);
    CPPUNIT_TEST(testWriterCharacterChecksEveryByte);
    CPPUNIT_TEST(testGrammarReuseAcrossThreads);
    CPPUNIT_TEST(testReadersReusedGuardsKept);
    CPPUNIT_TEST(testReadersAcrossThreadsAndCopies);
    CPPUNIT_TEST(testUtf16ToUtf8);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSchemasLoadOnce()
    {
        std::shared_ptr<const XmlSchema> r1 = schema("replica-registration");
        std::shared_ptr<const XmlSchema> r2 = schema("replica-registration");
        CPPUNIT_ASSERT(r1.get() == r2.get());
        CPPUNIT_ASSERT_EQUAL(std::string(ReplicaRegistrationCodec::NAMESPACE), r1->targetNamespace());
        CPPUNIT_ASSERT_EQUAL(std::string(InquiryMessageCodec::NAMESPACE), schema("online-inquiry")->targetNamespace());
    }

    void testBadSchemaNames()
    {
        Result<std::shared_ptr<const XmlSchema>> up = catalog().get("../schemas/replica-registration");
        CPPUNIT_ASSERT(!up);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, up.status().code());
        Result<std::shared_ptr<const XmlSchema>> missing = catalog().get("no-such-schema");
        CPPUNIT_ASSERT(!missing);
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, missing.status().code());
        // A broken XSD is an error value naming the file and position.
        SecretDir d;
        std::ofstream(d.dir() + "/evil.xsd") << "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">"
                                                "<xs:element name=\"a\" type=\"xs:nope\"/></xs:schema>";
        Result<std::shared_ptr<const XmlSchema>> broken = XmlSchema::load(d.dir() + "/evil.xsd");
        CPPUNIT_ASSERT(!broken);
        CPPUNIT_ASSERT(mentions(broken.status().message(), "evil.xsd' is not valid: 1:"));
    }

    void testReplicaRoundTrip()
    {
        ReplicaRegistration m = sampleRegistration();
        Result<std::string> xml = ReplicaRegistrationCodec::encode(m);
        CPPUNIT_ASSERT(xml.isOk());
        // The "]]>" inside the data is split across CDATA sections.
        CPPUNIT_ASSERT(mentions(xml.value(), "]]]]><![CDATA[>"));
        CPPUNIT_ASSERT(mentions(xml.value(), "xsi:nil=\"true\" NilReason=\"deleted\""));
        ReplicaRegistrationCodec codec(schema("replica-registration"));
        Result<ReplicaRegistration> back = codec.decode(xml.value());
        CPPUNIT_ASSERT_MESSAGE(back.status().toString(), back.isOk());
        CPPUNIT_ASSERT(back->header == m.header);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), back->records.size());
        CPPUNIT_ASSERT(back->records[0] == m.records[0]);
        CPPUNIT_ASSERT(back->records[1] == m.records[1]);
        CPPUNIT_ASSERT(!back->records[0].autoAnswer);
    }

    void testInquiryRoundTrip()
    {
        InquiryRequest q;
        q.header = MessageHeader{"Q-1", "InquiryRequest", MessageHeader::LIVE, "yobou", "chukan", "", ""};
        q.atenaNo = "000000000000123";
        q.jimuCode = "JM01000000121000";
        q.jimuTetsuzukiCode = "JT01010000000214";
        q.dataItemCode = "TM00000000000002";
        q.providerCode = "PV00000000000001";
        q.conditionKind = "1";
        q.yearKind = "2";
        q.fiscalYear = "2024";
        q.fromDate = "2024-04-01";
        q.toDate = "2025-03-31";
        q.resultFormat = "xml";
        InquiryMessageCodec codec(schema("online-inquiry"));
        Result<std::string> qx = InquiryMessageCodec::encodeRequest(q);
        CPPUNIT_ASSERT(qx.isOk());
        Result<InquiryRequest> qb = codec.decodeRequest(qx.value());
        CPPUNIT_ASSERT_MESSAGE(qb.status().toString(), qb.isOk());
        CPPUNIT_ASSERT(qb.value() == q);

        InquiryResponse r;
        r.header = MessageHeader{"A-1", "InquiryResponse", MessageHeader::LIVE, "chukan", "yobou", "U-77", "0"};
        r.serialNo = "S0000000001";
        r.status = "completed";
        r.detailStatus = "09";
        r.itemStatus = "01";
        r.resultFormat = "csv";
        r.hasResultData = true;
        r.resultData = "処理通番,データ\r\nS1,\"a]]>b\"\r\n"; // CR survives (escaped, not CDATA)
        Result<std::string> rx = InquiryMessageCodec::encodeResponse(r);
        CPPUNIT_ASSERT(rx.isOk());
        Result<InquiryResponse> rb = codec.decodeResponse(rx.value());
        CPPUNIT_ASSERT_MESSAGE(rb.status().toString(), rb.isOk());
        CPPUNIT_ASSERT(rb.value() == r);
        CPPUNIT_ASSERT(rb->isNormal());

        InquiryResponse e;
        e.header = r.header;
        e.serialNo = "S0000000002";
        e.status = "aborted";
        e.errorCode = "E0101";
        e.errorMessage = "指定された特定個人情報名「ＴＭ００００００００００００００２」の照会は許可されていません。";
        Result<InquiryResponse> eb = codec.decodeResponse(InquiryMessageCodec::encodeResponse(e).value());
        CPPUNIT_ASSERT(eb.isOk());
        CPPUNIT_ASSERT(eb.value() == e);
        CPPUNIT_ASSERT(!eb->hasResultData);
        // A request is not a response.
        Result<InquiryResponse> wrong = codec.decodeResponse(qx.value());
        CPPUNIT_ASSERT(!wrong);
        CPPUNIT_ASSERT(mentions(wrong.status().message(), "expected InquiryResponse"));
    }

    void testMissingElement()
    {
        std::string xml = replace(sampleXml(), "<DataSetKey>K1</DataSetKey>", "");
        SecureXmlParser parser(schema("replica-registration"));
        SecureXmlParser::Outcome o = parser.parse(xml);
        CPPUNIT_ASSERT(!o.ok());
        CPPUNIT_ASSERT(!o.root);
        CPPUNIT_ASSERT(o.issues[0].line > 0 && o.issues[0].column > 0);
        // Xerces checks a content model at the parent's end tag and names the unexpected child.
        CPPUNIT_ASSERT_EQUAL(lineOf(xml, "</Record>"), o.issues[0].line);
        CPPUNIT_ASSERT(mentions(o.issues[0].message, "'Version' is not allowed"));
        Result<ReplicaRegistration> r = ReplicaRegistrationCodec(schema("replica-registration")).decode(xml);
        CPPUNIT_ASSERT(!r);
        std::string where = std::to_string(o.issues[0].line) + ":" + std::to_string(o.issues[0].column) + ": ";
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), mentions(r.status().message(), where));
    }

    void testBadPattern()
    {
        std::string xml = replace(sampleXml(), "000000000000124", "12345");
        SecureXmlParser::Outcome o = SecureXmlParser(schema("replica-registration")).parse(xml);
        CPPUNIT_ASSERT(!o.ok());
        CPPUNIT_ASSERT_EQUAL(lineOf(xml, ">12345<"), o.issues[0].line);
        CPPUNIT_ASSERT_MESSAGE(o.summary(), mentions(o.summary(), "12345"));
        // A duplicate RecordID breaks the identity constraint.
        std::string dup = replace(sampleXml(), "REC-2", "REC-1");
        CPPUNIT_ASSERT(!SecureXmlParser(schema("replica-registration")).parse(dup).ok());
        // Mode outside live|test.
        std::string mode = replace(sampleXml(), "<Mode>test</Mode>", "<Mode>prod</Mode>");
        CPPUNIT_ASSERT(!SecureXmlParser(schema("replica-registration")).parse(mode).ok());
    }

    void testNilRulesAndInnerData()
    {
        ReplicaRegistrationCodec codec(schema("replica-registration"));
        std::string noReason = replace(sampleXml(), " NilReason=\"deleted\"", "");
        Result<ReplicaRegistration> a = codec.decode(noReason);
        CPPUNIT_ASSERT(!a);
        CPPUNIT_ASSERT_MESSAGE(a.status().message(), mentions(a.status().message(), "record 2 (RecordID REC-2"));
        CPPUNIT_ASSERT(mentions(a.status().message(), "no NilReason"));
        // xsi:nil with content is a schema error.
        std::string nilWithText = replace(sampleXml(), "NilReason=\"deleted\"/>", "NilReason=\"deleted\">x</Data>");
        CPPUNIT_ASSERT(!codec.decode(nilWithText));
        // Data that is not well-formed XML.
        ReplicaRegistration m = sampleRegistration();
        m.records[0].data = "<open>";
        Result<ReplicaRegistration> c = codec.decode(ReplicaRegistrationCodec::encode(m).value());
        CPPUNIT_ASSERT(!c);
        CPPUNIT_ASSERT(mentions(c.status().message(), "Data is not well-formed XML"));
        // Data carrying a DOCTYPE is refused like any other document.
        m.records[0].data = "<!DOCTYPE d [<!ENTITY e \"x\">]><d>&e;</d>";
        Result<ReplicaRegistration> d = codec.decode(ReplicaRegistrationCodec::encode(m).value());
        CPPUNIT_ASSERT(!d);
        CPPUNIT_ASSERT(mentions(d.status().message(), "DOCTYPE"));
    }

    void testWrongSchemaRoot()
    {
        InquiryRequest q;
        q.header.messageId = "Q";
        std::string inquiry = InquiryMessageCodec::encodeRequest(q).value();
        SecureXmlParser::Outcome o = SecureXmlParser(schema("replica-registration")).parse(inquiry);
        CPPUNIT_ASSERT(!o.ok());
    }

    /// XmlString::toUtf8 / appendUtf8: ASCII runs copied at once, then 2-, 3- and 4-byte forms,
    /// a lone surrogate as U+FFFD; the parser's text (split across callbacks) comes out whole.
    void testUtf16ToUtf8()
    {
        const std::u16string mixed = u"ab<&>c\u00e9\u6771\u4eac\U0001F600z";
        CPPUNIT_ASSERT_EQUAL(std::string("ab<&>c\xc3\xa9\xe6\x9d\xb1\xe4\xba\xac\xf0\x9f\x98\x80z"),
                             XmlString::toUtf8(mixed.c_str(), mixed.size()));
        CPPUNIT_ASSERT_EQUAL(std::string("plain ascii"), XmlString::toUtf8(u"plain ascii"));
        const char16_t lone[] = {u'a', 0xD800, u'b', 0xDC00, 0};
        CPPUNIT_ASSERT_EQUAL(std::string("a\xef\xbf\xbd" "b\xef\xbf\xbd"), XmlString::toUtf8(lone));
        const char16_t highAtEnd[] = {u'x', 0xD83D, 0};
        CPPUNIT_ASSERT_EQUAL(std::string("x\xef\xbf\xbd"), XmlString::toUtf8(highAtEnd));
        std::string out = "keep:";
        XmlString::appendUtf8(out, mixed.c_str(), 3);
        XmlString::appendUtf8(out, mixed.c_str() + 6, 3);
        XmlString::appendUtf8(out, nullptr, 4);
        CPPUNIT_ASSERT_EQUAL(std::string("keep:ab<\xc3\xa9\xe6\x9d\xb1\xe4\xba\xac"), out);
        CPPUNIT_ASSERT(XmlString::fromUtf8(XmlString::toUtf8(mixed.c_str(), mixed.size())) == mixed);

        SecureXmlParser parser(nullptr);
        std::string text = std::string(20000, 'a') + "\xe6\x9d\xb1" + std::string(20000, 'b') + "&amp;\xf0\x9f\x98\x80";
        SecureXmlParser::Outcome o = parser.parse("<r>" + text + "</r>");
        CPPUNIT_ASSERT_MESSAGE(o.summary(), o.ok());
        CPPUNIT_ASSERT(o.root->text == std::string(20000, 'a') + "\xe6\x9d\xb1" + std::string(20000, 'b') + "&\xf0\x9f\x98\x80");
    }

    void testWellFormednessError()
    {
        SecureXmlParser::Outcome o = SecureXmlParser(nullptr).parse("<a>\n  <b>\n</a>");
        CPPUNIT_ASSERT(!o.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), o.issues[0].line);
        CPPUNIT_ASSERT(o.issues[0].column > 0);
        CPPUNIT_ASSERT(!SecureXmlParser(nullptr).parse("").ok());
        CPPUNIT_ASSERT(SecureXmlParser(nullptr).parse("<?xml version=\"1.0\"?><!-- c --><?pi x?><a/>").ok());
        // Predefined entities and character references are not entities that need a DTD.
        SecureXmlParser::Outcome refs = SecureXmlParser(nullptr).parse("<a>&amp;&lt;&#13;&#x41;</a>");
        CPPUNIT_ASSERT_MESSAGE(refs.summary(), refs.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("&<\rA"), refs.root->text);
        // An undeclared entity is an error, not a lookup.
        CPPUNIT_ASSERT(!SecureXmlParser(nullptr).parse("<a>&e;</a>").ok());
    }

    void testBillionLaughs()
    {
        std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n";
        doc += " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n";
        for (int i = 2; i <= 9; ++i)
        {
            std::string prev = "&lol" + std::to_string(i - 1) + ";";
            doc += " <!ENTITY lol" + std::to_string(i) + " \"";
            for (int k = 0; k < 10; ++k)
                doc += prev;
            doc += "\">\n";
        }
        doc += "]>\n<lolz>&lol9;</lolz>\n";
        for (bool screen : {true, false})
        {
            SecureXmlParser parser(schema("replica-registration"));
            parser.setScreenProlog(screen);
            SecureXmlParser::Outcome o = parser.parse(doc);
            CPPUNIT_ASSERT(!o.ok());
            CPPUNIT_ASSERT_MESSAGE(o.summary(), mentions(o.summary(), "DOCTYPE declarations are not allowed"));
            CPPUNIT_ASSERT_EQUAL(std::size_t(2), o.issues[0].line);
            CPPUNIT_ASSERT(!mentions(o.summary(), "lollol"));
        }
    }

    void assertXxeRefused(const std::string& doc, const std::string& mustNotAppear)
    {
        for (bool screen : {true, false})
        {
            for (std::shared_ptr<const XmlSchema> s : {schema("replica-registration"), std::shared_ptr<const XmlSchema>()})
            {
                SecureXmlParser parser(s);
                parser.setScreenProlog(screen);
                SecureXmlParser::Outcome o = parser.parse(doc);
                CPPUNIT_ASSERT(!o.ok());
                CPPUNIT_ASSERT(!o.root);
                CPPUNIT_ASSERT_MESSAGE(o.summary(), mentions(o.summary(), "DOCTYPE"));
                CPPUNIT_ASSERT_MESSAGE(o.summary(), !mentions(o.summary(), mustNotAppear));
                // The entity resolver was never even asked for the file.
                CPPUNIT_ASSERT(o.refusedResources.empty());
            }
        }
        Result<ReplicaRegistration> r = ReplicaRegistrationCodec(schema("replica-registration")).decode(doc);
        CPPUNIT_ASSERT(!r);
        CPPUNIT_ASSERT(!mentions(r.status().toString(), mustNotAppear));
    }

    void testXxeEtcPasswd()
    {
        std::string doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n" +
                          std::string(ROOT_OPEN) + "&e;</ReplicaRegistration>";
        assertXxeRefused(doc, "root:");
    }

    void testXxeSecretFile()
    {
        SecretDir secret;
        std::string doc = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file://" + secret.path() + "\">]>\n" +
                          std::string(ROOT_OPEN) + "<MessageHeader><MessageID>&e;</MessageID></MessageHeader>" +
                          "</ReplicaRegistration>";
        assertXxeRefused(doc, SECRET);
        // Relative system ID and a leading comment do not get around the screen either.
        std::string relative = "<!-- hi -->\n<!DOCTYPE x [<!ENTITY e SYSTEM \"secret.txt\">]><x>&e;</x>";
        assertXxeRefused(relative, SECRET);
    }

    void testExternalParameterEntity()
    {
        SecretDir secret;
        std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [\n<!ENTITY % p SYSTEM \"file://" + secret.path() +
                          "\">\n%p;\n]>\n<x/>";
        assertXxeRefused(doc, SECRET);
        std::string external = "<!DOCTYPE x SYSTEM \"file://" + secret.path() + "\"><x/>";
        assertXxeRefused(external, SECRET);
    }

    void testXInclude()
    {
        SecretDir secret;
        std::string doc = replace(sampleXml(), "<Records>",
                                  "<Records><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file://" +
                                      secret.path() + "\" parse=\"text\"/>");
        SecureXmlParser::Outcome o = SecureXmlParser(schema("replica-registration")).parse(doc);
        CPPUNIT_ASSERT(!o.ok());
        CPPUNIT_ASSERT(o.issues[0].line > 0);
        CPPUNIT_ASSERT(!mentions(o.summary(), SECRET));
        CPPUNIT_ASSERT(o.refusedResources.empty());
        // Without a schema it is just an element: nothing is included.
        SecureXmlParser::Outcome w = SecureXmlParser(nullptr).parse(doc);
        CPPUNIT_ASSERT(w.ok());
        const XmlElement* records = w.root->child("Records");
        CPPUNIT_ASSERT(records && records->child("include"));
        CPPUNIT_ASSERT(!mentions(records->child("include")->text, SECRET));
    }

    void testSchemaLocationNotFetched()
    {
        // A listener on a free loopback port: if anything fetched the schema it would connect.
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        CPPUNIT_ASSERT(fd >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        CPPUNIT_ASSERT_EQUAL(0, bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)));
        CPPUNIT_ASSERT_EQUAL(0, listen(fd, 4));
        socklen_t len = sizeof(addr);
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/evil.xsd";
        std::string doc = replace(sampleXml(), "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
                                  "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                                  "xsi:schemaLocation=\"urn:chukan:replica:1 " + url + "\"");
        SecureXmlParser::Outcome o = SecureXmlParser(schema("replica-registration")).parse(doc);
        CPPUNIT_ASSERT_MESSAGE(o.summary(), o.ok());
        CPPUNIT_ASSERT(o.refusedResources.empty());
        std::string other = "<x xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                            "xsi:noNamespaceSchemaLocation=\"" + url + "\"/>";
        SecureXmlParser::Outcome n = SecureXmlParser(schema("replica-registration")).parse(other);
        CPPUNIT_ASSERT(!n.ok()); // no grammar for {}x: it is not validated against the fetched one
        CPPUNIT_ASSERT(n.refusedResources.empty());
        fcntl(fd, F_SETFL, O_NONBLOCK);
        int conn = accept(fd, nullptr, nullptr);
        int err = errno;
        CPPUNIT_ASSERT_EQUAL(-1, conn);
        CPPUNIT_ASSERT(err == EAGAIN || err == EWOULDBLOCK);
        close(fd);
    }

    void testSchemaLocationDoesNotChangeValidation()
    {
        // A permissive schema for the same namespace beside a secret: naming it must not help.
        SecretDir d;
        std::ofstream(d.dir() + "/evil.xsd")
            << "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:chukan:replica:1\">"
               "<xs:element name=\"ReplicaRegistration\"><xs:complexType><xs:sequence>"
               "<xs:any processContents=\"skip\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>"
               "</xs:sequence></xs:complexType></xs:element></xs:schema>";
        std::string invalid = std::string(ROOT_OPEN);
        invalid = replace(invalid, ">", " xsi:schemaLocation=\"urn:chukan:replica:1 file://" + d.dir() + "/evil.xsd\">");
        invalid += "<Anything/></ReplicaRegistration>";
        SecureXmlParser::Outcome o = SecureXmlParser(schema("replica-registration")).parse(invalid);
        CPPUNIT_ASSERT(!o.ok());
        CPPUNIT_ASSERT(o.refusedResources.empty());
    }

    void testOversizeRefusedBeforeParse()
    {
        SecureXmlParser::Limits limits;
        limits.maxBytes = 1000;
        SecureXmlParser parser(schema("replica-registration"), limits);
        std::string doc = sampleXml();
        CPPUNIT_ASSERT(doc.size() > 1000);
        SecureXmlParser::Outcome o = parser.parse(doc);
        CPPUNIT_ASSERT(!o.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), o.issues.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), o.issues[0].line);
        CPPUNIT_ASSERT(mentions(o.issues[0].message, "larger than the limit of 1000 bytes"));
        // Even a DOCTYPE is not looked at: size comes first.
        std::string big = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>" + std::string(2000, 'a') + "</x>";
        CPPUNIT_ASSERT(mentions(parser.parse(big).summary(), "larger than the limit"));
    }

    void testTooDeep()
    {
        SecureXmlParser::Limits limits;
        limits.maxDepth = 10;
        std::string deep;
        for (int i = 0; i < 50; ++i)
            deep += "<d>";
        for (int i = 0; i < 50; ++i)
            deep += "</d>";
        SecureXmlParser::Outcome o = SecureXmlParser(nullptr, limits).parse(deep);
        CPPUNIT_ASSERT(!o.ok());
        CPPUNIT_ASSERT_MESSAGE(o.summary(), mentions(o.summary(), "deeper than the limit of 10"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), o.issues[0].line);
        CPPUNIT_ASSERT_EQUAL(std::size_t(34), o.issues[0].column); // just after the 11th <d>
        // A real message stays within the default and within a tight limit of 4 (root, Records, Record, Data).
        limits.maxDepth = 4;
        CPPUNIT_ASSERT(SecureXmlParser(schema("replica-registration"), limits).parse(sampleXml()).ok());
        limits.maxDepth = 3;
        SecureXmlParser::Outcome t = SecureXmlParser(schema("replica-registration"), limits).parse(sampleXml());
        CPPUNIT_ASSERT(mentions(t.summary(), "deeper than the limit of 3"));
        // Very deep documents (a million levels) are cut off quickly without recursion.
        std::string huge;
        for (int i = 0; i < 200000; ++i)
            huge += "<d>";
        CPPUNIT_ASSERT(mentions(SecureXmlParser(nullptr).parse(huge).summary(), "deeper than the limit of 64"));
    }

    void testOnlyUtf8()
    {
        SecureXmlParser parser(nullptr);
        SecureXmlParser::Outcome latin = parser.parse("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE9</a>");
        CPPUNIT_ASSERT(mentions(latin.summary(), "must be UTF-8"));
        SecureXmlParser::Outcome utf16 = parser.parse(std::string("\xFF\xFE<\0a\0/\0>\0", 10));
        CPPUNIT_ASSERT(mentions(utf16.summary(), "only UTF-8"));
        SecureXmlParser::Outcome bad = parser.parse("<a>\xC0\xAF</a>");
        CPPUNIT_ASSERT(!bad.ok());
        CPPUNIT_ASSERT(parser.parse("\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8'?><a>日本</a>").ok());
        CPPUNIT_ASSERT_EQUAL(std::string("日本"), parser.parse("<a>日本</a>").root->text);
    }

    void testWriterEscaping()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]>"), XmlWriter::cdata("a]]>b]]>"));
        CPPUNIT_ASSERT_EQUAL(std::string("&lt;&amp;&gt;&quot;&#13;&#10;"), XmlWriter::escape("<&>\"\r\n", true));
        ReplicaRegistration m = sampleRegistration();
        m.records[0].data = std::string("bell\x07");
        Result<std::string> bad = ReplicaRegistrationCodec::encode(m);
        CPPUNIT_ASSERT(!bad);
        CPPUNIT_ASSERT(mentions(bad.status().message(), "element Data: control character 7"));
        // Attribute and text values with markup characters survive.
        m = sampleRegistration();
        m.records[1].nilReason = "a-b.c";
        m.header.result = "OK";
        ReplicaRegistrationCodec codec(schema("replica-registration"));
        Result<ReplicaRegistration> back = codec.decode(ReplicaRegistrationCodec::encode(m).value());
        CPPUNIT_ASSERT(back.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("a-b.c"), back->records[1].nilReason);
    }

    /// Every single byte, alone and after an ASCII prefix (the one-pass path for clean ASCII
    /// and the general path must agree): printable ASCII, DEL, tab, LF and CR pass and the
    /// markup characters are escaped; other control bytes and bytes that are not UTF-8 are
    /// refused; U+FFFE/U+FFFF are refused and other multi-byte characters pass.
    void testWriterCharacterChecksEveryByte()
    {
        for (int b = 0; b < 256; ++b)
        {
            const std::string one(1, static_cast<char>(b));
            for (const std::string& value : {one, "abc" + one, one + "\xE6\x97\xA5"})
            {
                std::string reason = XmlWriter::checkCharacters(value);
                bool allowed = b >= 0x20 ? b < 0x80 : (b == '\t' || b == '\n' || b == '\r');
                CPPUNIT_ASSERT_MESSAGE("byte " + std::to_string(b) + ": " + reason, reason.empty() == allowed);
                if (!allowed)
                    CPPUNIT_ASSERT(mentions(reason, b < 0x20 ? "control character" : "invalid UTF-8"));
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::string(), XmlWriter::checkCharacters("\x7F\t\r\n &<>\"日本\xF0\x9F\x98\x80"));
        CPPUNIT_ASSERT(mentions(XmlWriter::checkCharacters("ab\xEF\xBF\xBE"), "U+FFFE/U+FFFF at offset 2"));
        CPPUNIT_ASSERT(mentions(XmlWriter::checkCharacters("ab\xC0\xAF"), "invalid UTF-8 at offset 2"));
        CPPUNIT_ASSERT_EQUAL(std::string("a&amp;b&lt;c&gt;d\"e\tf\ng&#13;h\x7F日"),
                             XmlWriter::escape("a&b<c>d\"e\tf\ng\rh\x7F日", false));
        CPPUNIT_ASSERT_EQUAL(std::string("&quot;&#9;&#10;&#13;"), XmlWriter::escape("\"\t\n\r", true));
    }

    void testGrammarReuseAcrossThreads()
    {
        ReplicaRegistrationCodec replica(schema("replica-registration"));
        InquiryMessageCodec inquiry(schema("online-inquiry"));
        const std::string good = sampleXml();
        const std::string bad = replace(good, "000000000000124", "12345");
        InquiryRequest q;
        q.header = MessageHeader{"Q-1", "InquiryRequest", MessageHeader::LIVE, "a", "b", "", ""};
        q.atenaNo = "000000000000123";
        q.jimuCode = q.jimuTetsuzukiCode = q.providerCode = "JM01000000121000";
        q.dataItemCode = "TM00000000000002";
        q.conditionKind = q.yearKind = "1";
        const std::string request = InquiryMessageCodec::encodeRequest(q).value();
        std::atomic<int> goodOk{0}, badRefused{0}, requestOk{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 40; ++i)
                {
                    if (replica.decode(good))
                        ++goodOk;
                    Result<ReplicaRegistration> b = replica.decode(bad);
                    if (!b && mentions(b.status().message(), "12345"))
                        ++badRefused;
                    if (inquiry.decodeRequest(request))
                        ++requestOk;
                }
            });
        for (std::thread& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(160, goodOk.load());
        CPPUNIT_ASSERT_EQUAL(160, badRefused.load());
        CPPUNIT_ASSERT_EQUAL(160, requestOk.load());
        // Still the one schema object loaded at the start.
        CPPUNIT_ASSERT(schema("replica-registration").get() == replica_schema_probe());
    }

    /// One parser, many documents: readers are reused after good and refused documents alike,
    /// a reader that a guard aborted is replaced, and every guard holds on a reused reader.
    void testReadersReusedGuardsKept()
    {
        SecureXmlParser parser(schema("replica-registration"));
        parser.setScreenProlog(false); // the parser-level guards alone
        const std::string good = sampleXml();
        CPPUNIT_ASSERT(parser.parse(good).ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), parser.readersBuilt());
        for (int i = 0; i < 20; ++i)
            CPPUNIT_ASSERT(parser.parse(good).ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), parser.readersBuilt());

        // Validation still on for the reused reader, and it is reusable after the refusal.
        SecureXmlParser::Outcome invalid = parser.parse(replace(good, "000000000000124", "12345"));
        CPPUNIT_ASSERT(!invalid.ok());
        CPPUNIT_ASSERT_MESSAGE(invalid.summary(), mentions(invalid.summary(), "12345"));
        CPPUNIT_ASSERT(!parser.parse("<a><b></a>").ok()); // not well-formed
        CPPUNIT_ASSERT(!parser.parse("<other xmlns=\"urn:x\"/>").ok()); // not in the schema
        CPPUNIT_ASSERT(parser.parse(good).ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), parser.readersBuilt());

        // xsi:schemaLocation naming a permissive schema, on a reused reader: nothing is
        // fetched, the locked grammar decides.
        SecretDir d;
        std::ofstream(d.dir() + "/evil.xsd")
            << "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:chukan:replica:1\">"
               "<xs:element name=\"ReplicaRegistration\"><xs:complexType><xs:sequence>"
               "<xs:any processContents=\"skip\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>"
               "</xs:sequence></xs:complexType></xs:element></xs:schema>";
        std::string located = replace(ROOT_OPEN, ">", " xsi:schemaLocation=\"urn:chukan:replica:1 file://" + d.dir() +
                                                          "/evil.xsd\">") +
                              "<Anything/></ReplicaRegistration>";
        SecureXmlParser::Outcome l = parser.parse(located);
        CPPUNIT_ASSERT(!l.ok());
        CPPUNIT_ASSERT(l.refusedResources.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), parser.readersBuilt());

        // A DOCTYPE (billion laughs, XXE) on a reused reader: refused by the startDTD guard, the
        // file never read; the aborted reader is dropped and the next parse builds a fresh one.
        std::string xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY s SYSTEM \"file://" + d.path() +
                          "\">]>\n<r>&s;</r>";
        for (int i = 0; i < 3; ++i)
        {
            std::size_t before = parser.readersBuilt();
            SecureXmlParser::Outcome o = parser.parse(xxe);
            CPPUNIT_ASSERT(!o.ok());
            CPPUNIT_ASSERT_MESSAGE(o.summary(), mentions(o.summary(), "DOCTYPE declarations are not allowed"));
            CPPUNIT_ASSERT(!mentions(o.summary(), SECRET));
            CPPUNIT_ASSERT(o.refusedResources.empty());
            CPPUNIT_ASSERT(parser.parse(good).ok());
            CPPUNIT_ASSERT_EQUAL(before + 1, parser.readersBuilt());
        }

        // The depth guard on a reused reader, then reuse again.
        SecureXmlParser::Limits limits;
        limits.maxDepth = 3;
        SecureXmlParser shallow(schema("replica-registration"), limits);
        CPPUNIT_ASSERT(!shallow.parse(good).ok());
        CPPUNIT_ASSERT(mentions(shallow.parse(good).summary(), "deeper than the limit of 3"));
        CPPUNIT_ASSERT(shallow.parse("<ReplicaRegistration xmlns=\"urn:chukan:replica:1\"/>").issues.size() > 0);

        // Without a schema: well-formedness only, also on a reused reader.
        SecureXmlParser plain(nullptr);
        for (int i = 0; i < 5; ++i)
        {
            CPPUNIT_ASSERT(plain.parse("<x><y>1</y></x>").ok());
            CPPUNIT_ASSERT(!plain.parse("<x>").ok());
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), plain.readersBuilt());

        // A reader serves a bounded number of parses (its namespace URI pool grows with every
        // new namespace a document declares), then a fresh one takes over.
        SecureXmlParser bounded(nullptr);
        for (std::size_t i = 0; i < 2 * SecureXmlParser::MAX_PARSES_PER_READER + 1; ++i)
            CPPUNIT_ASSERT(bounded.parse("<e xmlns=\"urn:x:" + std::to_string(i) + "\"/>").ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), bounded.readersBuilt());
    }

    /// Parsers and their copies share one pool; concurrent parses each get their own reader.
    void testReadersAcrossThreadsAndCopies()
    {
        SecureXmlParser parser(schema("replica-registration"));
        SecureXmlParser copy = parser;
        const std::string good = sampleXml();
        const std::string bad = replace(good, "000000000000124", "12345");
        std::atomic<int> goodOk{0}, badRefused{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 6; ++t)
            threads.emplace_back([&, t] {
                const SecureXmlParser& p = t % 2 ? copy : parser;
                for (int i = 0; i < 30; ++i)
                {
                    SecureXmlParser::Outcome g = p.parse(good);
                    if (g.ok() && g.root->name == "ReplicaRegistration")
                        ++goodOk;
                    SecureXmlParser::Outcome b = p.parse(bad);
                    if (!b.ok() && mentions(b.summary(), "12345"))
                        ++badRefused;
                }
            });
        for (std::thread& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(180, goodOk.load());
        CPPUNIT_ASSERT_EQUAL(180, badRefused.load());
        // At most one reader per concurrent parse, shared by both copies.
        CPPUNIT_ASSERT(parser.readersBuilt() >= 1);
        CPPUNIT_ASSERT(parser.readersBuilt() <= 6);
        CPPUNIT_ASSERT_EQUAL(parser.readersBuilt(), copy.readersBuilt());
    }

private:
    const XmlSchema* replica_schema_probe() { return catalog().get("replica-registration").value().get(); }
};

CPPUNIT_TEST_SUITE_REGISTRATION(XmlTest);
