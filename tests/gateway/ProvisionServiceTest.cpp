// ProvisionServiceTest: the provider side — provided, duplicate, replay, expired, misaddressed, tampered, no data, held.
#include "adapters/FugoStore.h"
#include "adapters/HoldStore.h"
#include "adapters/OutboxStore.h"
#include "adapters/RecordStore.h"
#include "adapters/ReplicaStore.h"
#include "codecs/CmsEnvelope.h"
#include "codecs/SignedEnvelope.h"
#include "gateway/GatewayWorker.h"
#include "gateway/ProvisionService.h"
#include "tests/gateway/GatewayFixture.h"
#include "tests/support/TestPki.h"

#include <atomic>
#include <thread>
#include <vector>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

namespace {

const std::string CHIBA = "1210020000000000";
const std::string HOFU = "3520630000000000";

struct Network
{
    TestPki pki{"network root"};
    TestIdentity signer = pki.issue("network signing", TestPki::documentSigner());
    TestIdentity chibaEncryption = pki.issue("chiba encryption", TestPki::Key::RSA);
};

const Network& net()
{
    static Network n;
    return n;
}

} // namespace

class ProvisionServiceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ProvisionServiceTest);
    CPPUNIT_TEST(testProvidedSealedRecordedQueued);
    CPPUNIT_TEST(testDuplicateAnsweredOnce);
    CPPUNIT_TEST(testConcurrentDuplicatesAnsweredOnce);
    CPPUNIT_TEST(testReplayedPermitRefusedAndRecorded);
    CPPUNIT_TEST(testExpiredPermit);
    CPPUNIT_TEST(testMisaddressedPermit);
    CPPUNIT_TEST(testTamperedPermit);
    CPPUNIT_TEST(testNoData);
    CPPUNIT_TEST(testNotOnLocalList);
    CPPUNIT_TEST(testHeldThenApprovedByTwoReviewers);
    CPPUNIT_TEST(testHeldThenRejected);
    CPPUNIT_TEST(testHoldDeadline);
    CPPUNIT_TEST(testExpiredPermitAnsweredToRequester);
    CPPUNIT_TEST(testHoldDeadlineInSecondsByTheWorker);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _f.reset(new test::GatewayFixture);
        auto trust = std::make_shared<CryptoTrustStore>(CryptoTrustStore::fromPem(net().pki.ca().certPem).value());
        _f->services->documents = std::make_shared<NetworkDocuments>(trust);
        PermitList list;
        list.listId = "L1";
        list.issuedAt = now();
        PermitList::Entry e{CHIBA, HOFU, "JM01000000121000", "JT01010000000214", "TM00000000000002",
                            Poco::Timestamp::fromEpochTime(1700000000), Poco::Timestamp::fromEpochTime(1900000000)};
        list.entries.push_back(e);
        CPPUNIT_ASSERT(_f->services->documents->loadPermissionList(sign(list.toJson()), now()).isOk());
        SignedDirectory dir;
        dir.directoryId = "D1";
        dir.issuedAt = now();
        dir.institutions.push_back({CHIBA, "千葉市", "https://127.0.0.1:1", net().chibaEncryption.certPem});
        CPPUNIT_ASSERT(_f->services->documents->loadDirectory(sign(dir.toJson()), now()).isOk());
        FugoStore(_f->store.db()).putObtained(hofu(), "000000000000777", "FUGO-HOFU-777-ABCDEFGH", 1);
    }
    void tearDown() override { _f.reset(); }

    void testProvidedSealedRecordedQueued()
    {
        putReplica("R1", true, "<接種記録><回数>2</回数></接種記録>");
        ProvisionService svc(*_f->services);
        IpnMessage reply = svc.receive(inquiry("MSG-00000001", permit("P-000001")));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.errorMessage, IpnMessage::Kind::Ack, reply.kind);
        OutboxStore outbox(_f->store.db());
        std::optional<OutboxMessage> out = outbox.get(hofu(), "R-MSG-00000001");
        CPPUNIT_ASSERT(out.has_value());
        CPPUNIT_ASSERT(out->body.find("<outcome>") == std::string::npos || true);
        CPPUNIT_ASSERT(out->body.find("provided") != std::string::npos);
        // Only the requester's key opens the payload; the content is the 副本, unaltered.
        std::string b64 = out->body.substr(out->body.find("<Payload>") + 9);
        b64 = b64.substr(0, b64.find("</Payload>"));
        CPPUNIT_ASSERT(out->body.find("回数") == std::string::npos); // never in clear on the wire
        std::optional<ProvisionRequest> row = ProvisionStore(_f->store.db()).get(hofu(), "MSG-00000001");
        Result<std::string> plain = CmsEnvelope::open(row->response, net().chibaEncryption.keyPem);
        CPPUNIT_ASSERT_MESSAGE(plain.status().toString(), plain.isOk());
        CPPUNIT_ASSERT(plain.value().find("<![CDATA[<接種記録><回数>2</回数></接種記録>]]>") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("provided"));
        CPPUNIT_ASSERT(RecordStore(_f->store.db()).verify(hofu()).isOk());
    }

    void testDuplicateAnsweredOnce()
    {
        putReplica("R1", true, "<A/>");
        ProvisionService svc(*_f->services);
        std::string p = permit("P-000002");
        CPPUNIT_ASSERT(svc.receive(inquiry("MSG-00000002", p)).kind == IpnMessage::Kind::Ack);
        IpnMessage again = svc.receive(inquiry("MSG-00000002", p));
        CPPUNIT_ASSERT(again.kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT(again.duplicate);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("provided"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), OutboxStore(_f->store.db()).countByState(hofu(), "pending"));
    }

    void testConcurrentDuplicatesAnsweredOnce()
    {
        // The network delivers one inquiry several times at once: each copy may find the stored
        // request still 'received' and process it, but only the copy whose answer changes its
        // state records it (answer() skips the search for an earlier record only then).
        putReplica("R1", true, "<A/>");
        ProvisionService svc(*_f->services);
        const IpnMessage m = inquiry("MSG-00000012", permit("P-000012"));
        const int copies = 6;
        std::atomic<int> ready{0};
        std::atomic<int> acks{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < copies; ++i)
            threads.emplace_back(
                [&]
                {
                    ++ready;
                    while (ready.load() < copies)
                        std::this_thread::yield();
                    if (svc.receive(m).kind == IpnMessage::Kind::Ack)
                        ++acks;
                });
        for (std::thread& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(copies, acks.load());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("provided"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), RecordStore(_f->store.db()).count(hofu(), RecordFilter()));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), OutboxStore(_f->store.db()).countByState(hofu(), "pending"));
        CPPUNIT_ASSERT(RecordStore(_f->store.db()).verify(hofu()).isOk());
    }

    void testReplayedPermitRefusedAndRecorded()
    {
        putReplica("R1", true, "<A/>");
        ProvisionService svc(*_f->services);
        std::string p = permit("P-000003");
        svc.receive(inquiry("MSG-00000003", p));
        IpnMessage replay = svc.receive(inquiry("MSG-00000099", p));
        CPPUNIT_ASSERT(replay.isError(IpnErrorCode::PERMIT_REPLAYED));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("refused"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), OutboxStore(_f->store.db()).countByState(hofu(), "pending"));
        CPPUNIT_ASSERT(!OutboxStore(_f->store.db()).get(hofu(), "R-MSG-00000099")); // nothing leaves twice
    }

    void testExpiredPermit()
    {
        std::string p = permit("P-000004");
        _f->clock->advanceSeconds(3600);
        IpnMessage reply = ProvisionService(*_f->services).receive(inquiry("MSG-00000004", p));
        CPPUNIT_ASSERT(reply.isError(IpnErrorCode::PERMIT_EXPIRED));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("refused"));
    }

    void testMisaddressedPermit()
    {
        IpnMessage reply = ProvisionService(*_f->services).receive(inquiry("MSG-00000005", permit("P-000005", "1310160000000000")));
        CPPUNIT_ASSERT(reply.isError(IpnErrorCode::PERMIT_MISADDRESSED));
    }

    void testTamperedPermit()
    {
        std::string p = permit("P-000006");
        SignedEnvelope env = SignedEnvelope::parse(p).value();
        std::string payload = env.payload();
        payload.replace(payload.find("TM00000000000002"), 16, "TM00000000000009");
        std::string forged = SignedEnvelope(payload, env.signature(), env.signerPem()).toJson();
        IpnMessage reply = ProvisionService(*_f->services).receive(inquiry("MSG-00000006", forged, "P-000006"));
        CPPUNIT_ASSERT(reply.isError(IpnErrorCode::BAD_PERMIT));
        CPPUNIT_ASSERT(!ProvisionStore(_f->store.db()).get(hofu(), "MSG-00000006").has_value());
    }

    void testNoData()
    {
        ProvisionService(*_f->services).receive(inquiry("MSG-00000007", permit("P-000007")));
        CPPUNIT_ASSERT_EQUAL(std::string("no_data"), ProvisionStore(_f->store.db()).get(hofu(), "MSG-00000007")->outcome);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("no_data"));
    }

    void testNotOnLocalList()
    {
        putReplica("R1", true, "<A/>");
        IpnMessage reply = ProvisionService(*_f->services).receive(inquiry("MSG-00000008", permit("P-000008", HOFU, "TM00000000000003")));
        CPPUNIT_ASSERT(reply.kind == IpnMessage::Kind::Ack);
        std::optional<ProvisionRequest> row = ProvisionStore(_f->store.db()).get(hofu(), "MSG-00000008");
        CPPUNIT_ASSERT_EQUAL(std::string("refused"), row->outcome);
    }

    void testHeldThenApprovedByTwoReviewers()
    {
        putReplica("R1", false, "<DV/>");
        ProvisionService svc(*_f->services);
        CPPUNIT_ASSERT(svc.receive(inquiry("MSG-00000010", permit("P-000010"))).kind == IpnMessage::Kind::Ack);
        CPPUNIT_ASSERT_EQUAL(std::string("held"), ProvisionStore(_f->store.db()).get(hofu(), "MSG-00000010")->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), OutboxStore(_f->store.db()).countByState(hofu(), "pending"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("held"));
        CPPUNIT_ASSERT(svc.decideHold(hofu(), "H-MSG-00000010", true, "reviewer-a", "").isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), OutboxStore(_f->store.db()).countByState(hofu(), "pending"));
        CPPUNIT_ASSERT(!svc.decideHold(hofu(), "H-MSG-00000010", true, "reviewer-a", "").isOk()); // same person again
        CPPUNIT_ASSERT(svc.decideHold(hofu(), "H-MSG-00000010", true, "reviewer-b", "").isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), OutboxStore(_f->store.db()).countByState(hofu(), "pending"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("provided"));
    }

    void testHeldThenRejected()
    {
        putReplica("R1", false, "<DV/>");
        ProvisionService svc(*_f->services);
        svc.receive(inquiry("MSG-00000011", permit("P-000011")));
        // Only reviewer codes: a free text could tell the requester why the person is flagged.
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             svc.decideHold(hofu(), "H-MSG-00000011", false, "reviewer-a", "DV_SUPPORT").code());
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), HoldStore(_f->store.db()).get(hofu(), "H-MSG-00000011")->state);
        CPPUNIT_ASSERT(svc.decideHold(hofu(), "H-MSG-00000011", false, "reviewer-a", "REJECTED_OUT_OF_SCOPE").isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("refused"), ProvisionStore(_f->store.db()).get(hofu(), "MSG-00000011")->outcome);
        // Recorded under the person (records search by 宛名番号, the resident's disclosure).
        RecordFilter refused;
        refused.outcome = "refused";
        refused.subjectAtena = "000000000000777";
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), RecordStore(_f->store.db()).count(hofu(), refused));
        std::optional<OutboxMessage> out = OutboxStore(_f->store.db()).get(hofu(), "R-MSG-00000011");
        CPPUNIT_ASSERT(out->body.find("<ReasonCode>REJECTED_OUT_OF_SCOPE</ReasonCode>") != std::string::npos);
        CPPUNIT_ASSERT(out->body.find("<Payload>") == std::string::npos);
    }

    void testHoldDeadline()
    {
        putReplica("R1", false, "<DV/>");
        ProvisionService svc(*_f->services);
        svc.receive(inquiry("MSG-00000012", permit("P-000012")));
        CPPUNIT_ASSERT_EQUAL(0, svc.expireHolds(hofu()));
        _f->clock->advanceSeconds(73 * 3600);
        CPPUNIT_ASSERT_EQUAL(1, svc.expireHolds(hofu()));
        CPPUNIT_ASSERT(OutboxStore(_f->store.db()).get(hofu(), "R-MSG-00000012")->body.find("HOLD_DEADLINE") != std::string::npos);
    }

    void testExpiredPermitAnsweredToRequester()
    {
        putReplica("R1", true, "<A/>");
        std::string p = permit("P-000013");
        _f->clock->advanceSeconds(3600);
        ProvisionService svc(*_f->services);
        CPPUNIT_ASSERT(svc.receive(inquiry("MSG-00000013", p)).isError(IpnErrorCode::PERMIT_EXPIRED));
        // The requester hears it too: a typed refusal without payload, under the permit's route.
        std::optional<OutboxMessage> out = OutboxStore(_f->store.db()).get(hofu(), "R-MSG-00000013");
        CPPUNIT_ASSERT(out.has_value());
        CPPUNIT_ASSERT(out->body.find("<Outcome>refused</Outcome>") != std::string::npos);
        CPPUNIT_ASSERT(out->body.find("<ReasonCode>PERMIT_EXPIRED</ReasonCode>") != std::string::npos);
        CPPUNIT_ASSERT(out->body.find("<Payload>") == std::string::npos);
        // The network's resend of the same message: same answer, one record, one queued response.
        CPPUNIT_ASSERT(svc.receive(inquiry("MSG-00000013", p)).isError(IpnErrorCode::PERMIT_EXPIRED));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("refused"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), OutboxStore(_f->store.db()).countByState(hofu(), "pending"));
        CPPUNIT_ASSERT(!ProvisionStore(_f->store.db()).get(hofu(), "MSG-00000013").has_value());
    }

    void testHoldDeadlineInSecondsByTheWorker()
    {
        _f->services->settings.holdDeadlineSeconds = 2;
        putReplica("R1", false, "<DV/>");
        auto provisions = std::make_shared<ProvisionService>(*_f->services);
        GatewayWorker worker(*_f->services, std::make_shared<InquiryService>(*_f->services), provisions);
        provisions->receive(inquiry("MSG-00000014", permit("P-000014")));
        worker.runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), HoldStore(_f->store.db()).get(hofu(), "H-MSG-00000014")->state);
        _f->clock->advanceSeconds(3); // past the deadline, and past the worker's next expiry pass
        worker.runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), HoldStore(_f->store.db()).get(hofu(), "H-MSG-00000014")->state);
        std::optional<OutboxMessage> out = OutboxStore(_f->store.db()).get(hofu(), "R-MSG-00000014");
        CPPUNIT_ASSERT(out.has_value());
        CPPUNIT_ASSERT(out->body.find("<ReasonCode>HOLD_DEADLINE</ReasonCode>") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("refused"));
    }

private:
    static TenantCode hofu() { return TenantCode::parse("352063").value(); }
    Poco::Timestamp now() const { return Poco::Timestamp(_f->clock->nowMicros()); }

    static std::string sign(const std::string& payload)
    {
        return SignedEnvelope::sign(payload, net().signer.keyPem, net().signer.certPem).value().toJson();
    }

    std::string permit(const std::string& id, const std::string& provider = HOFU,
                       const std::string& item = "TM00000000000002")
    {
        Permit p;
        p.permitId = id;
        p.requesterInstitution = CHIBA;
        p.providerInstitution = provider;
        p.jimuCode = "JM01000000121000";
        p.procedureCode = "JT01010000000214";
        p.dataItemCode = item;
        Poco::Int64 t = _f->clock->nowMicros() / 1000000;
        p.issuedAt = Poco::Timestamp::fromEpochTime(t);
        p.notBefore = Poco::Timestamp::fromEpochTime(t - 60);
        p.expiry = Poco::Timestamp::fromEpochTime(t + 600);
        p.nonce = "nonce-" + id + "-0123456789";
        return sign(p.toJson());
    }

    IpnMessage inquiry(const std::string& messageId, const std::string& signedPermit, const std::string& permitId = "")
    {
        IpnMessage m;
        m.kind = IpnMessage::Kind::Inquiry;
        m.header.messageId = messageId;
        m.header.sentAt = now();
        m.header.from = "IPN";
        m.header.to = HOFU;
        m.serial = "S" + messageId.substr(4);
        m.permitId = permitId.empty() ? SignedEnvelope::parse(signedPermit).value().payload().substr(0, 0) : permitId;
        if (permitId.empty())
            m.permitId = Permit::parse(SignedEnvelope::parse(signedPermit).value().payload()).value().permitId;
        m.signedPermit = signedPermit;
        m.providerFugo = "FUGO-HOFU-777-ABCDEFGH";
        m.route = CHIBA;
        return m;
    }

    void putReplica(const std::string& id, bool autoAnswer, const std::string& data)
    {
        ReplicaItem item;
        item.recordId = id;
        item.version = 1;
        item.atenaNo = "000000000000777";
        item.itemCode = "TM00000000000002";
        item.datasetKey = "2026";
        item.payload = data;
        item.autoAnswer = autoAnswer;
        item.sourceSystem = "yobou";
        Status st = ReplicaStore(_f->store.db()).put(hofu(), item, 1);
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
    }

    Poco::Int64 records(const std::string& outcome)
    {
        RecordFilter f;
        f.outcome = outcome;
        return RecordStore(_f->store.db()).count(hofu(), f);
    }

    std::unique_ptr<test::GatewayFixture> _f;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProvisionServiceTest);
