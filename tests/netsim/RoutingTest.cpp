// RoutingTest: ipn-sim over real mutual TLS routes an inquiry and its response between fake inbound endpoints; the log holds no content.
#include "tests/netsim/NetsimFixture.h"
#include "tests/netsim/SimHttpsServer.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <unistd.h>

using namespace chukan;
using namespace chukan::netsim_test;

namespace
{

const std::string JUMIN = "98765432109";
const std::string MARKER = "PAYLOAD-MARKER-5d1e";

/// An institution's inbound endpoint (/ipn-in/v1/...): accepts only the network's client
/// certificate, records what arrives, answers Ack (Duplicate=true for a MessageId seen before).
struct FakeInbound
{
    std::mutex mutex;
    std::vector<std::pair<std::string, IpnMessage>> received; // path, message
    std::set<std::string> seen;
    std::unique_ptr<SimHttpsServer> server;

    explicit FakeInbound(const std::string& tenant)
    {
        server = std::make_unique<SimHttpsServer>(
            [this](const IpnSim::Request& r) {
                if (r.caller.organization != "ipn" || r.caller.commonName != "ipn-sim")
                    return IpnSim::Reply{403, "text/plain", "not the network\n"};
                IpnMessage m = IpnMessage::parse(r.body, *ipnParser()).value();
                std::lock_guard<std::mutex> lock(mutex);
                received.emplace_back(r.path, m);
                bool dup = !seen.insert(m.header.messageId).second;
                return IpnSim::Reply{200, "application/xml",
                                     IpnMessage::ack(m.header, dup, Poco::Timestamp()).toXml().value()};
            },
            serverTls(tenant + "/server"), "127.0.0.1", 0);
    }
    std::vector<std::pair<std::string, IpnMessage>> snapshot()
    {
        std::lock_guard<std::mutex> lock(mutex);
        return received;
    }
};

std::string tempFile()
{
    char tmpl[] = "/tmp/chukan-routing-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd >= 0)
        ::close(fd);
    return tmpl;
}

struct Network
{
    std::string logPath = tempFile();
    std::shared_ptr<IpnClient> outbound;
    std::unique_ptr<IpnSim> sim;
    std::unique_ptr<SimHttpsServer> server;
    FakeInbound chibaIn{"121002"};
    FakeInbound hofuIn{"352063"};

    Network()
    {
        IpnClient::Options o;
        o.tls = clientTls("network/client");
        o.parser = ipnParser();
        o.baseDelay = std::chrono::milliseconds(1);
        outbound = std::make_shared<IpnClient>(o);
        IpnSim::Config c = simConfig(std::make_shared<SystemClock>(),
                                     [out = outbound](const SimDeliverer::Item& item) {
                                         return out->post(item.url, item.message);
                                     });
        c.log = std::make_shared<RoutingLog>(logPath);
        sim = IpnSim::create(std::move(c)).value();
        server = std::make_unique<SimHttpsServer>(
            [this](const IpnSim::Request& r) { return sim->handle(r); },
            serverTls("network/server"), "127.0.0.1", 0);
        // What a gateway's operator (or the sandbox) does once the gateway has its port.
        for (auto [code, in] : {std::make_pair(CHIBA, &chibaIn), std::make_pair(HOFU, &hofuIn)})
        {
            IpnSim::Reply r = sim->handle({"POST", "/sim/v1/institutions",
                                           "{\"code\":\"" + code + "\",\"endpoint\":\"" +
                                               in->server->baseUrl() + "\"}",
                                           {"ipn", "ipn-sim"}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        }
    }
    ~Network()
    {
        server->stop();
        sim.reset();
        ::unlink(logPath.c_str());
    }
    std::string url(const std::string& path) const { return server->baseUrl() + path; }
};

std::unique_ptr<IpnClient> institutionClient(const std::string& who)
{
    IpnClient::Options o;
    o.tls = clientTls(who);
    o.parser = ipnParser();
    return std::make_unique<IpnClient>(o);
}

IpnMessage fugoRequest(const std::string& from)
{
    IpnMessage m;
    m.kind = IpnMessage::Kind::FugoRequest;
    m.header = header(from);
    m.juminhyoCode = JUMIN;
    return m;
}

} // namespace

class RoutingTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RoutingTest);
    CPPUNIT_TEST(testInquiryAndResponseRoutedOverTls);
    CPPUNIT_TEST(testDuplicateAndDropFaults);
    CPPUNIT_TEST(testUnknownCertificateOverTls);
    CPPUNIT_TEST_SUITE_END();

public:
    void testInquiryAndResponseRoutedOverTls()
    {
        Network net;
        auto chiba = institutionClient("121002/client");
        auto hofu = institutionClient("352063/client");

        IpnMessage chibaFugo = chiba->post(net.url("/ipn/v1/fugo"), fugoRequest(CHIBA)).value();
        IpnMessage hofuFugo = hofu->post(net.url("/ipn/v1/fugo"), fugoRequest(HOFU)).value();
        CPPUNIT_ASSERT(chibaFugo.kind == IpnMessage::Kind::FugoResponse);
        CPPUNIT_ASSERT(chibaFugo.fugo != hofuFugo.fugo);

        IpnMessage pr;
        pr.kind = IpnMessage::Kind::PermitRequest;
        pr.header = header(CHIBA);
        pr.provider = HOFU;
        pr.jimuCode = JIMU;
        pr.procedureCode = PROC;
        pr.dataItemCode = ITEM;
        pr.requesterFugo = chibaFugo.fugo;
        IpnMessage permit = chiba->post(net.url("/ipn/v1/permits"), pr).value();
        CPPUNIT_ASSERT_MESSAGE(permit.errorMessage, permit.kind == IpnMessage::Kind::PermitResponse);

        IpnMessage inq;
        inq.kind = IpnMessage::Kind::Inquiry;
        inq.header = header(CHIBA);
        inq.serial = "S-0001";
        inq.permitId = permit.permitId;
        inq.signedPermit = permit.signedPermit;
        IpnMessage ack = chiba->post(net.url("/ipn/v1/inquiries"), inq).value();
        CPPUNIT_ASSERT_MESSAGE(ack.errorMessage, ack.kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT(net.sim->deliverer().waitIdle(30000));

        auto atHofu = net.hofuIn.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), atHofu.size());
        CPPUNIT_ASSERT_EQUAL(std::string("/ipn-in/v1/inquiries"), atHofu[0].first);
        const IpnMessage& delivered = atHofu[0].second;
        // The provider receives its own 符号 of the person, the one it would get itself.
        CPPUNIT_ASSERT_EQUAL(hofuFugo.fugo, delivered.providerFugo);
        CPPUNIT_ASSERT_EQUAL(inq.header.messageId, delivered.header.messageId);
        CPPUNIT_ASSERT_EQUAL(HOFU, delivered.header.to);
        CPPUNIT_ASSERT(!delivered.route.empty());

        IpnMessage resp;
        resp.kind = IpnMessage::Kind::ProvisionResponse;
        resp.header = header(HOFU);
        resp.serial = delivered.serial;
        resp.permitId = delivered.permitId;
        resp.outcome = "provided";
        resp.payload = "CMS(" + MARKER + ")";
        resp.hasPayload = true;
        resp.route = delivered.route;
        IpnMessage ack2 = hofu->post(net.url("/ipn/v1/responses"), resp).value();
        CPPUNIT_ASSERT_MESSAGE(ack2.errorMessage, ack2.kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT(net.sim->deliverer().waitIdle(30000));
        auto atChiba = net.chibaIn.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), atChiba.size());
        CPPUNIT_ASSERT_EQUAL(std::string("/ipn-in/v1/responses"), atChiba[0].first);
        CPPUNIT_ASSERT_EQUAL(resp.payload, atChiba[0].second.payload);
        CPPUNIT_ASSERT_EQUAL(std::string("S-0001"), atChiba[0].second.serial);

        // The routing log: every step, and never content, 住民票コード or 符号.
        std::string log = slurp(net.logPath);
        CPPUNIT_ASSERT(log.find("\"kind\":\"deliver:Inquiry\"") != std::string::npos);
        CPPUNIT_ASSERT(log.find("\"kind\":\"deliver:ProvisionResponse\"") != std::string::npos);
        CPPUNIT_ASSERT(log.find("\"outcome\":\"delivered\"") != std::string::npos);
        for (const std::string& secret :
             {MARKER, JUMIN, chibaFugo.fugo, hofuFugo.fugo, std::string("Q01TKFBBWUxP")})
            CPPUNIT_ASSERT_MESSAGE("routing log leaks " + secret, log.find(secret) == std::string::npos);
        CPPUNIT_ASSERT(net.sim->metrics().render().find("ipn_sim_deliveries_total{outcome=\"delivered\"} 2") !=
                       std::string::npos);
    }

    void testDuplicateAndDropFaults()
    {
        Network net;
        auto chiba = institutionClient("121002/client");
        std::string fugo = chiba->post(net.url("/ipn/v1/fugo"), fugoRequest(CHIBA)).value().fugo;
        auto inquire = [&] {
            IpnMessage pr;
            pr.kind = IpnMessage::Kind::PermitRequest;
            pr.header = header(CHIBA);
            pr.provider = HOFU;
            pr.jimuCode = JIMU;
            pr.procedureCode = PROC;
            pr.dataItemCode = ITEM;
            pr.requesterFugo = fugo;
            IpnMessage permit = chiba->post(net.url("/ipn/v1/permits"), pr).value();
            IpnMessage inq;
            inq.kind = IpnMessage::Kind::Inquiry;
            inq.header = header(CHIBA);
            inq.serial = "S-2";
            inq.permitId = permit.permitId;
            inq.signedPermit = permit.signedPermit;
            CPPUNIT_ASSERT(chiba->post(net.url("/ipn/v1/inquiries"), inq).value().kind ==
                           IpnMessage::Kind::Ack);
            CPPUNIT_ASSERT(net.sim->deliverer().waitIdle(30000));
            return inq.header.messageId;
        };
        net.sim->handle({"POST", "/sim/v1/faults", "{\"duplicateNext\":1}", {"ipn", "ipn-sim"}});
        std::string id = inquire();
        auto atHofu = net.hofuIn.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), atHofu.size()); // delivered twice...
        CPPUNIT_ASSERT_EQUAL(id, atHofu[1].second.header.messageId); // ...with the same MessageId
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), net.sim->log().count("deliver:Inquiry", "delivered-duplicate"));

        net.sim->handle({"POST", "/sim/v1/faults", "{\"dropNext\":1}", {"ipn", "ipn-sim"}});
        inquire();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), net.hofuIn.snapshot().size()); // accepted, not delivered
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), net.sim->log().count("deliver:Inquiry", "dropped"));
    }

    void testUnknownCertificateOverTls()
    {
        Network net;
        auto juki = institutionClient("121002/juki"); // chains to the CA, but is not an institution
        Result<IpnMessage> r = juki->post(net.url("/ipn/v1/fugo"), fugoRequest(CHIBA));
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT(r->isError(IpnErrorCode::UNKNOWN_INSTITUTION));
        // The directory is not served to it either.
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             juki->get(net.url("/ipn/v1/directory")).status().code());
        auto chiba = institutionClient("121002/client");
        CPPUNIT_ASSERT(chiba->get(net.url("/ipn/v1/directory")).isOk());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RoutingTest);
