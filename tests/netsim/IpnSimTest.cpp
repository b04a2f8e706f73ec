// IpnSimTest: the simulator in process — 符号 per institution, permits issued and refused with typed reasons, faults, idempotency.
#include "codecs/PermitVerifier.h"
#include "codecs/SignedEnvelope.h"
#include "tests/netsim/NetsimFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>

using namespace chukan;
using namespace chukan::netsim_test;

namespace
{

struct Harness
{
    std::shared_ptr<ManualClock> clock =
        std::make_shared<ManualClock>(Poco::Timestamp().epochMicroseconds());
    std::mutex mutex;
    std::vector<SimDeliverer::Item> sent;
    std::unique_ptr<IpnSim> sim;

    explicit Harness(const std::string& fugoKey = std::string(32, '\x5a'))
    {
        sim = IpnSim::create(simConfig(
                                 clock,
                                 [this](const SimDeliverer::Item& item) -> Result<IpnMessage> {
                                     std::lock_guard<std::mutex> lock(mutex);
                                     sent.push_back(item);
                                     return IpnMessage::ack(item.message.header, false,
                                                            Poco::Timestamp());
                                 },
                                 fugoKey))
                  .value();
        // Endpoints so inquiries can be routed (the fake send never dials them).
        for (const std::string& code : {CHIBA, HOFU})
            CPPUNIT_ASSERT(sim->directory().upsert({code, "", "", "https://127.0.0.1:1", ""}));
    }

    IpnSim::Reply post(const std::string& path, const IpnMessage& m, const std::string& o,
                       const std::string& cn)
    {
        return sim->handle({"POST", path, m.toXml().value(), {o, cn}});
    }
    IpnMessage send(const std::string& path, const IpnMessage& m, const std::string& caller)
    {
        IpnSim::Reply r = post(path, m, caller == CHIBA ? "121002" : "352063", caller);
        Result<IpnMessage> parsed = IpnMessage::parse(r.body, *ipnParser());
        CPPUNIT_ASSERT_MESSAGE(r.body, parsed.isOk());
        return parsed.value();
    }
    IpnSim::Reply admin(const std::string& method, const std::string& path,
                        const std::string& body = "")
    {
        return sim->handle({method, path, body, {"ipn", "ipn-sim"}});
    }

    std::string fugo(const std::string& caller, const std::string& jumin)
    {
        IpnMessage m;
        m.kind = IpnMessage::Kind::FugoRequest;
        m.header = header(caller);
        m.juminhyoCode = jumin;
        IpnMessage r = send("/ipn/v1/fugo", m, caller);
        CPPUNIT_ASSERT_MESSAGE(r.errorMessage, r.kind == IpnMessage::Kind::FugoResponse);
        return r.fugo;
    }
    IpnMessage permitRequest(const std::string& requesterFugo, const std::string& item = ITEM,
                             const std::string& provider = HOFU)
    {
        IpnMessage m;
        m.kind = IpnMessage::Kind::PermitRequest;
        m.header = header(CHIBA);
        m.provider = provider;
        m.jimuCode = JIMU;
        m.procedureCode = PROC;
        m.dataItemCode = item;
        m.requesterFugo = requesterFugo;
        return m;
    }
    IpnMessage inquiry(const IpnMessage& permit)
    {
        IpnMessage m;
        m.kind = IpnMessage::Kind::Inquiry;
        m.header = header(CHIBA);
        m.serial = "S-1";
        m.permitId = permit.permitId;
        m.signedPermit = permit.signedPermit;
        return m;
    }
    std::size_t sentCount()
    {
        sim->deliverer().waitIdle(10000);
        std::lock_guard<std::mutex> lock(mutex);
        return sent.size();
    }
};

const PermitVerifier::SeenCheck NEVER = [](const Permit&) { return false; };

std::shared_ptr<const CryptoTrustStore> trust()
{
    return std::make_shared<CryptoTrustStore>(
        CryptoTrustStore::fromPem(Pki::get().pem("ca.pem")).value());
}

} // namespace

class IpnSimTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(IpnSimTest);
    CPPUNIT_TEST(testFugoDiffersPerInstitutionAndIsStable);
    CPPUNIT_TEST(testFugoOnlyTranslatedByTheNetwork);
    CPPUNIT_TEST(testUnknownCertificateRefused);
    CPPUNIT_TEST(testPermitIssuedAndVerifiesAtProvider);
    CPPUNIT_TEST(testPermitRefusalsAreTyped);
    CPPUNIT_TEST(testCorruptSignatureFaultDetected);
    CPPUNIT_TEST(testPermitChangedAfterIssueRefused);
    CPPUNIT_TEST(testInquiryRoutedWithProviderFugo);
    CPPUNIT_TEST(testInquiryRefusals);
    CPPUNIT_TEST(testDuplicatesAnsweredIdempotently);
    CPPUNIT_TEST(testReorderFault);
    CPPUNIT_TEST(testDownFaultAndAdminOnly);
    CPPUNIT_TEST(testInvalidMessagesRefused);
    CPPUNIT_TEST(testSignedDocumentsVerify);
    CPPUNIT_TEST(testExpirePermitFaultReachesTheProvider);
    CPPUNIT_TEST(testReplayFaultResendsThePermitUnderANewId);
    CPPUNIT_TEST(testLostInquiryForwardedAgainOnResend);
    CPPUNIT_TEST(testLostResponseForwardedAgainOnInquiryResend);
    CPPUNIT_TEST(testBatchItemsActedOnAsIfAlone);
    CPPUNIT_TEST(testBatchAtTheWrongPathRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFugoDiffersPerInstitutionAndIsStable()
    {
        Harness h;
        std::string chiba = h.fugo(CHIBA, "12345678901");
        std::string hofu = h.fugo(HOFU, "12345678901");
        CPPUNIT_ASSERT(chiba != hofu);
        CPPUNIT_ASSERT_EQUAL(chiba, h.fugo(CHIBA, "12345678901")); // new message, same 符号
        CPPUNIT_ASSERT(chiba != h.fugo(CHIBA, "12345678902"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), h.sim->log().count("FugoRequest", "ok"));
    }

    void testFugoOnlyTranslatedByTheNetwork()
    {
        Harness net;
        Harness otherNetwork(std::string(32, '\x01')); // same scheme, another K_net
        std::string chiba = net.fugo(CHIBA, "12345678901");
        // Another key cannot produce Hofu's 符号 for the same person...
        CPPUNIT_ASSERT(otherNetwork.fugo(HOFU, "12345678901") != net.fugo(HOFU, "12345678901"));
        // ...and a 符号 not issued by this network is refused (NO_FUGO).
        IpnMessage r = net.send("/ipn/v1/permits",
                                net.permitRequest(otherNetwork.fugo(CHIBA, "12345678901")), CHIBA);
        CPPUNIT_ASSERT_MESSAGE(r.errorMessage, r.isError(IpnErrorCode::NO_FUGO));
        // Hofu's 符号 presented by Chiba is not Chiba's: refused as well.
        r = net.send("/ipn/v1/permits", net.permitRequest(net.fugo(HOFU, "12345678903")), CHIBA);
        CPPUNIT_ASSERT(r.isError(IpnErrorCode::NO_FUGO));
        // Through the network, Chiba's 符号 reaches Hofu as Hofu's 符号 of the same person.
        IpnMessage permit = net.send("/ipn/v1/permits", net.permitRequest(chiba), CHIBA);
        CPPUNIT_ASSERT(permit.kind == IpnMessage::Kind::PermitResponse);
        CPPUNIT_ASSERT(net.send("/ipn/v1/inquiries", net.inquiry(permit), CHIBA).kind ==
                       IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), net.sentCount());
        CPPUNIT_ASSERT_EQUAL(net.sim->fugoIssuer().fugo("12345678901", HOFU),
                             net.sent[0].message.providerFugo);
    }

    void testUnknownCertificateRefused()
    {
        Harness h;
        IpnMessage m;
        m.kind = IpnMessage::Kind::FugoRequest;
        m.header = header(CHIBA);
        m.juminhyoCode = "12345678901";
        for (auto [o, cn] : std::initializer_list<std::pair<std::string, std::string>>{
                 {"121002", "juki"},          // a business system of Chiba, not the institution
                 {"352063", CHIBA},           // the code under the wrong tenant
                 {"ipn", "ipn-sim"},          // the simulator's own admin certificate
                 {"", ""}})                   // no certificate subject at all
        {
            IpnSim::Reply r = h.post("/ipn/v1/fugo", m, o, cn);
            CPPUNIT_ASSERT_EQUAL(403, r.status);
            CPPUNIT_ASSERT(IpnMessage::parse(r.body, *ipnParser())
                               .value()
                               .isError(IpnErrorCode::UNKNOWN_INSTITUTION));
        }
        // From must be the certificate's institution.
        m.header.from = HOFU;
        IpnSim::Reply r = h.post("/ipn/v1/fugo", m, "121002", CHIBA);
        CPPUNIT_ASSERT(IpnMessage::parse(r.body, *ipnParser()).value().isError(IpnErrorCode::INVALID_MESSAGE));
    }

    void testPermitIssuedAndVerifiesAtProvider()
    {
        Harness h;
        IpnMessage r = h.send("/ipn/v1/permits", h.permitRequest(h.fugo(CHIBA, "12345678901")), CHIBA);
        CPPUNIT_ASSERT_MESSAGE(r.errorMessage, r.kind == IpnMessage::Kind::PermitResponse);
        Poco::Timestamp now(h.clock->nowMicros());
        Result<Permit> p = PermitVerifier(trust(), HOFU).verify(r.signedPermit, now, NEVER);
        CPPUNIT_ASSERT_MESSAGE(p.status().toString(), p.isOk());
        CPPUNIT_ASSERT_EQUAL(r.permitId, p->permitId);
        CPPUNIT_ASSERT_EQUAL(CHIBA, p->requesterInstitution);
        CPPUNIT_ASSERT_EQUAL(ITEM, p->dataItemCode);
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(600, 0).totalMicroseconds(),
                             p->expiry - p->notBefore);
        // The requester never sees the provider's 符号.
        CPPUNIT_ASSERT(r.signedPermit.find(h.sim->fugoIssuer().fugo("12345678901", HOFU)) ==
                       std::string::npos);
        // Not addressed to Chiba as a provider.
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED,
                             PermitVerifier(trust(), CHIBA).verify(r.signedPermit, now, NEVER).status().code());
    }

    void testPermitRefusalsAreTyped()
    {
        Harness h;
        std::string f = h.fugo(CHIBA, "12345678901");
        IpnMessage r = h.send("/ipn/v1/permits", h.permitRequest(f, "TM00000000000099"), CHIBA);
        CPPUNIT_ASSERT(r.isError(IpnErrorCode::NOT_PERMITTED));
        CPPUNIT_ASSERT(r.errorMessage.find("TM00000000000099") != std::string::npos);
        CPPUNIT_ASSERT(r.errorMessage.find("no entry in the permission list") != std::string::npos);

        r = h.send("/ipn/v1/permits", h.permitRequest(f, "TM00000000000020"), CHIBA); // expired entry
        CPPUNIT_ASSERT(r.isError(IpnErrorCode::NOT_PERMITTED));
        CPPUNIT_ASSERT_MESSAGE(r.errorMessage, r.errorMessage.find("valid from") != std::string::npos);

        r = h.send("/ipn/v1/permits", h.permitRequest(f, ITEM, "9999990000000000"), CHIBA);
        CPPUNIT_ASSERT(r.isError(IpnErrorCode::UNKNOWN_INSTITUTION));

        // Well-formed but never issued 符号.
        r = h.send("/ipn/v1/permits", h.permitRequest("AAAAAAAAAAAAAAAAAAAAAA"), CHIBA);
        CPPUNIT_ASSERT(r.isError(IpnErrorCode::NO_FUGO));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.sim->metrics().value("ipn_sim_permits_issued_total"));
    }

    void testCorruptSignatureFaultDetected()
    {
        Harness h;
        std::string f = h.fugo(CHIBA, "12345678901");
        CPPUNIT_ASSERT_EQUAL(200, h.admin("POST", "/sim/v1/faults", "{\"corruptSignatureNext\":1}").status);
        IpnMessage bad = h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA);
        IpnMessage good = h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA);
        Poco::Timestamp now(h.clock->nowMicros());
        Result<Permit> v = PermitVerifier(trust(), HOFU).verify(bad.signedPermit, now, NEVER);
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, v.status().code());
        CPPUNIT_ASSERT(PermitVerifier(trust(), HOFU).verify(good.signedPermit, now, NEVER).isOk());
        // The network itself refuses to route under the corrupted permit.
        IpnMessage r = h.send("/ipn/v1/inquiries", h.inquiry(bad), CHIBA);
        CPPUNIT_ASSERT_MESSAGE(r.errorMessage, r.isError(IpnErrorCode::BAD_PERMIT));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.sentCount());
    }

    /// The network skips the signature check only for a permit it issued, byte for byte: one
    /// whose signature or payload the requester changed is verified, and refused.
    void testPermitChangedAfterIssueRefused()
    {
        Harness h;
        IpnMessage permit = h.send("/ipn/v1/permits", h.permitRequest(h.fugo(CHIBA, "12345678901")), CHIBA);
        Result<SignedEnvelope> issued = SignedEnvelope::parse(permit.signedPermit);
        CPPUNIT_ASSERT(issued.isOk());
        std::string sig = issued->signature();
        sig[sig.size() / 2] = static_cast<char>(sig[sig.size() / 2] ^ 0x01);
        IpnMessage badSignature = h.inquiry(permit);
        badSignature.signedPermit = SignedEnvelope(issued->payload(), sig, issued->signerPem()).toJson();
        IpnMessage r = h.send("/ipn/v1/inquiries", badSignature, CHIBA);
        CPPUNIT_ASSERT_MESSAGE(r.errorMessage, r.isError(IpnErrorCode::BAD_PERMIT));
        std::string payload = issued->payload();
        payload.replace(payload.find(HOFU), HOFU.size(), CHIBA); // another provider
        IpnMessage badPayload = h.inquiry(permit);
        badPayload.header.messageId = "IQ-changed-payload";
        badPayload.signedPermit = SignedEnvelope(payload, issued->signature(), issued->signerPem()).toJson();
        r = h.send("/ipn/v1/inquiries", badPayload, CHIBA);
        CPPUNIT_ASSERT_MESSAGE(r.errorMessage, r.isError(IpnErrorCode::BAD_PERMIT));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.sentCount());
        // The permit as issued is routed.
        IpnMessage good = h.inquiry(permit);
        good.header.messageId = "IQ-as-issued";
        IpnMessage ack = h.send("/ipn/v1/inquiries", good, CHIBA);
        CPPUNIT_ASSERT_MESSAGE(ack.errorMessage, ack.kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sentCount());
    }

    void testInquiryRoutedWithProviderFugo()
    {
        Harness h;
        IpnMessage permit =
            h.send("/ipn/v1/permits", h.permitRequest(h.fugo(CHIBA, "12345678901")), CHIBA);
        IpnMessage inq = h.inquiry(permit);
        IpnMessage ack = h.send("/ipn/v1/inquiries", inq, CHIBA);
        CPPUNIT_ASSERT_MESSAGE(ack.errorMessage, ack.kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(inq.header.messageId, ack.header.inReplyTo);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sentCount());
        const SimDeliverer::Item& out = h.sent[0];
        CPPUNIT_ASSERT_EQUAL(std::string("https://127.0.0.1:1/ipn-in/v1/inquiries"), out.url);
        CPPUNIT_ASSERT_EQUAL(HOFU, out.message.header.to);
        CPPUNIT_ASSERT_EQUAL(CHIBA, out.message.header.from);
        CPPUNIT_ASSERT_EQUAL(inq.header.messageId, out.message.header.messageId);
        CPPUNIT_ASSERT_EQUAL(h.sim->fugoIssuer().fugo("12345678901", HOFU), out.message.providerFugo);
        CPPUNIT_ASSERT(!out.message.route.empty());

        // The provider answers; the network routes it to Chiba with the payload untouched.
        IpnMessage resp;
        resp.kind = IpnMessage::Kind::ProvisionResponse;
        resp.header = header(HOFU);
        resp.serial = "S-1";
        resp.permitId = permit.permitId;
        resp.outcome = "provided";
        resp.payload = std::string("\x30\x80opaque-cms\x00\x01", 14);
        resp.hasPayload = true;
        resp.route = out.message.route;
        CPPUNIT_ASSERT(h.send("/ipn/v1/responses", resp, HOFU).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), h.sentCount());
        CPPUNIT_ASSERT_EQUAL(std::string("https://127.0.0.1:1/ipn-in/v1/responses"), h.sent[1].url);
        CPPUNIT_ASSERT_EQUAL(CHIBA, h.sent[1].message.header.to);
        CPPUNIT_ASSERT(resp.payload == h.sent[1].message.payload);
    }

    void testInquiryRefusals()
    {
        Harness h;
        std::string f = h.fugo(CHIBA, "12345678901");
        IpnMessage permit = h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA);

        // Hofu cannot use Chiba's permit.
        IpnMessage stolen = h.inquiry(permit);
        stolen.header.from = HOFU;
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", stolen, HOFU).isError(IpnErrorCode::BAD_PERMIT));
        // PermitId must be the permit's.
        IpnMessage mismatch = h.inquiry(permit);
        mismatch.permitId = "PMT-someone-else";
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", mismatch, CHIBA).isError(IpnErrorCode::BAD_PERMIT));
        // Addressed to another provider.
        IpnMessage misaddressed = h.inquiry(permit);
        misaddressed.header.to = CHIBA;
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", misaddressed, CHIBA)
                           .isError(IpnErrorCode::PERMIT_MISADDRESSED));
        // First use routes; a second use under a new MessageId is a replay.
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", h.inquiry(permit), CHIBA).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", h.inquiry(permit), CHIBA)
                           .isError(IpnErrorCode::PERMIT_REPLAYED));
        // A response from the requester (not the provider) is refused.
        IpnMessage resp;
        resp.kind = IpnMessage::Kind::ProvisionResponse;
        resp.header = header(CHIBA);
        resp.serial = "S-1";
        resp.permitId = permit.permitId;
        resp.outcome = "no_data";
        CPPUNIT_ASSERT(h.send("/ipn/v1/responses", resp, CHIBA).isError(IpnErrorCode::PERMIT_MISADDRESSED));

        // Expiry: a fresh permit used after its validity.
        IpnMessage late = h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA);
        h.clock->advanceSeconds(601);
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", h.inquiry(late), CHIBA)
                           .isError(IpnErrorCode::PERMIT_EXPIRED));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sentCount());
    }

    void testDuplicatesAnsweredIdempotently()
    {
        Harness h;
        IpnMessage fr;
        fr.kind = IpnMessage::Kind::FugoRequest;
        fr.header = header(CHIBA);
        fr.juminhyoCode = "12345678901";
        IpnSim::Reply a = h.post("/ipn/v1/fugo", fr, "121002", CHIBA);
        IpnSim::Reply b = h.post("/ipn/v1/fugo", fr, "121002", CHIBA);
        CPPUNIT_ASSERT_EQUAL(a.body, b.body); // byte-identical answer

        IpnMessage pr = h.permitRequest(IpnMessage::parse(a.body, *ipnParser()).value().fugo);
        IpnMessage p1 = h.send("/ipn/v1/permits", pr, CHIBA);
        IpnMessage p2 = h.send("/ipn/v1/permits", pr, CHIBA);
        CPPUNIT_ASSERT(p1 == p2);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.sim->metrics().value("ipn_sim_permits_issued_total"));

        IpnMessage inq = h.inquiry(p1);
        IpnMessage ack1 = h.send("/ipn/v1/inquiries", inq, CHIBA);
        IpnMessage ack2 = h.send("/ipn/v1/inquiries", inq, CHIBA);
        CPPUNIT_ASSERT(!ack1.duplicate);
        CPPUNIT_ASSERT(ack2.duplicate);
        CPPUNIT_ASSERT_EQUAL(ack1.header.messageId, ack2.header.messageId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sentCount()); // delivered once, not twice
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sim->log().count("Inquiry", "duplicate"));
    }

    void testReorderFault()
    {
        Harness h;
        std::string f = h.fugo(CHIBA, "12345678901");
        CPPUNIT_ASSERT_EQUAL(200, h.admin("POST", "/sim/v1/faults", "{\"reorder\":true}").status);
        IpnMessage first = h.inquiry(h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA));
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", first, CHIBA).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.sentCount()); // held
        IpnMessage second = h.inquiry(h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA));
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", second, CHIBA).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), h.sentCount());
        CPPUNIT_ASSERT_EQUAL(second.header.messageId, h.sent[0].message.header.messageId);
        CPPUNIT_ASSERT_EQUAL(first.header.messageId, h.sent[1].message.header.messageId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sim->log().count("deliver:Inquiry", "held"));
    }

    void testDownFaultAndAdminOnly()
    {
        Harness h;
        CPPUNIT_ASSERT_EQUAL(200, h.admin("POST", "/sim/v1/faults", "{\"downForMs\":60000}").status);
        IpnMessage fr;
        fr.kind = IpnMessage::Kind::FugoRequest;
        fr.header = header(CHIBA);
        fr.juminhyoCode = "12345678901";
        IpnSim::Reply r = h.post("/ipn/v1/fugo", fr, "121002", CHIBA);
        CPPUNIT_ASSERT_EQUAL(503, r.status);
        CPPUNIT_ASSERT(IpnMessage::parse(r.body, *ipnParser()).value().isError(IpnErrorCode::UNAVAILABLE));
        // Time passes (injected clock): the network is back, and the same message now acts.
        h.clock->advanceSeconds(61);
        CPPUNIT_ASSERT(h.send("/ipn/v1/fugo", fr, CHIBA).kind == IpnMessage::Kind::FugoResponse);

        // Institutions cannot use the admin endpoints.
        IpnSim::Reply denied =
            h.sim->handle({"POST", "/sim/v1/faults", "{\"downForMs\":1}", {"121002", CHIBA}});
        CPPUNIT_ASSERT_EQUAL(403, denied.status);
        CPPUNIT_ASSERT_EQUAL(400, h.admin("POST", "/sim/v1/faults", "{\"explode\":1}").status);
        CPPUNIT_ASSERT(h.admin("GET", "/sim/v1/log").body.find("\"counts\"") != std::string::npos);
        CPPUNIT_ASSERT(h.admin("GET", "/metrics").body.find("ipn_sim_requests_total") != std::string::npos);
    }

    void testInvalidMessagesRefused()
    {
        Harness h;
        std::string xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM "
                          "\"file:///etc/passwd\">]><FugoRequest xmlns=\"urn:chukan:ipn:1\">&e;</FugoRequest>";
        IpnSim::Reply r = h.sim->handle({"POST", "/ipn/v1/fugo", xxe, {"121002", CHIBA}});
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT(IpnMessage::parse(r.body, *ipnParser()).value().isError(IpnErrorCode::INVALID_MESSAGE));
        CPPUNIT_ASSERT(r.body.find("root:") == std::string::npos);
        // The right message on the wrong path.
        IpnMessage fr;
        fr.kind = IpnMessage::Kind::FugoRequest;
        fr.header = header(CHIBA);
        fr.juminhyoCode = "12345678901";
        r = h.post("/ipn/v1/permits", fr, "121002", CHIBA);
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT_EQUAL(404, h.sim->handle({"GET", "/nowhere", "", {"121002", CHIBA}}).status);
    }

    void testSignedDocumentsVerify()
    {
        Harness h;
        Poco::Timestamp now(h.clock->nowMicros());
        IpnSim::Reply list = h.sim->handle({"GET", "/ipn/v1/permission-list", "", {"352063", HOFU}});
        CPPUNIT_ASSERT_EQUAL(200, list.status);
        SignedEnvelope e = SignedEnvelope::parse(list.body).value();
        CPPUNIT_ASSERT(e.verify(*trust(), now));
        PermitList pl = PermitList::parse(e.payload()).value();
        CPPUNIT_ASSERT(pl.find(HOFU, CHIBA, JIMU, PROC, ITEM, now) != nullptr);

        IpnSim::Reply dir = h.sim->handle({"GET", "/ipn/v1/directory", "", {"121002", CHIBA}});
        SignedEnvelope d = SignedEnvelope::parse(dir.body).value();
        CPPUNIT_ASSERT(d.verify(*trust(), now));
        SignedDirectory sd = SignedDirectory::parse(d.payload()).value();
        CPPUNIT_ASSERT_EQUAL(std::string("https://127.0.0.1:1"), sd.find(HOFU)->endpoint);
        // Registering an endpoint changes the published directory.
        CPPUNIT_ASSERT_EQUAL(200, h.admin("POST", "/sim/v1/institutions",
                                          "{\"code\":\"" + HOFU + "\",\"endpoint\":\"https://127.0.0.1:2\"}")
                                      .status);
        dir = h.sim->handle({"GET", "/ipn/v1/directory", "", {"121002", CHIBA}});
        sd = SignedDirectory::parse(SignedEnvelope::parse(dir.body).value().payload()).value();
        CPPUNIT_ASSERT_EQUAL(std::string("https://127.0.0.1:2"), sd.find(HOFU)->endpoint);
        CPPUNIT_ASSERT_EQUAL(404, h.admin("POST", "/sim/v1/institutions",
                                          "{\"code\":\"9999990000000000\",\"endpoint\":\"https://127.0.0.1:2\"}")
                                      .status);
    }

    void testExpirePermitFaultReachesTheProvider()
    {
        Harness h;
        std::string f = h.fugo(CHIBA, "12345678901");
        IpnSim::Reply set = h.admin("POST", "/sim/v1/faults", "{\"expirePermitNext\":1}");
        CPPUNIT_ASSERT_EQUAL(200, set.status);
        CPPUNIT_ASSERT(set.body.find("\"expirePermitNext\":1") != std::string::npos);
        IpnMessage expired = h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA);
        IpnMessage fresh = h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA);
        Poco::Timestamp now(h.clock->nowMicros());
        // Signed by the network, but its validity has ended: the provider's check refuses it.
        Result<Permit> v = PermitVerifier(trust(), HOFU).verify(expired.signedPermit, now, NEVER);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, v.status().code());
        CPPUNIT_ASSERT(v.status().message().find("expired") != std::string::npos);
        CPPUNIT_ASSERT(PermitVerifier(trust(), HOFU).verify(fresh.signedPermit, now, NEVER).isOk());
        // The network routes it anyway (the fault), so the provider gets to see it.
        IpnMessage ack = h.send("/ipn/v1/inquiries", h.inquiry(expired), CHIBA);
        CPPUNIT_ASSERT_MESSAGE(ack.errorMessage, ack.kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sentCount());
        CPPUNIT_ASSERT_EQUAL(expired.permitId, h.sent[0].message.permitId);
    }

    void testReplayFaultResendsThePermitUnderANewId()
    {
        Harness h;
        std::string f = h.fugo(CHIBA, "12345678901");
        CPPUNIT_ASSERT_EQUAL(200, h.admin("POST", "/sim/v1/faults", "{\"replayNext\":1}").status);
        IpnMessage permit = h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA);
        IpnMessage inq = h.inquiry(permit);
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", inq, CHIBA).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), h.sentCount());
        // The original first, then the same permit, 符号 and route under a new MessageId.
        CPPUNIT_ASSERT_EQUAL(inq.header.messageId, h.sent[0].message.header.messageId);
        CPPUNIT_ASSERT_EQUAL(inq.header.messageId + ".rp", h.sent[1].message.header.messageId);
        CPPUNIT_ASSERT(h.sent[0].message.signedPermit == h.sent[1].message.signedPermit);
        CPPUNIT_ASSERT_EQUAL(h.sent[0].message.route, h.sent[1].message.route);
        CPPUNIT_ASSERT_EQUAL(h.sent[0].message.providerFugo, h.sent[1].message.providerFugo);
        // One fault, one replay.
        IpnMessage next = h.inquiry(h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA));
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", next, CHIBA).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), h.sentCount());
    }

    void testLostInquiryForwardedAgainOnResend()
    {
        Harness h;
        std::string f = h.fugo(CHIBA, "12345678901");
        IpnMessage inq = h.inquiry(h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA));
        CPPUNIT_ASSERT_EQUAL(200, h.admin("POST", "/sim/v1/faults", "{\"dropNext\":1}").status);
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", inq, CHIBA).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.sentCount()); // dropped
        // The requester sends it again, same MessageId: same answer, and the lost forward goes again.
        IpnMessage again = h.send("/ipn/v1/inquiries", inq, CHIBA);
        CPPUNIT_ASSERT(again.kind == IpnMessage::Kind::Ack && again.duplicate);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sentCount());
        CPPUNIT_ASSERT_EQUAL(inq.header.messageId, h.sent[0].message.header.messageId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sim->log().count("deliver:Inquiry", "resent"));
        // Once delivered, a further resend is only answered.
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", inq, CHIBA).duplicate);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sentCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sim->log().count("deliver:Inquiry", "resent"));
    }

    void testLostResponseForwardedAgainOnInquiryResend()
    {
        Harness h;
        std::string f = h.fugo(CHIBA, "12345678901");
        IpnMessage permit = h.send("/ipn/v1/permits", h.permitRequest(f), CHIBA);
        IpnMessage inq = h.inquiry(permit);
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", inq, CHIBA).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sentCount());
        CPPUNIT_ASSERT_EQUAL(200, h.admin("POST", "/sim/v1/faults", "{\"dropNext\":1}").status);
        IpnMessage resp;
        resp.kind = IpnMessage::Kind::ProvisionResponse;
        resp.header = header(HOFU);
        resp.serial = "S-1";
        resp.permitId = permit.permitId;
        resp.outcome = "no_data";
        resp.reasonCode = "NO_DATA";
        resp.route = h.sent[0].message.route;
        CPPUNIT_ASSERT(h.send("/ipn/v1/responses", resp, HOFU).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sentCount()); // the response was dropped
        // The requester, still waiting, resends its inquiry: the lost response goes again.
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", inq, CHIBA).duplicate);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), h.sentCount());
        CPPUNIT_ASSERT_EQUAL(resp.header.messageId, h.sent[1].message.header.messageId);
        CPPUNIT_ASSERT_EQUAL(CHIBA, h.sent[1].message.header.to);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sim->log().count("deliver:ProvisionResponse", "resent"));
        CPPUNIT_ASSERT_EQUAL(std::string("no_data"), h.sent[1].message.outcome); // the whole message
        // Both ways delivered now: a resend of either is only answered, nothing goes again.
        CPPUNIT_ASSERT(h.send("/ipn/v1/inquiries", inq, CHIBA).duplicate);
        CPPUNIT_ASSERT(h.send("/ipn/v1/responses", resp, HOFU).duplicate);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), h.sentCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sim->log().count("deliver:ProvisionResponse", "resent"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.sim->log().count("deliver:Inquiry", "resent"));
    }

    static IpnMessage batchOf(const std::vector<IpnMessage>& items, const std::string& from = CHIBA)
    {
        IpnMessage b;
        b.kind = IpnMessage::Kind::Batch;
        b.header = header(from);
        b.items = items;
        return b;
    }

    void testBatchItemsActedOnAsIfAlone()
    {
        Harness h;
        std::string f1 = h.fugo(CHIBA, "12345678901");
        std::string f2 = h.fugo(CHIBA, "12345678902");
        IpnMessage notPermitted = h.permitRequest(f1, "TM00000000000099");
        IpnMessage neverIssued = h.permitRequest("AAAAAAAAAAAAAAAAAAAAAA");
        IpnMessage foreign = h.permitRequest(f2);
        foreign.header.from = HOFU; // not the certificate's institution
        IpnMessage permits = batchOf({h.permitRequest(f1), notPermitted, neverIssued, h.permitRequest(f2), foreign});
        IpnMessage reply = h.send("/ipn/v1/batch", permits, CHIBA);
        CPPUNIT_ASSERT_MESSAGE(reply.errorMessage, reply.kind == IpnMessage::Kind::BatchReply);
        CPPUNIT_ASSERT_EQUAL(permits.header.messageId, reply.header.inReplyTo);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), reply.items.size());
        for (std::size_t i = 0; i < 5; ++i)
            CPPUNIT_ASSERT_EQUAL(permits.items[i].header.messageId, reply.items[i].header.inReplyTo);
        CPPUNIT_ASSERT(reply.items[0].kind == IpnMessage::Kind::PermitResponse);
        CPPUNIT_ASSERT(reply.items[1].isError(IpnErrorCode::NOT_PERMITTED));
        CPPUNIT_ASSERT(reply.items[2].isError(IpnErrorCode::NO_FUGO));
        CPPUNIT_ASSERT(reply.items[3].kind == IpnMessage::Kind::PermitResponse);
        CPPUNIT_ASSERT(reply.items[4].isError(IpnErrorCode::INVALID_MESSAGE));
        CPPUNIT_ASSERT(reply.items[4].errorMessage.find("Header/From") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.sim->metrics().value("ipn_sim_permits_issued_total"));
        // Each item has its own routing log line, as if posted alone, and the batch one more.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), h.sim->log().count("PermitRequest", "ok"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sim->log().count("PermitRequest", "NOT_PERMITTED"));

        // The same items again, in a batch of their own or alone: the answers of the first time.
        IpnMessage again = h.send("/ipn/v1/batch", batchOf({permits.items[3], permits.items[0]}), CHIBA);
        CPPUNIT_ASSERT(again.items[0] == reply.items[3]);
        CPPUNIT_ASSERT(again.items[1] == reply.items[0]);
        CPPUNIT_ASSERT(h.send("/ipn/v1/permits", permits.items[0], CHIBA) == reply.items[0]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.sim->metrics().value("ipn_sim_permits_issued_total"));

        // Inquiries under both permits: each is acknowledged and forwarded on its own.
        IpnMessage i1 = h.inquiry(reply.items[0]);
        IpnMessage i2 = h.inquiry(reply.items[3]);
        i2.serial = "S-2";
        IpnMessage acks = h.send("/ipn/v1/batch", batchOf({i1, i2}), CHIBA);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), acks.items.size());
        CPPUNIT_ASSERT(acks.items[0].kind == IpnMessage::Kind::Ack && !acks.items[0].duplicate);
        CPPUNIT_ASSERT(acks.items[1].kind == IpnMessage::Kind::Ack && !acks.items[1].duplicate);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), h.sentCount());
        CPPUNIT_ASSERT_EQUAL(h.sim->fugoIssuer().fugo("12345678902", HOFU), h.sent[1].message.providerFugo);
        // Sent again inside a batch: duplicates, nothing forwarded twice.
        acks = h.send("/ipn/v1/batch", batchOf({i2}), CHIBA);
        CPPUNIT_ASSERT(acks.items[0].duplicate);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), h.sentCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.sim->log().count("Inquiry", "duplicate"));
    }

    void testBatchAtTheWrongPathRefused()
    {
        Harness h;
        std::string f = h.fugo(CHIBA, "12345678901");
        IpnMessage b = batchOf({h.permitRequest(f)});
        IpnMessage r = h.send("/ipn/v1/permits", b, CHIBA);
        CPPUNIT_ASSERT(r.isError(IpnErrorCode::INVALID_MESSAGE));
        CPPUNIT_ASSERT_MESSAGE(r.errorMessage, r.errorMessage.find("Batch cannot be posted to /ipn/v1/permits") !=
                                                   std::string::npos);
        r = h.send("/ipn/v1/batch", h.permitRequest(f), CHIBA);
        CPPUNIT_ASSERT(r.isError(IpnErrorCode::INVALID_MESSAGE));
        CPPUNIT_ASSERT_MESSAGE(r.errorMessage, r.errorMessage.find("PermitRequest cannot be posted to /ipn/v1/batch") !=
                                                   std::string::npos);
        // A batch in another institution's name is refused whole: no item is acted on.
        r = h.send("/ipn/v1/batch", batchOf({h.permitRequest(f)}, HOFU), CHIBA);
        CPPUNIT_ASSERT(r.isError(IpnErrorCode::INVALID_MESSAGE));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.sim->metrics().value("ipn_sim_permits_issued_total"));
        // The network down: the batch is answered UNAVAILABLE whole, and its items later as new.
        CPPUNIT_ASSERT_EQUAL(200, h.admin("POST", "/sim/v1/faults", "{\"downForMs\":60000}").status);
        r = h.send("/ipn/v1/batch", b, CHIBA);
        CPPUNIT_ASSERT(r.isError(IpnErrorCode::UNAVAILABLE));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(IpnSimTest);
