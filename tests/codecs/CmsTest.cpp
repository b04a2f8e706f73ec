// CmsTest: AES-256-GCM AuthEnvelopedData round trips for RSA-OAEP and ECDH recipients, and every way opening must fail.
#include "codecs/CmsEnvelope.h"
#include "codecs/CryptoPtr.h"
#include "tests/support/TestPki.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace chukan;

namespace {

/// One PKI for the whole fixture: key generation is the slow part.
struct Keys
{
    TestPki pki;
    TestIdentity rsa = pki.issue("rsa recipient", TestPki::Key::RSA);
    TestIdentity ec = pki.issue("ec recipient", TestPki::Key::EC);
    TestIdentity otherRsa = pki.issue("other rsa", TestPki::Key::RSA);
    TestIdentity otherEc = pki.issue("other ec", TestPki::Key::EC);
};

const Keys& keys()
{
    static Keys k;
    return k;
}

const std::string PLAINTEXT = "<result><item code=\"TM00000000000002\">接種記録 2025-04-01</item></result>";

int contentTypeNid(const std::string& der)
{
    BioPtr in(BIO_new_mem_buf(der.data(), static_cast<int>(der.size())));
    CmsPtr cms(d2i_CMS_bio(in.get(), nullptr));
    return cms ? OBJ_obj2nid(CMS_get0_type(cms.get())) : NID_undef;
}

} // namespace

class CmsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CmsTest);
    CPPUNIT_TEST(testRsaRoundTrip);
    CPPUNIT_TEST(testEcRoundTrip);
    CPPUNIT_TEST(testPemRoundTripWithoutCert);
    CPPUNIT_TEST(testTwoRecipients);
    CPPUNIT_TEST(testRsaRecipientUsesOaep);
    CPPUNIT_TEST(testWrongKeyFails);
    CPPUNIT_TEST(testCertNotMatchingKeyRefused);
    CPPUNIT_TEST(testFlippedCiphertextBitFails);
    CPPUNIT_TEST(testOriginatorKeyNotOnTheCurveRefused);
    CPPUNIT_TEST(testUnauthenticatedEnvelopedDataRefused);
    CPPUNIT_TEST(testGarbageAndBadInputs);
    CPPUNIT_TEST(testConcurrentSealOpen);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRsaRoundTrip()
    {
        Result<std::string> sealed = CmsEnvelope::seal(PLAINTEXT, keys().rsa.certPem);
        CPPUNIT_ASSERT_MESSAGE(sealed.status().toString(), sealed.isOk());
        CPPUNIT_ASSERT_EQUAL(int(NID_id_smime_ct_authEnvelopedData), contentTypeNid(sealed.value()));
        CPPUNIT_ASSERT(sealed->find("接種記録") == std::string::npos);
        Result<std::string> opened = CmsEnvelope::open(sealed.value(), keys().rsa.keyPem, keys().rsa.certPem);
        CPPUNIT_ASSERT_MESSAGE(opened.status().toString(), opened.isOk());
        CPPUNIT_ASSERT_EQUAL(PLAINTEXT, opened.value());
    }

    void testEcRoundTrip()
    {
        Result<std::string> sealed = CmsEnvelope::seal(PLAINTEXT, keys().ec.certPem);
        CPPUNIT_ASSERT_MESSAGE(sealed.status().toString(), sealed.isOk());
        Result<std::string> opened = CmsEnvelope::open(sealed.value(), keys().ec.keyPem, keys().ec.certPem);
        CPPUNIT_ASSERT_MESSAGE(opened.status().toString(), opened.isOk());
        CPPUNIT_ASSERT_EQUAL(PLAINTEXT, opened.value());
    }

    void testPemRoundTripWithoutCert()
    {
        std::string binary("\0\x01\xff\r\n", 5);
        for (const TestIdentity* id : {&keys().rsa, &keys().ec})
        {
            Result<std::string> sealed = CmsEnvelope::seal(binary, id->certPem, CmsEnvelope::Encoding::PEM);
            CPPUNIT_ASSERT(sealed.isOk());
            CPPUNIT_ASSERT(sealed->compare(0, 15, "-----BEGIN CMS-") == 0);
            Result<std::string> opened = CmsEnvelope::open(sealed.value(), id->keyPem);
            CPPUNIT_ASSERT_MESSAGE(opened.status().toString(), opened.isOk());
            CPPUNIT_ASSERT(binary == opened.value());
        }
    }

    void testTwoRecipients()
    {
        Result<std::string> sealed = CmsEnvelope::seal(PLAINTEXT, {keys().rsa.certPem, keys().ec.certPem});
        CPPUNIT_ASSERT(sealed.isOk());
        CPPUNIT_ASSERT_EQUAL(PLAINTEXT, CmsEnvelope::open(sealed.value(), keys().rsa.keyPem).value());
        CPPUNIT_ASSERT_EQUAL(PLAINTEXT, CmsEnvelope::open(sealed.value(), keys().ec.keyPem).value());
    }

    void testRsaRecipientUsesOaep()
    {
        Result<std::string> sealed = CmsEnvelope::seal(PLAINTEXT, keys().rsa.certPem);
        CPPUNIT_ASSERT(sealed.isOk());
        BioPtr in(BIO_new_mem_buf(sealed->data(), static_cast<int>(sealed->size())));
        CmsPtr cms(d2i_CMS_bio(in.get(), nullptr));
        CPPUNIT_ASSERT(cms != nullptr);
        STACK_OF(CMS_RecipientInfo)* ris = CMS_get0_RecipientInfos(cms.get());
        CPPUNIT_ASSERT_EQUAL(1, sk_CMS_RecipientInfo_num(ris));
        CMS_RecipientInfo* ri = sk_CMS_RecipientInfo_value(ris, 0);
        CPPUNIT_ASSERT_EQUAL(int(CMS_RECIPINFO_TRANS), CMS_RecipientInfo_type(ri));
        X509_ALGOR* alg = nullptr;
        CPPUNIT_ASSERT_EQUAL(1, CMS_RecipientInfo_ktri_get0_algs(ri, nullptr, nullptr, &alg));
        const ASN1_OBJECT* oid = nullptr;
        X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
        CPPUNIT_ASSERT_EQUAL(int(NID_rsaesOaep), OBJ_obj2nid(oid));
    }

    void testWrongKeyFails()
    {
        Result<std::string> sealedRsa = CmsEnvelope::seal(PLAINTEXT, keys().rsa.certPem);
        Result<std::string> sealedEc = CmsEnvelope::seal(PLAINTEXT, keys().ec.certPem);
        CPPUNIT_ASSERT(sealedRsa.isOk() && sealedEc.isOk());
        // Another key of the same type, with and without its certificate.
        Result<std::string> r1 = CmsEnvelope::open(sealedRsa.value(), keys().otherRsa.keyPem);
        Result<std::string> r2 = CmsEnvelope::open(sealedRsa.value(), keys().otherRsa.keyPem, keys().otherRsa.certPem);
        Result<std::string> r3 = CmsEnvelope::open(sealedEc.value(), keys().otherEc.keyPem);
        Result<std::string> r4 = CmsEnvelope::open(sealedEc.value(), keys().otherEc.keyPem, keys().otherEc.certPem);
        // A key of the other type.
        Result<std::string> r5 = CmsEnvelope::open(sealedRsa.value(), keys().ec.keyPem);
        for (const Result<std::string>* r : {&r1, &r2, &r3, &r4, &r5})
        {
            CPPUNIT_ASSERT(!r->isOk());
            CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, r->status().code());
            CPPUNIT_ASSERT(r->status().message().find("cannot open") != std::string::npos);
        }
    }

    void testCertNotMatchingKeyRefused()
    {
        Result<std::string> sealed = CmsEnvelope::seal(PLAINTEXT, keys().rsa.certPem);
        Result<std::string> r = CmsEnvelope::open(sealed.value(), keys().otherRsa.keyPem, keys().rsa.certPem);
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("does not belong to the private key") != std::string::npos);
    }

    void testFlippedCiphertextBitFails()
    {
        std::string longText(4096, 'x');
        for (const TestIdentity* id : {&keys().rsa, &keys().ec})
        {
            Result<std::string> sealed = CmsEnvelope::seal(longText, id->certPem);
            CPPUNIT_ASSERT(sealed.isOk());
            // The encrypted content is near the end of the DER (before the 16-byte GCM tag).
            std::string tampered = sealed.value();
            std::size_t at = tampered.size() - 16 - 2000;
            tampered[at] = static_cast<char>(tampered[at] ^ 0x01);
            Result<std::string> r = CmsEnvelope::open(tampered, id->keyPem, id->certPem);
            CPPUNIT_ASSERT(!r.isOk());
            CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, r.status().code());
            // And the tag itself.
            std::string badTag = sealed.value();
            badTag[badTag.size() - 1] = static_cast<char>(badTag[badTag.size() - 1] ^ 0x80);
            CPPUNIT_ASSERT(!CmsEnvelope::open(badTag, id->keyPem, id->certPem).isOk());
        }
    }

    void testOriginatorKeyNotOnTheCurveRefused()
    {
        // The ephemeral public key of the EC recipient is the BIT STRING 03 42 00 04 X Y. open()
        // validates it itself (a point of the curve, not infinity) instead of OpenSSL's full
        // validation: a Y changed by one bit, or the point at infinity, must still be refused
        // before any key is derived, and give no plaintext.
        Result<std::string> sealed = CmsEnvelope::seal(PLAINTEXT, keys().ec.certPem);
        CPPUNIT_ASSERT(sealed.isOk());
        const std::string marker("\x03\x42\x00\x04", 4);
        std::size_t at = sealed->find(marker);
        CPPUNIT_ASSERT(at != std::string::npos);
        CPPUNIT_ASSERT(sealed->find(marker, at + 1) == std::string::npos); // the one EC point
        std::string offCurve = sealed.value();
        offCurve[at + 3 + 64] = static_cast<char>(offCurve[at + 3 + 64] ^ 0x01); // last byte of Y
        std::string infinity = sealed.value();
        infinity[at + 3] = 0x00;
        for (const std::string* bad : {&offCurve, &infinity})
            for (const std::string& cert : {keys().ec.certPem, std::string()})
            {
                Result<std::string> r = CmsEnvelope::open(*bad, keys().ec.keyPem, cert);
                CPPUNIT_ASSERT(!r.isOk());
                CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, r.status().code());
            }
        // The untouched envelope still opens, with and without the certificate.
        CPPUNIT_ASSERT_EQUAL(PLAINTEXT, CmsEnvelope::open(sealed.value(), keys().ec.keyPem, keys().ec.certPem).value());
        CPPUNIT_ASSERT_EQUAL(PLAINTEXT, CmsEnvelope::open(sealed.value(), keys().ec.keyPem).value());
    }

    void testUnauthenticatedEnvelopedDataRefused()
    {
        // Build classic EnvelopedData (AES-256-CBC) with OpenSSL directly: opening must refuse it.
        BioPtr certBio(BIO_new_mem_buf(keys().rsa.certPem.data(), static_cast<int>(keys().rsa.certPem.size())));
        X509Ptr cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
        X509StackPtr certs(sk_X509_new_null());
        sk_X509_push(certs.get(), X509_dup(cert.get()));
        BioPtr in(BIO_new_mem_buf(PLAINTEXT.data(), static_cast<int>(PLAINTEXT.size())));
        CmsPtr cms(CMS_encrypt(certs.get(), in.get(), EVP_aes_256_cbc(), CMS_BINARY));
        CPPUNIT_ASSERT(cms != nullptr);
        BioPtr out(BIO_new(BIO_s_mem()));
        CPPUNIT_ASSERT_EQUAL(1, i2d_CMS_bio(out.get(), cms.get()));
        char* p = nullptr;
        long n = BIO_get_mem_data(out.get(), &p);
        Result<std::string> r = CmsEnvelope::open(std::string(p, static_cast<std::size_t>(n)), keys().rsa.keyPem);
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());
        CPPUNIT_ASSERT(r.status().message().find("only AuthEnvelopedData") != std::string::npos);
    }

    void testGarbageAndBadInputs()
    {
        Result<std::string> r = CmsEnvelope::open("not a CMS message", keys().rsa.keyPem);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, CmsEnvelope::open("", keys().rsa.keyPem).status().code());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, CmsEnvelope::open("x", "no key").status().code());
        Result<std::string> s = CmsEnvelope::seal(PLAINTEXT, "no cert");
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, s.status().code());
        CPPUNIT_ASSERT(s.status().message().find("recipient certificate 1") != std::string::npos);
        CPPUNIT_ASSERT(!CmsEnvelope::seal(PLAINTEXT, std::vector<std::string>{}).isOk());
    }

    void testConcurrentSealOpen()
    {
        // Shared inputs, per-call OpenSSL objects: threads must not disturb each other's
        // results or error queues (a failing open on one thread next to successes on others).
        std::atomic<int> good{0}, bad{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([t, &good, &bad] {
                const TestIdentity& id = t % 2 ? keys().ec : keys().rsa;
                for (int i = 0; i < 10; ++i)
                {
                    std::string text = PLAINTEXT + std::to_string(t * 100 + i);
                    Result<std::string> sealed = CmsEnvelope::seal(text, id.certPem);
                    Result<std::string> opened = CmsEnvelope::open(sealed.value(), id.keyPem, id.certPem);
                    if (opened.isOk() && opened.value() == text)
                        ++good;
                    Result<std::string> wrong = CmsEnvelope::open(sealed.value(), keys().otherEc.keyPem);
                    if (!wrong.isOk() && wrong.status().code() == Status::CORRUPTION)
                        ++bad;
                }
            });
        for (std::thread& th : threads)
            th.join();
        CPPUNIT_ASSERT_EQUAL(40, good.load());
        CPPUNIT_ASSERT_EQUAL(40, bad.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CmsTest);
