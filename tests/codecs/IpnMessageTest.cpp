// IpnMessageTest: every network message kind round-trips through XML; invalid and hostile messages are refused.
#include "codecs/IpnMessage.h"
#include "codecs/SignedTime.h"
#include "codecs/XmlSchemaCatalog.h"

#include <Poco/Base64Encoder.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <sstream>

using namespace chukan;

namespace
{

const std::string CHIBA = "1210020000000000";
const std::string HOFU = "3520630000000000";

const SecureXmlParser& ipnParser()
{
    static XmlSchemaCatalog catalog([] {
        const char* env = std::getenv("CHUKAN_SRC");
        return (env && *env ? std::string(env) : std::string(CHUKAN_SOURCE_DIR)) + "/conf/schemas";
    }());
    static SecureXmlParser parser(catalog.get(IpnMessage::SCHEMA_NAME).value());
    return parser;
}

IpnHeader header(const std::string& from, const std::string& to, const std::string& inReplyTo = "")
{
    IpnHeader h;
    h.messageId = "msg-0001.test_A";
    h.sentAt = SignedTime::parse("2025-04-01T09:00:00+09:00", "t").value();
    h.from = from;
    h.to = to;
    h.inReplyTo = inReplyTo;
    return h;
}

IpnMessage sample(IpnMessage::Kind kind)
{
    IpnMessage m;
    m.kind = kind;
    m.header = header(CHIBA, IpnHeader::NETWORK);
    switch (kind)
    {
    case IpnMessage::Kind::FugoRequest: m.juminhyoCode = "12345678901"; break;
    case IpnMessage::Kind::FugoResponse:
        m.header = header(IpnHeader::NETWORK, CHIBA, "req-00000001");
        m.fugo = "AbCdEfGhIjKlMnOpQrStUv";
        break;
    case IpnMessage::Kind::PermitRequest:
        m.provider = HOFU;
        m.jimuCode = "JM01000000121000";
        m.procedureCode = "JT01010000000214";
        m.dataItemCode = "TM00000000000002";
        m.requesterFugo = "AbCdEfGhIjKlMnOpQrStUv";
        break;
    case IpnMessage::Kind::PermitResponse:
        m.permitId = "PMT-0123456789abcdef";
        m.signedPermit = "{\"payload\":\"e30=\",\"signature\":\"AA==\",\"signer\":\"-----BEGIN "
                         "CERTIFICATE-----\\n...\\n\"}";
        break;
    case IpnMessage::Kind::Inquiry:
        m.header = header(CHIBA, HOFU);
        m.serial = "S-000042";
        m.permitId = "PMT-0123456789abcdef";
        m.signedPermit = "{\"payload\":\"e30=\"} <&> ]]>";
        m.providerFugo = "ZyXwVuTsRqPoNmLkJiHgFe";
        m.route = "IPN/1210020000000000>3520630000000000/PMT-0123456789abcdef";
        break;
    case IpnMessage::Kind::ProvisionResponse:
        m.header = header(HOFU, CHIBA);
        m.serial = "S-000042";
        m.permitId = "PMT-0123456789abcdef";
        m.outcome = "provided";
        m.reasonCode = "R01";
        m.payload = std::string("\x30\x82\x00\x00\xff\x00 binary CMS", 17);
        m.hasPayload = true;
        m.route = "IPN/1210020000000000>3520630000000000/PMT-0123456789abcdef";
        break;
    case IpnMessage::Kind::Ack: m.duplicate = true; break;
    case IpnMessage::Kind::Error:
        m.errorCode = IpnErrorCode::NOT_PERMITTED;
        m.errorMessage = "指定された特定個人情報名「ＴＭ00000000000002」の照会は許可されていません。";
        break;
    case IpnMessage::Kind::Batch:
        m.header.messageId = "batch-0001.test";
        for (int i = 0; i < 3; ++i)
        {
            IpnMessage item = sample(IpnMessage::Kind::Inquiry);
            item.header.messageId = "IQ-S-00004" + std::to_string(i);
            item.serial = "S-00004" + std::to_string(i);
            m.items.push_back(item);
        }
        break;
    case IpnMessage::Kind::BatchReply:
        m.header = header(IpnHeader::NETWORK, CHIBA, "batch-0001.test");
        m.items = {sample(IpnMessage::Kind::PermitResponse), sample(IpnMessage::Kind::Ack),
                   sample(IpnMessage::Kind::Error)};
        break;
    }
    return m;
}

std::string xmlOf(const IpnMessage& m) { return m.toXml().value(); }

bool mentions(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::string replaceOnce(std::string s, const std::string& from, const std::string& to)
{
    std::size_t at = s.find(from);
    CPPUNIT_ASSERT_MESSAGE("test setup: '" + from + "' not in document", at != std::string::npos);
    return s.replace(at, from.size(), to);
}

} // namespace

class IpnMessageTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(IpnMessageTest);
    CPPUNIT_TEST(testRoundTripEveryKind);
    CPPUNIT_TEST(testPayloadBase64AsPocoWritesAndReadsIt);
    CPPUNIT_TEST(testPayloadNotBase64Refused);
    CPPUNIT_TEST(testOptionalFieldsAbsent);
    CPPUNIT_TEST(testErrorCodeNames);
    CPPUNIT_TEST(testMissingElementRefused);
    CPPUNIT_TEST(testBadCodePatternRefused);
    CPPUNIT_TEST(testBadMessageIdAndZonelessTimeRefused);
    CPPUNIT_TEST(testDoctypeAndXxeRefused);
    CPPUNIT_TEST(testForeignNamespaceRefused);
    CPPUNIT_TEST(testReplyHelpers);
    CPPUNIT_TEST(testBatchOfStoredMessages);
    CPPUNIT_TEST(testBatchShapesRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    /// The payload's base64 is written and read by hand: the text is what Poco's encoder writes
    /// (no line breaks) and every payload length and byte value comes back, also from a
    /// document whose base64 is broken into lines.
    void testPayloadBase64AsPocoWritesAndReadsIt()
    {
        unsigned seed = 7;
        for (std::size_t length = 0; length < 70; ++length)
        {
            IpnMessage m = sample(IpnMessage::Kind::ProvisionResponse);
            m.payload.clear();
            for (std::size_t i = 0; i < length; ++i)
                m.payload += static_cast<char>((seed = seed * 1103515245u + 12345u) >> 16);
            if (length == 69)
                for (int b = 0; b < 256; ++b)
                    m.payload += static_cast<char>(b);
            std::ostringstream poco;
            Poco::Base64Encoder enc(poco);
            enc.rdbuf()->setLineLength(0);
            enc << m.payload;
            enc.close();
            std::string xml = xmlOf(m);
            CPPUNIT_ASSERT_MESSAGE("length " + std::to_string(length),
                                   length == 0 ? mentions(xml, "<Payload></Payload>") || mentions(xml, "<Payload/>")
                                               : mentions(xml, "<Payload>" + poco.str() + "</Payload>"));
            Result<IpnMessage> back = IpnMessage::parse(xml, ipnParser());
            CPPUNIT_ASSERT_MESSAGE(back.status().toString(), back.isOk());
            CPPUNIT_ASSERT(back.value().payload == m.payload);
            if (poco.str().size() > 8)
            {
                std::string lines = poco.str();
                lines.insert(8, "\n ");
                lines.insert(4, "\r\n");
                Result<IpnMessage> wrapped =
                    IpnMessage::parse(replaceOnce(xml, poco.str(), lines), ipnParser());
                CPPUNIT_ASSERT_MESSAGE(wrapped.status().toString(), wrapped.isOk());
                CPPUNIT_ASSERT(wrapped.value().payload == m.payload);
            }
        }
    }

    /// Payload is a string in the schema; the reader alone checks its base64, as strictly as
    /// xs:base64Binary did: each of these is refused with the element and the reason named.
    void testPayloadNotBase64Refused()
    {
        IpnMessage m = sample(IpnMessage::Kind::ProvisionResponse);
        m.payload = "ab"; // "YWI="
        std::string xml = xmlOf(m);
        CPPUNIT_ASSERT(mentions(xml, "<Payload>YWI=</Payload>"));
        const std::pair<const char*, const char*> bad[] = {
            {"YWI", "not a multiple of 4"},
            {"YWJ=", "unused bits"},          // 'J' leaves bits set that '=' drops
            {"YQ=A", "'=' at offset 2"},      // padding inside the last group
            {"YQ==YWI=", "'=' at offset 2"},  // padding before the last group
            {"Y?I=", "'?' at offset 1"},
            {"YWJh\u00e3YW", "byte 195 at offset 4"}, // non-ASCII (U+00E3 is C3 A3 in UTF-8)
            {"Y-I_", "'-' at offset 1"},      // base64url is not the alphabet
            {"YR==", "unused bits"},
        };
        for (const auto& [text, why] : bad)
        {
            Result<IpnMessage> r =
                IpnMessage::parse(replaceOnce(xml, "<Payload>YWI=</Payload>",
                                              std::string("<Payload>") + text + "</Payload>"),
                                  ipnParser());
            CPPUNIT_ASSERT_MESSAGE(text, !r.isOk());
            CPPUNIT_ASSERT_MESSAGE(r.status().toString(),
                                   mentions(r.status().message(), "ProvisionResponse/Payload: not base64") &&
                                       mentions(r.status().message(), why));
        }
        // White space anywhere is ignored, as xs:base64Binary's collapse did.
        Result<IpnMessage> spaced = IpnMessage::parse(
            replaceOnce(xml, "<Payload>YWI=</Payload>", "<Payload>\n Y W\tI =\r\n</Payload>"), ipnParser());
        CPPUNIT_ASSERT_MESSAGE(spaced.status().toString(), spaced.isOk());
        CPPUNIT_ASSERT(spaced.value().payload == "ab");
        // One byte, "a": two characters and "==".
        Result<IpnMessage> one =
            IpnMessage::parse(replaceOnce(xml, "<Payload>YWI=</Payload>", "<Payload>YQ==</Payload>"), ipnParser());
        CPPUNIT_ASSERT_MESSAGE(one.status().toString(), one.isOk());
        CPPUNIT_ASSERT(one.value().payload == "a");
    }

    void testRoundTripEveryKind()
    {
        for (IpnMessage::Kind k :
             {IpnMessage::Kind::FugoRequest, IpnMessage::Kind::FugoResponse,
              IpnMessage::Kind::PermitRequest, IpnMessage::Kind::PermitResponse,
              IpnMessage::Kind::Inquiry, IpnMessage::Kind::ProvisionResponse,
              IpnMessage::Kind::Ack, IpnMessage::Kind::Error, IpnMessage::Kind::Batch,
              IpnMessage::Kind::BatchReply})
        {
            IpnMessage m = sample(k);
            std::string xml = xmlOf(m);
            Result<IpnMessage> back = IpnMessage::parse(xml, ipnParser());
            CPPUNIT_ASSERT_MESSAGE(std::string(IpnMessage::kindName(k)) + ": " +
                                       back.status().toString() + "\n" + xml,
                                   back.isOk());
            CPPUNIT_ASSERT_MESSAGE(IpnMessage::kindName(k), back.value() == m);
            CPPUNIT_ASSERT(mentions(xml, "xmlns=\"urn:chukan:ipn:1\""));
        }
    }

    void testOptionalFieldsAbsent()
    {
        IpnMessage inq = sample(IpnMessage::Kind::Inquiry);
        inq.providerFugo.clear();
        inq.route.clear();
        Result<IpnMessage> back = IpnMessage::parse(xmlOf(inq), ipnParser());
        CPPUNIT_ASSERT_MESSAGE(back.status().toString(), back.isOk());
        CPPUNIT_ASSERT(back.value() == inq);
        CPPUNIT_ASSERT(!mentions(xmlOf(inq), "ProviderFugo"));

        IpnMessage resp = sample(IpnMessage::Kind::ProvisionResponse);
        resp.outcome = "no_data";
        resp.hasPayload = false;
        resp.payload.clear();
        resp.reasonCode.clear();
        resp.route.clear();
        back = IpnMessage::parse(xmlOf(resp), ipnParser());
        CPPUNIT_ASSERT_MESSAGE(back.status().toString(), back.isOk());
        CPPUNIT_ASSERT(back.value() == resp);
        CPPUNIT_ASSERT(!back.value().hasPayload);
    }

    void testErrorCodeNames()
    {
        for (const char* name :
             {"INVALID_MESSAGE", "UNKNOWN_INSTITUTION", "NOT_PERMITTED", "NO_FUGO", "BAD_PERMIT",
              "PERMIT_EXPIRED", "PERMIT_NOT_YET_VALID", "PERMIT_MISADDRESSED", "PERMIT_REPLAYED",
              "UNAVAILABLE", "INTERNAL"})
        {
            Result<IpnErrorCode> c = IpnErrorCodes::parse(name);
            CPPUNIT_ASSERT_MESSAGE(name, c.isOk());
            CPPUNIT_ASSERT_EQUAL(std::string(name), std::string(IpnErrorCodes::name(c.value())));
            CPPUNIT_ASSERT_EQUAL(std::string(name) != "UNAVAILABLE",
                                 IpnErrorCodes::isFinal(c.value()));
            IpnMessage e = sample(IpnMessage::Kind::Error);
            e.errorCode = c.value();
            CPPUNIT_ASSERT(IpnMessage::parse(xmlOf(e), ipnParser()).value().errorCode == c.value());
        }
        CPPUNIT_ASSERT(!IpnErrorCodes::parse("not_permitted").isOk());
        std::string bad = replaceOnce(xmlOf(sample(IpnMessage::Kind::Error)), "NOT_PERMITTED",
                                      "TEAPOT");
        CPPUNIT_ASSERT(!IpnMessage::parse(bad, ipnParser()).isOk());
    }

    void testMissingElementRefused()
    {
        std::string xml = replaceOnce(xmlOf(sample(IpnMessage::Kind::PermitRequest)),
                                      "<DataItemCode>TM00000000000002</DataItemCode>", "");
        Result<IpnMessage> r = IpnMessage::parse(xml, ipnParser());
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());

        xml = replaceOnce(xmlOf(sample(IpnMessage::Kind::FugoRequest)),
                          "<MessageId>msg-0001.test_A</MessageId>", "");
        CPPUNIT_ASSERT(!IpnMessage::parse(xml, ipnParser()).isOk());
    }

    void testBadCodePatternRefused()
    {
        std::string good = xmlOf(sample(IpnMessage::Kind::PermitRequest));
        // lower case, 15 characters, full-width digits: all outside [A-Z0-9]{16}
        for (const std::string& bad :
             {std::string("jm01000000121000"), std::string("JM0100000012100"),
              std::string("ＪＭ01000000121000")})
        {
            std::string xml = replaceOnce(good, "JM01000000121000", bad);
            Result<IpnMessage> r = IpnMessage::parse(xml, ipnParser());
            CPPUNIT_ASSERT_MESSAGE(bad, !r.isOk());
            CPPUNIT_ASSERT_MESSAGE(r.status().message(), mentions(r.status().message(), "ipn"));
        }
        std::string jumin = replaceOnce(xmlOf(sample(IpnMessage::Kind::FugoRequest)),
                                        "12345678901", "1234567890");
        CPPUNIT_ASSERT(!IpnMessage::parse(jumin, ipnParser()).isOk());
        std::string outcome = replaceOnce(xmlOf(sample(IpnMessage::Kind::ProvisionResponse)),
                                          ">provided<", ">maybe<");
        CPPUNIT_ASSERT(!IpnMessage::parse(outcome, ipnParser()).isOk());
    }

    void testBadMessageIdAndZonelessTimeRefused()
    {
        std::string good = xmlOf(sample(IpnMessage::Kind::FugoRequest));
        CPPUNIT_ASSERT(
            !IpnMessage::parse(replaceOnce(good, "msg-0001.test_A", "short"), ipnParser()).isOk());
        CPPUNIT_ASSERT(
            !IpnMessage::parse(replaceOnce(good, "msg-0001.test_A", "msg 0001 space"), ipnParser())
                 .isOk());
        CPPUNIT_ASSERT(!IpnMessage::parse(
                            replaceOnce(good, "2025-04-01T00:00:00Z", "2025-04-01T00:00:00"),
                            ipnParser())
                            .isOk());
    }

    void testDoctypeAndXxeRefused()
    {
        std::string good = xmlOf(sample(IpnMessage::Kind::FugoRequest));
        std::string body = good.substr(good.find("<FugoRequest"));
        std::string xxe = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<!DOCTYPE FugoRequest [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" +
                          replaceOnce(body, "12345678901", "&x;");
        Result<IpnMessage> r = IpnMessage::parse(xxe, ipnParser());
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT(!mentions(r.status().message(), "root:"));

        std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY a \"aaaa\">]>\n" + body;
        CPPUNIT_ASSERT(!IpnMessage::parse(laughs, ipnParser()).isOk());

        // Not XML at all, and an unknown root in the right namespace.
        CPPUNIT_ASSERT(!IpnMessage::parse("not xml", ipnParser()).isOk());
        CPPUNIT_ASSERT(
            !IpnMessage::parse("<Teapot xmlns=\"urn:chukan:ipn:1\"/>", ipnParser()).isOk());
    }

    void testForeignNamespaceRefused()
    {
        std::string xml = replaceOnce(xmlOf(sample(IpnMessage::Kind::Ack)), "urn:chukan:ipn:1",
                                      "urn:example:other");
        CPPUNIT_ASSERT(!IpnMessage::parse(xml, ipnParser()).isOk());
    }

    void testReplyHelpers()
    {
        IpnMessage req = sample(IpnMessage::Kind::Inquiry);
        Poco::Timestamp now = SignedTime::parse("2025-04-01T00:00:05Z", "t").value();
        IpnMessage ack = IpnMessage::ack(req.header, false, now);
        CPPUNIT_ASSERT_EQUAL(req.header.messageId, ack.header.inReplyTo);
        CPPUNIT_ASSERT_EQUAL(HOFU, ack.header.from);
        CPPUNIT_ASSERT_EQUAL(CHIBA, ack.header.to);
        CPPUNIT_ASSERT(ack.header.messageId != req.header.messageId);
        Result<IpnMessage> back = IpnMessage::parse(xmlOf(ack), ipnParser());
        CPPUNIT_ASSERT_MESSAGE(back.status().toString(), back.isOk());
        CPPUNIT_ASSERT(back.value() == ack);

        IpnMessage err = IpnMessage::error(req.header, IpnErrorCode::UNAVAILABLE, "down", now);
        CPPUNIT_ASSERT(err.isError(IpnErrorCode::UNAVAILABLE));
        CPPUNIT_ASSERT(IpnMessage::parse(xmlOf(err), ipnParser()).value() == err);
    }

    // An outbox holds ProvisionResponses as toXml() wrote them; batchXml() carries those bytes
    // and the receiver reads back exactly the messages that were stored.
    void testBatchOfStoredMessages()
    {
        std::vector<std::string> stored;
        std::vector<IpnMessage> messages;
        for (int i = 0; i < 4; ++i)
        {
            IpnMessage m = sample(IpnMessage::Kind::ProvisionResponse);
            m.header.messageId = "PS-S-00000" + std::to_string(i);
            m.serial = "S-00000" + std::to_string(i);
            if (i == 2)
            {
                m.outcome = "no_data";
                m.hasPayload = false;
                m.payload.clear();
            }
            messages.push_back(m);
            stored.push_back(xmlOf(m));
        }
        IpnHeader h = header(HOFU, IpnHeader::NETWORK);
        std::string xml = IpnMessage::batchXml(IpnMessage::Kind::Batch, h, stored);
        CPPUNIT_ASSERT_EQUAL(std::string::npos, xml.find("<?xml", 1)); // one declaration
        Result<IpnMessage> back = IpnMessage::parse(xml, ipnParser());
        CPPUNIT_ASSERT_MESSAGE(back.status().toString() + "\n" + xml, back.isOk());
        CPPUNIT_ASSERT(back.value().kind == IpnMessage::Kind::Batch);
        CPPUNIT_ASSERT(back.value().header == h);
        CPPUNIT_ASSERT_EQUAL(messages.size(), back.value().items.size());
        for (std::size_t i = 0; i < messages.size(); ++i)
            CPPUNIT_ASSERT_MESSAGE("item " + std::to_string(i), back.value().items[i] == messages[i]);
    }

    void testBatchShapesRefused()
    {
        IpnMessage batch = sample(IpnMessage::Kind::Batch);
        std::string good = xmlOf(batch);
        // Items of two kinds.
        IpnMessage mixed = batch;
        mixed.items[1] = sample(IpnMessage::Kind::PermitRequest);
        Result<IpnMessage> r = IpnMessage::parse(xmlOf(mixed), ipnParser());
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), mentions(r.status().message(), "item 2"));
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), mentions(r.status().message(), "one kind"));
        // A reply kind in a Batch, a request kind in a BatchReply, a batch in a batch, no items:
        // the schema refuses them.
        IpnMessage reply = batch;
        reply.items[0] = sample(IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT(!IpnMessage::parse(xmlOf(reply), ipnParser()).isOk());
        IpnMessage answers = sample(IpnMessage::Kind::BatchReply);
        answers.items[1] = sample(IpnMessage::Kind::Inquiry);
        CPPUNIT_ASSERT(!IpnMessage::parse(xmlOf(answers), ipnParser()).isOk());
        std::string nested = IpnMessage::batchXml(IpnMessage::Kind::Batch, batch.header, {good});
        CPPUNIT_ASSERT(!IpnMessage::parse(nested, ipnParser()).isOk());
        std::string empty = IpnMessage::batchXml(IpnMessage::Kind::Batch, batch.header, {});
        CPPUNIT_ASSERT(!IpnMessage::parse(empty, ipnParser()).isOk());
        // toXml() does not write a batch inside a batch.
        IpnMessage inside = batch;
        inside.items[0] = batch;
        CPPUNIT_ASSERT(!inside.toXml().isOk());
        // One item too many.
        IpnMessage big = batch;
        big.items.assign(IpnMessage::MAX_BATCH + 1, batch.items[0]);
        r = IpnMessage::parse(xmlOf(big), ipnParser());
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), mentions(r.status().message(), "at most 1000"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(IpnMessageTest);
