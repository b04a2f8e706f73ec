// InquiryResenderTest: overdue sent inquiries go out again under the same message IDs, on a
// ManualClock; answered ones do not.
#include "gateway/InquiryResender.h"
#include "adapters/FugoStore.h"
#include "adapters/RecordStore.h"
#include "codecs/SignedEnvelope.h"
#include "tests/gateway/GatewayFixture.h"
#include "tests/support/TestPki.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

namespace
{

const std::string CHIBA = "1210020000000000";
const std::string HOFU = "3520630000000000";

struct Signer
{
    TestPki pki{"network root"};
    TestIdentity signer = pki.issue("network signing", TestPki::documentSigner());
};

const Signer& signer()
{
    static Signer s;
    return s;
}

} // namespace

class InquiryResenderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(InquiryResenderTest);
    CPPUNIT_TEST(testNotResentBeforeTimeout);
    CPPUNIT_TEST(testResentWithSameMessageIdsAfterTimeout);
    CPPUNIT_TEST(testAnsweredInquiryNotResent);
    CPPUNIT_TEST(testNetworkDownKeepsItSent);
    CPPUNIT_TEST(testTypedRefusalEndsItRecorded);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _f.reset(new test::GatewayFixture);
        _f->services->settings.inquiryResendSeconds = 30;
        auto trust = std::make_shared<CryptoTrustStore>(
            CryptoTrustStore::fromPem(signer().pki.ca().certPem).value());
        _f->services->documents = std::make_shared<NetworkDocuments>(trust);
        PermitList list;
        list.listId = "L1";
        list.issuedAt = Poco::Timestamp(_f->clock->nowMicros());
        list.entries.push_back({CHIBA, HOFU, "JM01000000121000", "JT01010000000214",
                                "TM00000000000002", Poco::Timestamp::fromEpochTime(1700000000),
                                Poco::Timestamp::fromEpochTime(1900000000)});
        std::string signedList =
            SignedEnvelope::sign(list.toJson(), signer().signer.keyPem, signer().signer.certPem)
                .value()
                .toJson();
        CPPUNIT_ASSERT(_f->services->documents
                           ->loadPermissionList(signedList, Poco::Timestamp(_f->clock->nowMicros()))
                           .isOk());
        FugoStore(_f->store.db())
            .putObtained(chiba(), "000000000000101", "FUGO-CHIBA-101-ABCDEFG", 1);
        _inquiries = std::make_shared<InquiryService>(*_f->services);
        _serial = _inquiries->accept(health(), request()).value();
        CPPUNIT_ASSERT_EQUAL(1, _inquiries->dispatchQueued(10));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), state());
    }
    void tearDown() override
    {
        _inquiries.reset();
        _f.reset();
    }

    void testNotResentBeforeTimeout()
    {
        InquiryResender resender(*_f->services, _inquiries);
        _f->clock->advanceSeconds(29);
        CPPUNIT_ASSERT_EQUAL(0, resender.resendOverdue(10));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _f->network->sentInquiries.size());
    }

    void testResentWithSameMessageIdsAfterTimeout()
    {
        InquiryResender resender(*_f->services, _inquiries);
        _f->clock->advanceSeconds(30);
        CPPUNIT_ASSERT_EQUAL(1, resender.resendOverdue(10));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), state());
        // Same permit request and inquiry IDs: the network and the provider deduplicate them.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _f->network->asks.size());
        CPPUNIT_ASSERT_EQUAL(std::string("PR-" + _serial), _f->network->asks.at(1).messageId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _f->network->sentInquiries.size());
        CPPUNIT_ASSERT_EQUAL(_f->network->sentInquiries.at(0), _f->network->sentInquiries.at(1));
        CPPUNIT_ASSERT_EQUAL(std::string("IQ-" + _serial + "/" + _serial),
                             _f->network->sentInquiries.at(1));
        // The timeout starts again.
        CPPUNIT_ASSERT_EQUAL(0, resender.resendOverdue(10));
        _f->clock->advanceSeconds(30);
        CPPUNIT_ASSERT_EQUAL(1, resender.resendOverdue(10));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _f->network->sentInquiries.size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), records(""));
    }

    void testAnsweredInquiryNotResent()
    {
        InquiryResender resender(*_f->services, _inquiries);
        IpnMessage m;
        m.kind = IpnMessage::Kind::ProvisionResponse;
        m.header.messageId = "R-IQ-" + _serial;
        m.header.sentAt = Poco::Timestamp(_f->clock->nowMicros());
        m.header.from = "IPN";
        m.header.to = CHIBA;
        m.serial = _serial;
        m.permitId = "P-PR-" + _serial;
        m.outcome = "no_data";
        m.reasonCode = "NO_DATA";
        CPPUNIT_ASSERT(_inquiries->receive(m).kind == IpnMessage::Kind::Ack);
        _f->clock->advanceSeconds(3600);
        CPPUNIT_ASSERT_EQUAL(0, resender.resendOverdue(10));
        CPPUNIT_ASSERT(resender.resend(_f->services->settings.tenants[0], _serial).isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _f->network->sentInquiries.size());
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), state());
    }

    void testNetworkDownKeepsItSent()
    {
        InquiryResender resender(*_f->services, _inquiries);
        _f->network->down = true;
        _f->clock->advanceSeconds(30);
        CPPUNIT_ASSERT_EQUAL(0, resender.resendOverdue(10));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), state());
        int calls = _f->network->calls;
        _f->clock->advanceSeconds(10); // the failed attempt restarted the timeout: no call now
        CPPUNIT_ASSERT_EQUAL(0, resender.resendOverdue(10));
        CPPUNIT_ASSERT_EQUAL(calls, _f->network->calls);
        _f->network->down = false;
        _f->clock->advanceSeconds(20);
        CPPUNIT_ASSERT_EQUAL(1, resender.resendOverdue(10));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _f->network->sentInquiries.size());
    }

    void testTypedRefusalEndsItRecorded()
    {
        InquiryResender resender(*_f->services, _inquiries);
        _f->network->permitRefusal = "NO_FUGO: 指定された符号は未取得です。";
        _f->clock->advanceSeconds(30);
        CPPUNIT_ASSERT_EQUAL(0, resender.resendOverdue(10));
        Inquiry q = InquiryStore(_f->store.db()).get(chiba(), _serial).value();
        CPPUNIT_ASSERT_EQUAL(std::string("error"), q.state);
        CPPUNIT_ASSERT_EQUAL(std::string("NO_FUGO"), q.errorCode);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("error"));
        _f->clock->advanceSeconds(30);
        CPPUNIT_ASSERT_EQUAL(0, resender.resendOverdue(10));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("error"));
    }

private:
    static TenantCode chiba() { return TenantCode::parse("121002").value(); }

    static Exchange health()
    {
        Exchange ex;
        ex.requestId = "r";
        ex.tenant = chiba();
        ex.systemId = "kenko";
        ex.systemOperations = {"inquiry"};
        ex.systemJimuCodes = {"JM01000000121000"};
        return ex;
    }

    static InquiryRequest request()
    {
        InquiryRequest r;
        r.atenaNo = "000000000000101";
        r.jimuCode = "JM01000000121000";
        r.jimuTetsuzukiCode = "JT01010000000214";
        r.dataItemCode = "TM00000000000002";
        r.providerCode = HOFU;
        return r;
    }

    std::string state() { return InquiryStore(_f->store.db()).get(chiba(), _serial).value().state; }

    Poco::Int64 records(const std::string& outcome)
    {
        RecordFilter f;
        f.outcome = outcome;
        return RecordStore(_f->store.db()).count(chiba(), f);
    }

    std::unique_ptr<test::GatewayFixture> _f;
    std::shared_ptr<InquiryService> _inquiries;
    std::string _serial;
};

CPPUNIT_TEST_SUITE_REGISTRATION(InquiryResenderTest);
