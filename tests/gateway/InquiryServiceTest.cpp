// InquiryServiceTest: the requester side — accept or refuse, dispatch under a permit, receive and
// decrypt the result.
#include "gateway/InquiryService.h"
#include "gateway/InquiryAcceptStage.h"
#include "adapters/FugoStore.h"
#include "adapters/RecordStore.h"
#include "codecs/CmsEnvelope.h"
#include "codecs/SignedEnvelope.h"
#include "tests/gateway/GatewayFixture.h"
#include "tests/support/TestPki.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

namespace
{

const std::string CHIBA = "1210020000000000";
const std::string HOFU = "3520630000000000";

struct Keys
{
    TestPki pki{"network root"};
    TestIdentity signer = pki.issue("network signing", TestPki::documentSigner());
    TestIdentity chibaEncryption = pki.issue("chiba encryption", TestPki::Key::EC);
};

const Keys& keys()
{
    static Keys k;
    return k;
}

} // namespace

class InquiryServiceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(InquiryServiceTest);
    CPPUNIT_TEST(testAcceptDispatchReceive);
    CPPUNIT_TEST(testRefusedNotOnListIsRecorded);
    CPPUNIT_TEST(testNoFugo);
    CPPUNIT_TEST(testSystemMayNotInquireUnderJimu);
    CPPUNIT_TEST(testNetworkDownStaysQueued);
    CPPUNIT_TEST(testNetworkRefusesPermit);
    CPPUNIT_TEST(testNoDataAndDuplicateResult);
    CPPUNIT_TEST(testWrongKeyPayloadRefused);
    CPPUNIT_TEST(testAnswerBeforeMarkedSent);
    CPPUNIT_TEST(testConcurrentDuplicatesRecordedOnce);
    CPPUNIT_TEST(testAcceptStageWaitsForTheEnd);
    CPPUNIT_TEST(testSignalsWorkerAndWaiters);
    CPPUNIT_TEST(testDispatchBatchEndsEachAsAlone);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _f.reset(new test::GatewayFixture);
        _dir = test::makeTempDir("chukan-inq");
        {
            Poco::FileOutputStream out(_dir + "/enc.key");
            out << keys().chibaEncryption.keyPem;
        }
        _f->services->settings.tenants[0].encryptionKeyPath = _dir + "/enc.key";
        auto trust = std::make_shared<CryptoTrustStore>(
            CryptoTrustStore::fromPem(keys().pki.ca().certPem).value());
        _f->services->documents = std::make_shared<NetworkDocuments>(trust);
        PermitList list;
        list.listId = "L1";
        list.issuedAt = Poco::Timestamp(_f->clock->nowMicros());
        list.entries.push_back({CHIBA, HOFU, "JM01000000121000", "JT01010000000214",
                                "TM00000000000002", Poco::Timestamp::fromEpochTime(1700000000),
                                Poco::Timestamp::fromEpochTime(1900000000)});
        std::string signedList =
            SignedEnvelope::sign(list.toJson(), keys().signer.keyPem, keys().signer.certPem)
                .value()
                .toJson();
        CPPUNIT_ASSERT(_f->services->documents
                           ->loadPermissionList(signedList, Poco::Timestamp(_f->clock->nowMicros()))
                           .isOk());
        FugoStore(_f->store.db())
            .putObtained(chiba(), "000000000000101", "FUGO-CHIBA-101-ABCDEFG", 1);
    }
    void tearDown() override
    {
        _f.reset();
        Poco::File(_dir).remove(true);
    }

    void testAcceptDispatchReceive()
    {
        InquiryService svc(*_f->services);
        Result<std::string> serial = svc.accept(health(), request());
        CPPUNIT_ASSERT_MESSAGE(serial.status().toString(), serial.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), inquiry(serial.value()).state);
        CPPUNIT_ASSERT_EQUAL(1, svc.dispatchQueued(10));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), inquiry(serial.value()).state);
        CPPUNIT_ASSERT_EQUAL(std::string("PR-" + serial.value()),
                             _f->network->asks.at(0).messageId);
        CPPUNIT_ASSERT_EQUAL(std::string("FUGO-CHIBA-101-ABCDEFG"),
                             _f->network->asks.at(0).requesterFugo);
        std::string data = "<ProvisionData><Item><![CDATA[<接種記録/>]]></Item></ProvisionData>";
        IpnMessage ack =
            svc.receive(result(serial.value(), "provided",
                               CmsEnvelope::seal(data, keys().chibaEncryption.certPem).value()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ack.errorMessage, IpnMessage::Kind::Ack, ack.kind);
        Inquiry done = inquiry(serial.value());
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), done.state);
        CPPUNIT_ASSERT_EQUAL(data, done.result.value()); // content unaltered
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("provided"));
    }

    void testRefusedNotOnListIsRecorded()
    {
        InquiryRequest r = request();
        r.dataItemCode = "TM00000000000099";
        Result<std::string> serial = InquiryService(*_f->services).accept(health(), r);
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, serial.status().code());
        CPPUNIT_ASSERT(serial.status().message().find("の照会は許可されていません。") !=
                       std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("refused"));
        CPPUNIT_ASSERT(_f->network->asks.empty());
    }

    void testNoFugo()
    {
        InquiryRequest r = request();
        r.atenaNo = "000000000000999";
        Result<std::string> serial = InquiryService(*_f->services).accept(health(), r);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, serial.status().code());
        CPPUNIT_ASSERT_EQUAL(
            std::string("指定された団体内統合宛名番号「000000000000999」は符号が未取得です。"),
            serial.status().message());
    }

    void testSystemMayNotInquireUnderJimu()
    {
        Exchange ex = health();
        ex.systemJimuCodes = {"JM99000000000000"};
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED,
                             InquiryService(*_f->services).accept(ex, request()).status().code());
    }

    void testNetworkDownStaysQueued()
    {
        InquiryService svc(*_f->services);
        std::string serial = svc.accept(health(), request()).value();
        _f->network->down = true;
        CPPUNIT_ASSERT_EQUAL(0, svc.dispatchQueued(10));
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), inquiry(serial).state);
        _f->network->down = false;
        CPPUNIT_ASSERT_EQUAL(1, svc.dispatchQueued(10));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), inquiry(serial).state);
    }

    void testNetworkRefusesPermit()
    {
        InquiryService svc(*_f->services);
        std::string serial = svc.accept(health(), request()).value();
        _f->network->permitRefusal = "NOT_PERMITTED: the master list does not allow this";
        svc.dispatchQueued(10);
        Inquiry q = inquiry(serial);
        CPPUNIT_ASSERT_EQUAL(std::string("error"), q.state);
        CPPUNIT_ASSERT_EQUAL(std::string("NOT_PERMITTED"), q.errorCode);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("error"));
    }

    void testNoDataAndDuplicateResult()
    {
        InquiryService svc(*_f->services);
        std::string serial = svc.accept(health(), request()).value();
        svc.dispatchQueued(10);
        CPPUNIT_ASSERT(svc.receive(result(serial, "no_data", "")).kind == IpnMessage::Kind::Ack);
        IpnMessage again = svc.receive(result(serial, "no_data", ""));
        CPPUNIT_ASSERT(again.duplicate);
        CPPUNIT_ASSERT_EQUAL(std::string("NO_DATA"),
                             inquiry(serial).errorCode); // typed: ReasonCodes
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("no_data"));
    }

    void testWrongKeyPayloadRefused()
    {
        InquiryService svc(*_f->services);
        std::string serial = svc.accept(health(), request()).value();
        svc.dispatchQueued(10);
        TestIdentity other = keys().pki.issue("someone else", TestPki::Key::EC);
        IpnMessage reply = svc.receive(
            result(serial, "provided", CmsEnvelope::seal("<x/>", other.certPem).value()));
        CPPUNIT_ASSERT(reply.isError(IpnErrorCode::INVALID_MESSAGE));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), inquiry(serial).state);
    }

    void testAnswerBeforeMarkedSent()
    {
        // The network answers while dispatch() is still between its send and its UPDATE to
        // 'sent': the result must be kept, and the inquiry must not go back to 'sent' (else it
        // would be resent forever and its answer never fetched).
        InquiryService svc(*_f->services);
        std::string serial = svc.accept(health(), request()).value();
        std::string noData = svc.accept(health(), request()).value();
        std::string data = "<ProvisionData><Item><![CDATA[<接種記録/>]]></Item></ProvisionData>";
        std::vector<IpnMessage> acks;
        _f->network->onInquirySent = [&](const std::string& s)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("queued"), inquiry(s).state);
            acks.push_back(
                s == serial ? svc.receive(result(
                                  s, "provided",
                                  CmsEnvelope::seal(data, keys().chibaEncryption.certPem).value()))
                            : svc.receive(result(s, "no_data", "")));
        };
        svc.dispatchQueued(10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), acks.size());
        for (const IpnMessage& ack : acks)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ack.errorMessage, IpnMessage::Kind::Ack, ack.kind);
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), inquiry(serial).state);
        CPPUNIT_ASSERT_EQUAL(data, inquiry(serial).result.value());
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), inquiry(noData).state);
        CPPUNIT_ASSERT_EQUAL(std::string("NO_DATA"), inquiry(noData).errorCode);
        _f->network->onInquirySent = nullptr;
        CPPUNIT_ASSERT_EQUAL(0, svc.dispatchQueued(10)); // nothing left to send
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _f->network->sentInquiries.size());
    }

    void testConcurrentDuplicatesRecordedOnce()
    {
        // The network delivers the same result several times at once: every delivery reads the
        // inquiry before any has finished it, and only the one whose state change wins writes
        // the 情報提供等記録 (receive skips the search for an earlier record only then).
        InquiryService svc(*_f->services);
        std::string provided = svc.accept(health(), request()).value();
        std::string noData = svc.accept(health(), request()).value();
        CPPUNIT_ASSERT_EQUAL(2, svc.dispatchQueued(10));
        std::string data = "<ProvisionData><Item><![CDATA[<接種記録/>]]></Item></ProvisionData>";
        const IpnMessage results[] = {
            result(provided, "provided", CmsEnvelope::seal(data, keys().chibaEncryption.certPem).value()),
            result(noData, "no_data", "")};
        const int copies = 4;
        std::atomic<int> ready{0};
        std::atomic<int> acks{0};
        std::vector<std::thread> threads;
        for (const IpnMessage& m : results)
            for (int i = 0; i < copies; ++i)
                threads.emplace_back(
                    [&, m]
                    {
                        ++ready;
                        while (ready.load() < 2 * copies)
                            std::this_thread::yield();
                        if (svc.receive(m).kind == IpnMessage::Kind::Ack)
                            ++acks;
                    });
        for (std::thread& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(2 * copies, acks.load());
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), inquiry(provided).state);
        CPPUNIT_ASSERT_EQUAL(data, inquiry(provided).result.value());
        CPPUNIT_ASSERT_EQUAL(std::string("NO_DATA"), inquiry(noData).errorCode);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("provided"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("no_data"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), RecordStore(_f->store.db()).count(chiba(), RecordFilter()));
    }

    void testAcceptStageWaitsForTheEnd()
    {
        // POST /api/v1/inquiries?wait=N subscribes to the inquiry's end before it is queued and
        // answers with the final state once receive() finished it; no subscription is left
        // behind, whether it waited, was refused or did not wait at all.
        auto svc = std::make_shared<InquiryService>(*_f->services);
        InquiryAcceptStage stage(*_f->services, svc);
        ExchangeSignals& signals = *_f->services->signals;
        Exchange waiting = post(request(), "5");
        std::thread client([&] { stage.run(waiting); });
        std::vector<std::string> queued;
        for (int i = 0; i < 5000 && (queued.empty() || signals.subscribed() != 1); ++i)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            queued = InquiryStore(_f->store.db()).serialsByState(chiba(), "queued", 10);
        }
        const std::size_t subscribed = signals.subscribed();
        const int dispatched = queued.empty() ? 0 : svc->dispatchQueued(10);
        const bool acked =
            !queued.empty() && svc->receive(result(queued[0], "no_data", "")).kind == IpnMessage::Kind::Ack;
        client.join();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(waiting.replyBody, std::size_t(1), queued.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), subscribed);
        CPPUNIT_ASSERT_EQUAL(1, dispatched);
        CPPUNIT_ASSERT(acked);
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_OK, waiting.status);
        CPPUNIT_ASSERT(waiting.replyBody.find(queued[0]) != std::string::npos);
        CPPUNIT_ASSERT(waiting.replyBody.find("NO_DATA") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), signals.subscribed());

        InquiryRequest refused = request();
        refused.dataItemCode = "TM00000000000099";
        Exchange denied = post(refused, "5");
        stage.run(denied);
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, denied.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), signals.subscribed());

        Exchange noWait = post(request(), "0");
        stage.run(noWait);
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_ACCEPTED, noWait.status);
        CPPUNIT_ASSERT(noWait.replyBody.find("accepted") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), signals.subscribed());
    }

    void testSignalsWorkerAndWaiters()
    {
        // accept wakes the worker; a waiting ?wait request wakes when receive() finishes the
        // inquiry (not when it is merely sent), and when a dispatch ends it in error.
        InquiryService svc(*_f->services);
        ExchangeSignals& signals = *_f->services->signals;
        signals.waitForWork(0); // drop any earlier wake-up
        std::string serial = svc.accept(health(), request()).value();
        CPPUNIT_ASSERT(signals.waitForWork(0));
        CPPUNIT_ASSERT(!signals.waitForWork(0)); // several wake-ups count once
        ExchangeSignals::Waiter waiter = signals.subscribe("121002", serial);
        ExchangeSignals::Waiter other = signals.subscribe("121002", "Q0000000000000000");
        CPPUNIT_ASSERT_EQUAL(1, svc.dispatchQueued(10));
        CPPUNIT_ASSERT(!waiter->tryWait(0));
        CPPUNIT_ASSERT(svc.receive(result(serial, "no_data", "")).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT(waiter->tryWait(0));
        CPPUNIT_ASSERT(!other->tryWait(0));
        signals.unsubscribe("121002", serial, waiter);
        signals.unsubscribe("121002", "Q0000000000000000", other);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), signals.subscribed());

        std::string refused = svc.accept(health(), request()).value();
        waiter = signals.subscribe("121002", refused);
        _f->network->permitRefusal = "NOT_PERMITTED: the master list does not allow this";
        svc.dispatchQueued(10);
        CPPUNIT_ASSERT_EQUAL(std::string("error"), inquiry(refused).state);
        CPPUNIT_ASSERT(waiter->tryWait(0));
        signals.unsubscribe("121002", refused, waiter);
    }

private:
    // Five serials in one dispatchBatch: one permit request and one inquiry message for those
    // that get that far, and each inquiry ends as dispatch() alone would end it.
    void testDispatchBatchEndsEachAsAlone()
    {
        InquiryService svc(*_f->services);
        std::string sent = svc.accept(health(), request()).value();
        std::string refused = svc.accept(health(), request()).value();
        std::string unavailable = svc.accept(health(), request()).value();
        // Its 符号 is not (or no longer) known.
        Inquiry noFugo = test::testInquiry("Q-NOFUGO", "kenko", "000000000000999");
        CPPUNIT_ASSERT(InquiryStore(_f->store.db()).add(chiba(), noFugo, 1).isOk());
        _f->network->permitRefusedFor["PR-" + refused] = "NOT_PERMITTED: the master list does not allow this";
        _f->network->inquiryUnavailableFor.insert(unavailable);

        std::vector<Status> out = svc.dispatchBatch(chiba(), {sent, refused, "Q-NOFUGO", unavailable, "Q-NONE"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), out.size());
        CPPUNIT_ASSERT_MESSAGE(out[0].toString(), out[0].isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), inquiry(sent).state);
        CPPUNIT_ASSERT_EQUAL(std::string("IQ-" + sent), inquiry(sent).messageId);
        CPPUNIT_ASSERT_EQUAL(std::string("error"), inquiry(refused).state);
        CPPUNIT_ASSERT_EQUAL(std::string("NOT_PERMITTED"), inquiry(refused).errorCode);
        CPPUNIT_ASSERT_EQUAL(std::string("error"), inquiry("Q-NOFUGO").state);
        CPPUNIT_ASSERT_EQUAL(std::string("NO_FUGO"), inquiry("Q-NOFUGO").errorCode);
        CPPUNIT_ASSERT_EQUAL(Status::UNAVAILABLE, out[3].code());
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), inquiry(unavailable).state); // sent again later
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, out[4].code());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), records("error"));
        {
            std::lock_guard<std::recursive_mutex> lock(_f->network->mutex);
            CPPUNIT_ASSERT(_f->network->permitBatches == std::vector<std::size_t>{3});  // not NO_FUGO's
            CPPUNIT_ASSERT(_f->network->inquiryBatches == std::vector<std::size_t>{2}); // not the refused one
        }
        // Again: what was sent or ended is left alone; the one left queued goes.
        _f->network->inquiryUnavailableFor.clear();
        out = svc.dispatchBatch(chiba(), {sent, refused, unavailable});
        CPPUNIT_ASSERT(out[0].isOk() && out[1].isOk() && out[2].isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), inquiry(unavailable).state);
        std::lock_guard<std::recursive_mutex> lock(_f->network->mutex);
        CPPUNIT_ASSERT(_f->network->permitBatches == (std::vector<std::size_t>{3, 1}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _f->network->sentInquiries.size());
    }

    static TenantCode chiba() { return TenantCode::parse("121002").value(); }

    Exchange health()
    {
        Exchange ex;
        ex.requestId = "r";
        ex.tenant = chiba();
        ex.systemId = "kenko";
        ex.systemOperations = {"inquiry"};
        ex.systemJimuCodes = {"JM01000000121000"};
        return ex;
    }

    Exchange post(InquiryRequest r, const std::string& wait)
    {
        r.header.messageId = "M-" + wait;
        r.header.messageType = "InquiryRequest";
        r.header.sourceSystem = "kenko";
        r.header.destinationSystem = "chukan";
        r.conditionKind = r.yearKind = "1";
        Exchange ex = health();
        ex.body = InquiryMessageCodec::encodeRequest(r).value();
        ex.query["wait"] = wait;
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

    IpnMessage result(const std::string& serial, const std::string& outcome,
                      const std::string& payload)
    {
        IpnMessage m;
        m.kind = IpnMessage::Kind::ProvisionResponse;
        m.header.messageId = "R-IQ-" + serial;
        m.header.sentAt = Poco::Timestamp(_f->clock->nowMicros());
        m.header.from = "IPN";
        m.header.to = CHIBA;
        m.serial = serial;
        m.permitId = "P-PR-" + serial;
        m.outcome = outcome;
        m.payload = payload;
        m.hasPayload = !payload.empty();
        return m;
    }

    Inquiry inquiry(const std::string& serial)
    {
        return InquiryStore(_f->store.db()).get(chiba(), serial).value();
    }

    Poco::Int64 records(const std::string& outcome)
    {
        RecordFilter f;
        f.outcome = outcome;
        return RecordStore(_f->store.db()).count(chiba(), f);
    }

    std::unique_ptr<test::GatewayFixture> _f;
    std::string _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(InquiryServiceTest);
