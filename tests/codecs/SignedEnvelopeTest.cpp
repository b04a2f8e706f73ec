// SignedEnvelopeTest: ECDSA and RSA-PSS signing, the JSON wire form, and signer trust (chain, time, purpose).
#include "codecs/CryptoTrustStore.h"
#include "codecs/SignedEnvelope.h"
#include "codecs/SignedTime.h"
#include "tests/support/TestPki.h"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>

using namespace chukan;

namespace {

struct Signers
{
    TestPki pki{"network root"};
    TestPki rogue{"rogue root"};
    TestIdentity ec = pki.issue("network signing ec", signing(TestPki::Key::EC));
    TestIdentity rsa = pki.issue("network signing rsa", signing(TestPki::Key::RSA));
    TestIdentity rogueSigner = rogue.issue("rogue signing", signing(TestPki::Key::EC));
    TestIdentity encryptOnly = pki.issue("encryption only", usage("critical,keyEncipherment,keyAgreement"));
    TestIdentity expired = pki.issue("expired signing", window(1704067200, 1735689600)); // all of 2024
    TestIdentity tlsClient = pki.issue("juki", tls());

    static TestPki::Options signing(TestPki::Key key) { return TestPki::documentSigner(key); }
    static TestPki::Options tls()
    {
        TestPki::Options o;
        o.keyUsage = "critical,digitalSignature";
        o.extendedKeyUsage = "clientAuth";
        return o;
    }
    static TestPki::Options usage(const std::string& ku)
    {
        TestPki::Options o;
        o.keyUsage = ku;
        return o;
    }
    static TestPki::Options window(std::time_t from, std::time_t to)
    {
        TestPki::Options o = signing(TestPki::Key::EC);
        o.notBefore = from;
        o.notAfter = to;
        return o;
    }
};

const Signers& signers()
{
    static Signers s;
    return s;
}

Poco::Timestamp at2025()
{
    return SignedTime::parse("2025-04-01T00:30:00Z", "test time").value();
}

const CryptoTrustStore& trust()
{
    static CryptoTrustStore t = CryptoTrustStore::fromPem(signers().pki.ca().certPem).value();
    return t;
}

SignedEnvelope signWith(const TestIdentity& id, const std::string& payload)
{
    Result<SignedEnvelope> env = SignedEnvelope::sign(payload, id.keyPem, id.certPem);
    CPPUNIT_ASSERT_MESSAGE(env.status().toString(), env.isOk());
    return env.value();
}

} // namespace

class SignedEnvelopeTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SignedEnvelopeTest);
    CPPUNIT_TEST(testEcdsaSignVerifyAndWireForm);
    CPPUNIT_TEST(testRsaPssSignVerify);
    CPPUNIT_TEST(testTamperedPayloadOrSignature);
    CPPUNIT_TEST(testUntrustedSigner);
    CPPUNIT_TEST(testSignerExpiredOrWithoutSigningPurpose);
    CPPUNIT_TEST(testMalformedWireForm);
    CPPUNIT_TEST(testWireFormVariantsReadAlike);
    CPPUNIT_TEST(testKeyMustMatchCertificate);
    CPPUNIT_TEST(testTimes);
    CPPUNIT_TEST(testTimeShapeMatchesTheIso8601Pattern);
    CPPUNIT_TEST(testRememberedSignerKeepsEveryCheck);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEcdsaSignVerifyAndWireForm()
    {
        SignedEnvelope env = signWith(signers().ec, "{\"type\":\"x\"}");
        std::string json = env.toJson();
        CPPUNIT_ASSERT(json.find("\"payload\":\"eyJ0eXBlIjoieCJ9\"") != std::string::npos);
        Result<SignedEnvelope> back = SignedEnvelope::parse(json);
        CPPUNIT_ASSERT_MESSAGE(back.status().toString(), back.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("{\"type\":\"x\"}"), back->payload());
        CPPUNIT_ASSERT(back->signature() == env.signature());
        Status s = back->verify(trust(), at2025());
        CPPUNIT_ASSERT_MESSAGE(s.toString(), s.isOk());
    }

    void testRsaPssSignVerify()
    {
        SignedEnvelope env = signWith(signers().rsa, "payload bytes");
        CPPUNIT_ASSERT_EQUAL(std::size_t(256), env.signature().size());
        Status s = SignedEnvelope::parse(env.toJson()).value().verify(trust(), at2025());
        CPPUNIT_ASSERT_MESSAGE(s.toString(), s.isOk());
    }

    void testTamperedPayloadOrSignature()
    {
        for (const TestIdentity* id : {&signers().ec, &signers().rsa})
        {
            SignedEnvelope env = signWith(*id, "provider=1210020000000000");
            SignedEnvelope payload("provider=3520630000000000", env.signature(), env.signerPem());
            Status s = payload.verify(trust(), at2025());
            CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, s.code());
            CPPUNIT_ASSERT(s.message().find("does not verify") != std::string::npos);
            std::string sig = env.signature();
            sig[sig.size() / 2] = static_cast<char>(sig[sig.size() / 2] ^ 0x04);
            SignedEnvelope signature(env.payload(), sig, env.signerPem());
            CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, signature.verify(trust(), at2025()).code());
            // Swapping in another trusted signer's certificate does not help either.
            const TestIdentity& other = id == &signers().ec ? signers().rsa : signers().ec;
            SignedEnvelope swapped(env.payload(), env.signature(), other.certPem);
            CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, swapped.verify(trust(), at2025()).code());
        }
    }

    void testUntrustedSigner()
    {
        SignedEnvelope env = signWith(signers().rogueSigner, "payload");
        Status s = env.verify(trust(), at2025());
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, s.code());
        CPPUNIT_ASSERT(s.message().find("not trusted") != std::string::npos);
        CPPUNIT_ASSERT(s.message().find("rogue signing") != std::string::npos);
        // A self-signed CA certificate is not a document signer even if it is the anchor.
        SignedEnvelope byRoot = signWith(signers().pki.ca(), "payload");
        Status r = byRoot.verify(trust(), at2025());
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, r.code());
        CPPUNIT_ASSERT(r.message().find("is a CA certificate") != std::string::npos);
    }

    void testSignerExpiredOrWithoutSigningPurpose()
    {
        Status expired = signWith(signers().expired, "payload").verify(trust(), at2025());
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, expired.code());
        CPPUNIT_ASSERT(expired.message().find("expired") != std::string::npos);
        Status purpose = signWith(signers().encryptOnly, "payload").verify(trust(), at2025());
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, purpose.code());
        CPPUNIT_ASSERT(purpose.message().find("digitalSignature") != std::string::npos);
        // A TLS client certificate under the same root may sign, but not documents.
        Status tls = signWith(signers().tlsClient, "payload").verify(trust(), at2025());
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, tls.code());
        CPPUNIT_ASSERT(tls.message().find("documentSigning") != std::string::npos);
    }

    void testMalformedWireForm()
    {
        std::string good = signWith(signers().ec, "p").toJson();
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, SignedEnvelope::parse("").status().code());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, SignedEnvelope::parse("[1,2]").status().code());
        Result<SignedEnvelope> missing = SignedEnvelope::parse("{\"payload\":\"cA==\",\"signer\":\"x\"}");
        CPPUNIT_ASSERT(missing.status().message().find("'signature'") != std::string::npos);
        Result<SignedEnvelope> bad = SignedEnvelope::parse("{\"payload\":\"%%%\",\"signature\":\"cA==\",\"signer\":\"x\"}");
        CPPUNIT_ASSERT(bad.status().message().find("payload: not base64") != std::string::npos);
        std::string extra = good.substr(0, good.size() - 1) + ",\"alg\":\"none\"}";
        CPPUNIT_ASSERT(SignedEnvelope::parse(extra).status().message().find("unexpected members") != std::string::npos);
        SignedEnvelope noCert("p", "sig", "not a certificate");
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, noCert.verify(trust(), at2025()).code());
    }

    /// The direct reader (plain objects) and Poco's parser (everything else) read the same
    /// envelope from every spelling of it: member order, white space, escaped '/', \u escapes,
    /// a non-ASCII character (Poco's path), and the form toJson writes.
    void testWireFormVariantsReadAlike()
    {
        SignedEnvelope env = signWith(signers().ec, "p");
        const std::string p64 = "cA==";
        std::string sig64;
        {
            std::string good = env.toJson();
            std::size_t at = good.find("\"signature\":\"") + 13;
            sig64 = good.substr(at, good.find('"', at) - at);
        }
        std::string pem;
        for (char c : env.signerPem())
            pem += c == '\n' ? std::string("\\n") : c == '/' ? std::string("\\/") : std::string(1, c);
        const std::string variants[] = {
            env.toJson(),
            "{\"signer\":\"" + pem + "\",\"payload\":\"" + p64 + "\",\"signature\":\"" + sig64 + "\"}",
            " {\n \"payload\" : \"" + p64 + "\" ,\r\n\t\"signature\":\"" + sig64 + "\", \"signer\": \"" + pem + "\" }\n",
            "{\"payload\":\"\\u0063A==\",\"signature\":\"" + sig64 + "\",\"signer\":\"" + pem + "\"}",
        };
        for (const std::string& json : variants)
        {
            Result<SignedEnvelope> back = SignedEnvelope::parse(json);
            CPPUNIT_ASSERT_MESSAGE(back.status().toString() + "\n" + json, back.isOk());
            CPPUNIT_ASSERT(back->payload() == "p");
            CPPUNIT_ASSERT(back->signature() == env.signature());
            CPPUNIT_ASSERT(back->signerPem() == env.signerPem());
            CPPUNIT_ASSERT(back->verify(trust(), at2025()).isOk());
        }
        // Not plain (a non-ASCII signer, a duplicate member, a number): Poco's parser decides.
        Result<SignedEnvelope> utf8 = SignedEnvelope::parse("{\"payload\":\"cA==\",\"signature\":\"" + sig64 +
                                                            "\",\"signer\":\"日本\"}");
        CPPUNIT_ASSERT_MESSAGE(utf8.status().toString(), utf8.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("日本"), utf8->signerPem());
        CPPUNIT_ASSERT(!SignedEnvelope::parse("{\"payload\":\"cA==\",\"payload\":\"cA==\",\"signer\":\"x\"}").isOk());
        Result<SignedEnvelope> number = SignedEnvelope::parse("{\"payload\":\"cA==\",\"signature\":1,\"signer\":\"x\"}");
        CPPUNIT_ASSERT(number.status().message().find("'signature' is missing or not a string") != std::string::npos);
        CPPUNIT_ASSERT(!SignedEnvelope::parse(env.toJson() + "x").isOk());
    }

    void testKeyMustMatchCertificate()
    {
        Result<SignedEnvelope> env = SignedEnvelope::sign("p", signers().ec.keyPem, signers().rsa.certPem);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, env.status().code());
        CPPUNIT_ASSERT(env.status().message().find("does not belong") != std::string::npos);
    }

    void testTimes()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("2025-04-01T00:30:00Z"), SignedTime::format(at2025()));
        Result<Poco::Timestamp> offset = SignedTime::parse("2025-04-01T09:30:00+09:00", "t");
        CPPUNIT_ASSERT(offset.isOk());
        CPPUNIT_ASSERT(offset.value() == at2025());
        CPPUNIT_ASSERT(!SignedTime::parse("2025-04-01 00:30:00", "t").isOk());
        CPPUNIT_ASSERT(!SignedTime::parse("2025-02-30T00:00:00Z", "t").isOk());
        CPPUNIT_ASSERT(!SignedTime::parse("2025-04-01T00:30:00", "t").isOk()); // no zone
    }

    /// SignedTime checks the shape by hand; it accepts exactly what the pattern it replaced
    /// accepts (then the calendar check decides), over valid times and every kind of near miss.
    void testTimeShapeMatchesTheIso8601Pattern()
    {
        const std::regex shape(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))");
        std::vector<std::string> texts = {"2025-04-01T09:00:00Z", "2025-04-01T09:00:00+09:00", "2025-04-01T09:00:00-05:30",
                                          "2025-04-01T09:00:00.5Z", "2025-04-01T09:00:00.123456789Z",
                                          "2025-04-01T09:00:00.1234567890Z", "2025-04-01T09:00:00.Z",
                                          "2025-04-01T09:00:00.12+09:00", "2025-04-01T09:00:00", "2025-04-01T09:00:00z",
                                          "2025-04-01t09:00:00Z", "2025-04-01T09:00:00ZZ", "2025-04-01T09:00:00+0900",
                                          "2025-04-01T09:00:00+09:0", "2025-04-01T09:00:00+09:000", " 2025-04-01T09:00:00Z",
                                          "2025-04-01T09:00:00Z ", "2025-4-01T09:00:00Z", "20250-04-01T09:00:00Z",
                                          "2025/04/01T09:00:00Z", "2025-04-01T09:00Z", "", "Z", "2025-04-01T09:00:00\n",
                                          "2025-04-01T09:00:00\xEF\xBC\x95Z", "\xEF\xBC\x92" "025-04-01T09:00:00Z"};
        // Every single-character change of two valid times, over characters that matter here.
        const std::string alphabet("0959-+:.TZ x\0", 13);
        for (const char* base0 : {"2025-04-01T09:00:00.25+09:00", "2025-04-01T09:00:00Z"})
        {
            const std::string base = base0;
            for (std::size_t i = 0; i <= base.size(); ++i)
                for (char c : alphabet)
                {
                    texts.push_back(base.substr(0, i) + c + base.substr(i));  // inserted
                    if (i < base.size())
                    {
                        std::string t = base;
                        t[i] = c; // replaced
                        texts.push_back(t);
                        texts.push_back(base.substr(0, i) + base.substr(i + 1)); // removed
                    }
                }
        }
        for (const std::string& t : texts)
        {
            bool shaped = std::regex_match(t, shape);
            Result<Poco::Timestamp> parsed = SignedTime::parse(t, "t");
            if (!shaped)
                CPPUNIT_ASSERT_MESSAGE("accepted '" + t + "'", !parsed.isOk());
            else if (!parsed.isOk())
                CPPUNIT_ASSERT_MESSAGE("refused the shape of '" + t + "': " + parsed.status().message(),
                                       parsed.status().message().find("not a valid date") != std::string::npos);
        }
    }

    /// A signer accepted once is not chain-verified again within its validity and the memory's
    /// age limit; outside either it is, and the signature itself is checked every time.
    void testRememberedSignerKeepsEveryCheck()
    {
        const std::time_t at = static_cast<std::time_t>(at2025().epochTime());
        TestPki::Options o = TestPki::documentSigner();
        o.notAfter = at + 200; // expires 200 s after at2025
        TestIdentity shortLived = signers().pki.issue("short-lived signing", o);
        CryptoTrustStore store = CryptoTrustStore::fromPem(signers().pki.ca().certPem).value();
        auto when = [&](long seconds) { return Poco::Timestamp::fromEpochTime(at + seconds); };
        SignedEnvelope env = signWith(shortLived, "permit payload");

        CPPUNIT_ASSERT(env.verify(store, when(0)).isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), store.chainVerifications());
        CPPUNIT_ASSERT(env.verify(store, when(10)).isOk());
        CPPUNIT_ASSERT(env.verify(store, when(199)).isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), store.chainVerifications()); // remembered
        // The signature is still verified on a remembered signer.
        std::string sig = env.signature();
        sig[sig.size() / 2] = static_cast<char>(sig[sig.size() / 2] ^ 0x04);
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, SignedEnvelope(env.payload(), sig, env.signerPem()).verify(store, when(20)).code());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION,
                             SignedEnvelope("other payload", env.signature(), env.signerPem()).verify(store, when(20)).code());
        // At its notAfter the certificate has expired: the memory does not cover it.
        Status expired = env.verify(store, when(200));
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, expired.code());
        CPPUNIT_ASSERT_MESSAGE(expired.message(), expired.message().find("expired") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), store.chainVerifications());
        // Before its notBefore (2025-01-01) neither.
        Poco::Timestamp early = SignedTime::parse("2024-12-31T23:59:59Z", "t").value();
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, env.verify(store, early).code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), store.chainVerifications());
        // A long-lived signer: past the memory's age limit the chain is verified again.
        SignedEnvelope ec = signWith(signers().ec, "permit payload");
        CPPUNIT_ASSERT(ec.verify(store, when(0)).isOk());
        CPPUNIT_ASSERT(ec.verify(store, when(CryptoTrustStore::VERDICT_MAX_AGE_SECONDS)).isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), store.chainVerifications());
        CPPUNIT_ASSERT(ec.verify(store, when(CryptoTrustStore::VERDICT_MAX_AGE_SECONDS + 1)).isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), store.chainVerifications());
        // Refusals are never remembered: each one is a full verification.
        for (int i = 0; i < 3; ++i)
            CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, signWith(signers().tlsClient, "p").verify(store, when(0)).code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(8), store.chainVerifications());
        // Another store (other anchors) knows nothing of what this one accepted.
        CryptoTrustStore rogue = CryptoTrustStore::fromPem(signers().rogue.ca().certPem).value();
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, ec.verify(rogue, when(0)).code());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SignedEnvelopeTest);
