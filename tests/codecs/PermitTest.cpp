// PermitTest: 情報提供許可証 verification — accepted permit and every refusal; permission list and directory payloads.
#include "codecs/CmsEnvelope.h"
#include "codecs/PermitList.h"
#include "codecs/PermitVerifier.h"
#include "codecs/SignedDirectory.h"
#include "codecs/SignedEnvelope.h"
#include "codecs/SignedPayload.h"
#include "codecs/SignedTime.h"
#include "tests/support/TestPki.h"

#include <Poco/JSON/Object.h>
#include <cppunit/extensions/HelperMacros.h>

#include <set>

using namespace chukan;

namespace {

const std::string CHIBA = "1210020000000000";
const std::string HOFU = "3520630000000000";

struct Network
{
    TestPki pki{"network root"};
    TestPki rogue{"rogue root"};
    TestIdentity signer = pki.issue("network signing", signing());
    TestIdentity rogueSigner = rogue.issue("network signing", signing());
    std::shared_ptr<const CryptoTrustStore> trust =
        std::make_shared<CryptoTrustStore>(CryptoTrustStore::fromPem(pki.ca().certPem).value());

    static TestPki::Options signing() { return TestPki::documentSigner(); }
};

const Network& net()
{
    static Network n;
    return n;
}

Poco::Timestamp t(const std::string& iso)
{
    return SignedTime::parse(iso, "test time").value();
}

/// Chiba (requester) asks Hofu (provider) for a vaccination record item.
Permit samplePermit()
{
    Permit p;
    p.permitId = "P20250401-000001";
    p.requesterInstitution = CHIBA;
    p.providerInstitution = HOFU;
    p.jimuCode = "JM01000000121000";
    p.procedureCode = "JT01010000000214";
    p.dataItemCode = "TM00000000000002";
    p.issuedAt = t("2025-04-01T00:00:00Z");
    p.notBefore = t("2025-04-01T00:00:00Z");
    p.expiry = t("2025-04-01T01:00:00Z");
    p.nonce = "n0nce-AbCdEfGhIjKl";
    return p;
}

std::string signPayload(const std::string& payload, const TestIdentity& by)
{
    return SignedEnvelope::sign(payload, by.keyPem, by.certPem).value().toJson();
}

const PermitVerifier::SeenCheck NEVER_SEEN = [](const Permit&) { return false; };

} // namespace

class PermitTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PermitTest);
    CPPUNIT_TEST(testValidPermitAccepted);
    CPPUNIT_TEST(testJsonAsPocoWritesItAndReadBack);
    CPPUNIT_TEST(testTamperedPayload);
    CPPUNIT_TEST(testTamperedSignature);
    CPPUNIT_TEST(testSignerNotUnderTrustAnchor);
    CPPUNIT_TEST(testExpired);
    CPPUNIT_TEST(testNotYetValid);
    CPPUNIT_TEST(testWrongProvider);
    CPPUNIT_TEST(testReplay);
    CPPUNIT_TEST(testFugoOrUnknownMemberRefused);
    CPPUNIT_TEST(testMalformedPermitFields);
    CPPUNIT_TEST(testOtherDocumentTypeRefused);
    CPPUNIT_TEST(testPermissionListRoundTrip);
    CPPUNIT_TEST(testDirectoryRoundTripAndSealToListedCert);
    CPPUNIT_TEST_SUITE_END();

public:
    void testValidPermitAccepted()
    {
        PermitVerifier v(net().trust, HOFU);
        std::string doc = signPayload(samplePermit().toJson(), net().signer);
        Result<Permit> r = v.verify(doc, t("2025-04-01T00:30:00Z"), NEVER_SEEN);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("P20250401-000001"), r->permitId);
        CPPUNIT_ASSERT_EQUAL(CHIBA, r->requesterInstitution);
        CPPUNIT_ASSERT_EQUAL(std::string("TM00000000000002"), r->dataItemCode);
        CPPUNIT_ASSERT(r->expiry == t("2025-04-01T01:00:00Z"));
        // Boundaries: notBefore is inclusive.
        CPPUNIT_ASSERT(v.verify(doc, t("2025-04-01T00:00:00Z"), NEVER_SEEN).isOk());
    }

    /// toJson writes the members directly: the same bytes as the Poco Object (sorted members)
    /// it replaced, and parse() reads every field back.
    void testJsonAsPocoWritesItAndReadBack()
    {
        Permit p = samplePermit();
        Poco::JSON::Object o;
        o.set("type", std::string(Permit::TYPE));
        o.set("permitId", p.permitId);
        o.set("requesterInstitution", p.requesterInstitution);
        o.set("providerInstitution", p.providerInstitution);
        o.set("jimuCode", p.jimuCode);
        o.set("procedureCode", p.procedureCode);
        o.set("dataItemCode", p.dataItemCode);
        o.set("issuedAt", SignedTime::format(p.issuedAt));
        o.set("notBefore", SignedTime::format(p.notBefore));
        o.set("expiry", SignedTime::format(p.expiry));
        o.set("nonce", p.nonce);
        CPPUNIT_ASSERT_EQUAL(SignedPayload::stringify(o), p.toJson());
        Permit back = Permit::parse(p.toJson()).value();
        CPPUNIT_ASSERT_EQUAL(p.permitId, back.permitId);
        CPPUNIT_ASSERT_EQUAL(p.requesterInstitution, back.requesterInstitution);
        CPPUNIT_ASSERT_EQUAL(p.providerInstitution, back.providerInstitution);
        CPPUNIT_ASSERT_EQUAL(p.jimuCode, back.jimuCode);
        CPPUNIT_ASSERT_EQUAL(p.procedureCode, back.procedureCode);
        CPPUNIT_ASSERT_EQUAL(p.dataItemCode, back.dataItemCode);
        CPPUNIT_ASSERT(p.issuedAt == back.issuedAt && p.notBefore == back.notBefore && p.expiry == back.expiry);
        CPPUNIT_ASSERT_EQUAL(p.nonce, back.nonce);
        // A value needing escapes is still one JSON string (parse refuses its shape, not the JSON).
        p.permitId = "a\"b\\c\n";
        Result<Permit> odd = Permit::parse(p.toJson());
        CPPUNIT_ASSERT(!odd.isOk());
        CPPUNIT_ASSERT(odd.status().message().find("permitId") != std::string::npos);
    }

    void testTamperedPayload()
    {
        SignedEnvelope env = SignedEnvelope::sign(samplePermit().toJson(), net().signer.keyPem, net().signer.certPem).value();
        std::string payload = env.payload();
        std::size_t at = payload.find(CHIBA);
        payload.replace(at, CHIBA.size(), "9999990000000000");
        std::string doc = SignedEnvelope(payload, env.signature(), env.signerPem()).toJson();
        Result<Permit> r = PermitVerifier(net().trust, HOFU).verify(doc, t("2025-04-01T00:30:00Z"), NEVER_SEEN);
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("permit refused: signed envelope: signature") == 0);
    }

    void testTamperedSignature()
    {
        SignedEnvelope env = SignedEnvelope::sign(samplePermit().toJson(), net().signer.keyPem, net().signer.certPem).value();
        std::string sig = env.signature();
        sig[sig.size() - 3] = static_cast<char>(sig[sig.size() - 3] ^ 0x10);
        std::string doc = SignedEnvelope(env.payload(), sig, env.signerPem()).toJson();
        Result<Permit> r = PermitVerifier(net().trust, HOFU).verify(doc, t("2025-04-01T00:30:00Z"), NEVER_SEEN);
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("does not verify") != std::string::npos);
    }

    void testSignerNotUnderTrustAnchor()
    {
        // Same subject name as the real signer, issued by another root.
        std::string doc = signPayload(samplePermit().toJson(), net().rogueSigner);
        Result<Permit> r = PermitVerifier(net().trust, HOFU).verify(doc, t("2025-04-01T00:30:00Z"), NEVER_SEEN);
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("not trusted") != std::string::npos);
    }

    void testExpired()
    {
        std::string doc = signPayload(samplePermit().toJson(), net().signer);
        PermitVerifier v(net().trust, HOFU);
        for (const char* now : {"2025-04-01T01:00:00Z", "2025-04-02T00:00:00Z"}) // expiry is exclusive
        {
            Result<Permit> r = v.verify(doc, t(now), NEVER_SEEN);
            CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, r.status().code());
            CPPUNIT_ASSERT(r.status().message().find("expired at 2025-04-01T01:00:00Z") != std::string::npos);
        }
    }

    void testNotYetValid()
    {
        std::string doc = signPayload(samplePermit().toJson(), net().signer);
        Result<Permit> r = PermitVerifier(net().trust, HOFU).verify(doc, t("2025-03-31T23:59:59Z"), NEVER_SEEN);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("not yet valid") != std::string::npos);
    }

    void testWrongProvider()
    {
        std::string doc = signPayload(samplePermit().toJson(), net().signer);
        Result<Permit> r = PermitVerifier(net().trust, CHIBA).verify(doc, t("2025-04-01T00:30:00Z"), NEVER_SEEN);
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("wrongly addressed: provider is " + HOFU) != std::string::npos);
    }

    void testReplay()
    {
        std::set<std::string> used; // stands in for the store: ids and nonces already accepted
        PermitVerifier::SeenCheck seen = [&used](const Permit& p) {
            return used.count("id:" + p.permitId) > 0 || used.count("nonce:" + p.nonce) > 0;
        };
        PermitVerifier v(net().trust, HOFU);
        std::string doc = signPayload(samplePermit().toJson(), net().signer);
        Result<Permit> first = v.verify(doc, t("2025-04-01T00:30:00Z"), seen);
        CPPUNIT_ASSERT(first.isOk());
        used.insert("id:" + first->permitId);
        used.insert("nonce:" + first->nonce);
        Result<Permit> again = v.verify(doc, t("2025-04-01T00:31:00Z"), seen);
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, again.status().code());
        CPPUNIT_ASSERT(again.status().message().find("replay") != std::string::npos);
        // A re-issued permit with a new id but the old nonce is a replay too.
        Permit reissued = samplePermit();
        reissued.permitId = "P20250401-000002";
        Result<Permit> sameNonce = v.verify(signPayload(reissued.toJson(), net().signer), t("2025-04-01T00:31:00Z"), seen);
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, sameNonce.status().code());
    }

    void testFugoOrUnknownMemberRefused()
    {
        std::string json = samplePermit().toJson();
        json.insert(1, "\"fugo\":\"opaque-provider-fugo\",");
        Result<Permit> r = PermitVerifier(net().trust, HOFU)
                               .verify(signPayload(json, net().signer), t("2025-04-01T00:30:00Z"), NEVER_SEEN);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("unexpected member 'fugo'") != std::string::npos);
        CPPUNIT_ASSERT(samplePermit().toJson().find("fugo") == std::string::npos);
    }

    void testMalformedPermitFields()
    {
        Permit p = samplePermit();
        p.providerInstitution = "352063"; // a 地方公共団体コード, not a 16-character 機関コード
        Result<Permit> r = Permit::parse(p.toJson());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("'providerInstitution'") != std::string::npos);
        p = samplePermit();
        p.expiry = p.notBefore;
        CPPUNIT_ASSERT(Permit::parse(p.toJson()).status().message().find("is not before expiry") != std::string::npos);
        p = samplePermit();
        p.nonce = "short";
        CPPUNIT_ASSERT(Permit::parse(p.toJson()).status().message().find("'nonce'") != std::string::npos);
        std::string json = samplePermit().toJson();
        json.replace(json.find("2025-04-01T01:00:00Z"), 20, "tomorrow");
        CPPUNIT_ASSERT(Permit::parse(json).status().message().find("'expiry'") != std::string::npos);
    }

    void testOtherDocumentTypeRefused()
    {
        PermitList list;
        list.listId = "L1";
        list.issuedAt = t("2025-04-01T00:00:00Z");
        Result<Permit> r = PermitVerifier(net().trust, HOFU)
                               .verify(signPayload(list.toJson(), net().signer), t("2025-04-01T00:30:00Z"), NEVER_SEEN);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("type 'permission-list' where a provision-permit") != std::string::npos);
    }

    void testPermissionListRoundTrip()
    {
        PermitList list;
        list.listId = "LIST-2025-04";
        list.issuedAt = t("2025-04-01T00:00:00Z");
        list.entries.push_back({CHIBA, HOFU, "JM01000000121000", "JT01010000000214", "TM00000000000002",
                                t("2025-04-01T00:00:00Z"), t("2026-04-01T00:00:00Z")});
        SignedEnvelope env = SignedEnvelope::parse(signPayload(list.toJson(), net().signer)).value();
        CPPUNIT_ASSERT(env.verify(*net().trust, t("2025-05-01T00:00:00Z")).isOk());
        Result<PermitList> back = PermitList::parse(env.payload());
        CPPUNIT_ASSERT_MESSAGE(back.status().toString(), back.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), back->entries.size());
        auto at = t("2025-05-01T00:00:00Z");
        CPPUNIT_ASSERT(back->find(CHIBA, HOFU, "JM01000000121000", "JT01010000000214", "TM00000000000002", at));
        CPPUNIT_ASSERT(!back->find(HOFU, CHIBA, "JM01000000121000", "JT01010000000214", "TM00000000000002", at));
        CPPUNIT_ASSERT(!back->find(CHIBA, HOFU, "JM01000000121000", "JT01010000000214", "TM00000000000003", at));
        CPPUNIT_ASSERT(!back->find(CHIBA, HOFU, "JM01000000121000", "JT01010000000214", "TM00000000000002",
                                   t("2026-04-01T00:00:00Z")));
    }

    void testDirectoryRoundTripAndSealToListedCert()
    {
        TestIdentity hofuEnc = net().pki.issue("352063 encryption", TestPki::Key::RSA);
        SignedDirectory dir;
        dir.directoryId = "DIR-1";
        dir.issuedAt = t("2025-04-01T00:00:00Z");
        dir.institutions.push_back({HOFU, "防府市", "https://127.0.0.1:8443/ipn", hofuEnc.certPem});
        SignedEnvelope env = SignedEnvelope::parse(signPayload(dir.toJson(), net().signer)).value();
        CPPUNIT_ASSERT(env.verify(*net().trust, t("2025-04-01T00:30:00Z")).isOk());
        Result<SignedDirectory> back = SignedDirectory::parse(env.payload());
        CPPUNIT_ASSERT_MESSAGE(back.status().toString(), back.isOk());
        const SignedDirectory::Institution* hofu = back->find(HOFU);
        CPPUNIT_ASSERT(hofu != nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("防府市"), hofu->name);
        Result<std::string> sealed = CmsEnvelope::seal("result", hofu->encryptionCertificate);
        CPPUNIT_ASSERT_EQUAL(std::string("result"), CmsEnvelope::open(sealed.value(), hofuEnc.keyPem).value());
        dir.institutions.push_back(dir.institutions.front());
        CPPUNIT_ASSERT(SignedDirectory::parse(dir.toJson()).status().message().find("listed twice") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PermitTest);
