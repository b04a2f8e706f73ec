// CmsKeyAgreeTest: the ECDH AuthEnvelopedData written by hand is what OpenSSL's CMS writes and
// opens, fresh every time, and its unwrap refuses what OpenSSL would.
#include "codecs/CmsKeyAgree.h"
#include "codecs/CryptoPtr.h"
#include "tests/support/TestPki.h"

#include <cppunit/extensions/HelperMacros.h>
#include <openssl/err.h>

using namespace chukan;

namespace
{

struct Identity
{
    X509Ptr cert;
    EvpPkeyPtr key;
};

Identity read(const TestIdentity& id)
{
    BioPtr c(BIO_new_mem_buf(id.certPem.data(), static_cast<int>(id.certPem.size())));
    BioPtr k(BIO_new_mem_buf(id.keyPem.data(), static_cast<int>(id.keyPem.size())));
    return Identity{X509Ptr(PEM_read_bio_X509(c.get(), nullptr, nullptr, nullptr)),
                    EvpPkeyPtr(PEM_read_bio_PrivateKey(k.get(), nullptr, nullptr, nullptr))};
}

/// A self-signed certificate for a new key on `curve` (TestPki issues P-256 only).
Identity selfSigned(const char* curve)
{
    Identity id;
    id.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
    id.cert.reset(X509_new());
    X509_set_version(id.cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(id.cert.get()), 7);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(id.cert.get()), "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(curve), -1, -1, 0);
    X509_set_issuer_name(id.cert.get(), X509_get_subject_name(id.cert.get()));
    X509_gmtime_adj(X509_getm_notBefore(id.cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(id.cert.get()), 3600);
    X509_set_pubkey(id.cert.get(), id.key.get());
    X509_sign(id.cert.get(), id.key.get(), EVP_sha256());
    return id;
}

CmsPtr parse(const std::string& der)
{
    BioPtr in(BIO_new_mem_buf(der.data(), static_cast<int>(der.size())));
    return CmsPtr(d2i_CMS_bio(in.get(), nullptr));
}

/// OpenSSL's own CMS_decrypt (full validation of the originator's key), or "" on failure.
std::string opensslOpen(const std::string& der, const Identity& id, bool* ok)
{
    CmsPtr cms = parse(der);
    BioPtr out(BIO_new(BIO_s_mem()));
    *ok = cms &&
          CMS_decrypt(cms.get(), id.key.get(), id.cert.get(), nullptr, out.get(), CMS_BINARY) == 1;
    char* p = nullptr;
    long n = BIO_get_mem_data(out.get(), &p);
    return *ok && n > 0 ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

/// Our unwrap, then OpenSSL's content decryption.
std::string unwrapOpen(const std::string& der, const Identity& id, X509* cert, bool* ok)
{
    CmsPtr cms = parse(der);
    BioPtr out(BIO_new(BIO_s_mem()));
    *ok = cms && CmsKeyAgree::unwrap(cms.get(), id.key.get(), cert) &&
          CMS_decrypt(cms.get(), nullptr, nullptr, nullptr, out.get(), CMS_BINARY) == 1;
    char* p = nullptr;
    long n = BIO_get_mem_data(out.get(), &p);
    return *ok && n > 0 ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

const TestPki& pki()
{
    static TestPki p;
    return p;
}

} // namespace

class CmsKeyAgreeTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CmsKeyAgreeTest);
    CPPUNIT_TEST(testHandlesPrimeOrderCurvesOnly);
    CPPUNIT_TEST(testOpenSslReadsAndOpensEverySize);
    CPPUNIT_TEST(testOtherCurves);
    CPPUNIT_TEST(testStructureIsOpenSsls);
    CPPUNIT_TEST(testFreshKeysAndNonces);
    CPPUNIT_TEST(testUnwrapRefusesOtherRecipientsAndOpenSslsOwnEnvelopesOpen);
    CPPUNIT_TEST_SUITE_END();

public:
    void testHandlesPrimeOrderCurvesOnly()
    {
        CPPUNIT_ASSERT(CmsKeyAgree::handles(read(pki().issue("ec", TestPki::Key::EC)).key.get()));
        CPPUNIT_ASSERT(
            !CmsKeyAgree::handles(read(pki().issue("rsa", TestPki::Key::RSA)).key.get()));
        EvpPkeyPtr x25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
        CPPUNIT_ASSERT(!CmsKeyAgree::handles(x25519.get()));
        // secp256k1's order is prime too, but it is not one of the curves listed: OpenSSL's path.
        EvpPkeyPtr k1(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"));
        CPPUNIT_ASSERT(!CmsKeyAgree::handles(k1.get()));
        CPPUNIT_ASSERT(!CmsKeyAgree::handles(nullptr));
        Identity rsa = read(pki().issue("rsa2", TestPki::Key::RSA));
        Result<std::string> r = CmsKeyAgree::seal("x", rsa.cert.get(), rsa.key.get());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());
    }

    void testOpenSslReadsAndOpensEverySize()
    {
        // DER lengths of one, two and three octets, and an empty content.
        Identity id = read(pki().issue("recipient", TestPki::Key::EC));
        for (std::size_t n :
             {std::size_t(0), std::size_t(1), std::size_t(127), std::size_t(128), std::size_t(255),
              std::size_t(256), std::size_t(65535), std::size_t(65536), std::size_t(200000)})
        {
            std::string text(n, '\0');
            for (std::size_t i = 0; i < n; ++i)
                text[i] = static_cast<char>(i * 7 + n);
            Result<std::string> sealed =
                CmsKeyAgree::seal(text, id.cert.get(), X509_get0_pubkey(id.cert.get()));
            CPPUNIT_ASSERT_MESSAGE(sealed.status().toString(), sealed.isOk());
            bool ok = false;
            std::string opened = opensslOpen(sealed.value(), id, &ok);
            CPPUNIT_ASSERT_MESSAGE("OpenSSL opens " + std::to_string(n) + " bytes", ok);
            CPPUNIT_ASSERT(opened == text);
            opened = unwrapOpen(sealed.value(), id, id.cert.get(), &ok);
            CPPUNIT_ASSERT(ok && opened == text);
            opened = unwrapOpen(sealed.value(), id, nullptr, &ok); // without the certificate
            CPPUNIT_ASSERT(ok && opened == text);
        }
    }

    void testOtherCurves()
    {
        for (const char* curve : {"P-384", "P-521"})
        {
            Identity id = selfSigned(curve);
            CPPUNIT_ASSERT(CmsKeyAgree::handles(id.key.get()));
            Result<std::string> sealed =
                CmsKeyAgree::seal("<a/>", id.cert.get(), X509_get0_pubkey(id.cert.get()));
            CPPUNIT_ASSERT(sealed.isOk());
            bool ok = false;
            CPPUNIT_ASSERT_EQUAL(std::string("<a/>"), opensslOpen(sealed.value(), id, &ok));
            CPPUNIT_ASSERT_EQUAL(std::string("<a/>"),
                                 unwrapOpen(sealed.value(), id, id.cert.get(), &ok));
        }
    }

    void testStructureIsOpenSsls()
    {
        Identity id = read(pki().issue("structure", TestPki::Key::EC));
        Result<std::string> sealed =
            CmsKeyAgree::seal("data", id.cert.get(), X509_get0_pubkey(id.cert.get()));
        CmsPtr cms = parse(sealed.value());
        CPPUNIT_ASSERT(cms != nullptr);
        CPPUNIT_ASSERT_EQUAL(int(NID_id_smime_ct_authEnvelopedData),
                             OBJ_obj2nid(CMS_get0_type(cms.get())));
        STACK_OF(CMS_RecipientInfo)* infos = CMS_get0_RecipientInfos(cms.get());
        CPPUNIT_ASSERT_EQUAL(1, sk_CMS_RecipientInfo_num(infos));
        CMS_RecipientInfo* ri = sk_CMS_RecipientInfo_value(infos, 0);
        CPPUNIT_ASSERT_EQUAL(int(CMS_RECIPINFO_AGREE), CMS_RecipientInfo_type(ri));
        X509_ALGOR* alg = nullptr;
        ASN1_OCTET_STRING* ukm = nullptr;
        CPPUNIT_ASSERT_EQUAL(1, CMS_RecipientInfo_kari_get0_alg(ri, &alg, &ukm));
        CPPUNIT_ASSERT_EQUAL(int(NID_dhSinglePass_stdDH_sha256kdf_scheme),
                             OBJ_obj2nid(alg->algorithm));
        CPPUNIT_ASSERT(ukm == nullptr);
        STACK_OF(CMS_RecipientEncryptedKey)* keys = CMS_RecipientInfo_kari_get0_reks(ri);
        CPPUNIT_ASSERT_EQUAL(1, sk_CMS_RecipientEncryptedKey_num(keys));
        CPPUNIT_ASSERT_EQUAL(0, CMS_RecipientEncryptedKey_cert_cmp(
                                    sk_CMS_RecipientEncryptedKey_value(keys, 0), id.cert.get()));
        // Re-encoded by OpenSSL, the envelope is byte for byte what was written: canonical DER.
        unsigned char* p = nullptr;
        int n = i2d_CMS_ContentInfo(cms.get(), &p);
        std::string again(reinterpret_cast<const char*>(p),
                          static_cast<std::size_t>(n > 0 ? n : 0));
        OPENSSL_free(p);
        CPPUNIT_ASSERT(again == sealed.value());
    }

    void testFreshKeysAndNonces()
    {
        Identity id = read(pki().issue("fresh", TestPki::Key::EC));
        Result<std::string> a =
            CmsKeyAgree::seal("same", id.cert.get(), X509_get0_pubkey(id.cert.get()));
        Result<std::string> b =
            CmsKeyAgree::seal("same", id.cert.get(), X509_get0_pubkey(id.cert.get()));
        CPPUNIT_ASSERT(a.isOk() && b.isOk());
        CPPUNIT_ASSERT_EQUAL(a->size(), b->size());
        // The ephemeral point (03 42 00 04 X Y) and the tail (nonce, ciphertext, tag) differ.
        const std::string marker("\x03\x42\x00\x04", 4);
        std::size_t at = a->find(marker);
        CPPUNIT_ASSERT(at != std::string::npos && at == b->find(marker));
        CPPUNIT_ASSERT(a->compare(at, 67, *b, at, 67) != 0);
        CPPUNIT_ASSERT(a->compare(a->size() - 40, 40, *b, b->size() - 40, 40) != 0);
    }

    void testUnwrapRefusesOtherRecipientsAndOpenSslsOwnEnvelopesOpen()
    {
        Identity id = read(pki().issue("mine", TestPki::Key::EC));
        Identity other = read(pki().issue("other", TestPki::Key::EC));
        Result<std::string> sealed =
            CmsKeyAgree::seal("secret", id.cert.get(), X509_get0_pubkey(id.cert.get()));
        bool ok = true;
        unwrapOpen(sealed.value(), other, nullptr, &ok); // another key: the wrap does not open
        CPPUNIT_ASSERT(!ok);
        unwrapOpen(sealed.value(), other, other.cert.get(), &ok); // not addressed to that cert
        CPPUNIT_ASSERT(!ok);
        unwrapOpen(sealed.value(), id, other.cert.get(), &ok);
        CPPUNIT_ASSERT(!ok);
        ERR_clear_error();
        // An envelope OpenSSL's CMS wrote for the same certificate: unwrap reads it too.
        X509StackPtr certs(sk_X509_new_null());
        sk_X509_push(certs.get(), X509_dup(id.cert.get()));
        BioPtr in(BIO_new_mem_buf("from openssl", 12));
        CmsPtr cms(CMS_encrypt(certs.get(), in.get(), EVP_aes_256_gcm(), CMS_BINARY));
        CPPUNIT_ASSERT(cms != nullptr);
        unsigned char* p = nullptr;
        int n = i2d_CMS_ContentInfo(cms.get(), &p);
        std::string der(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        OPENSSL_free(p);
        CPPUNIT_ASSERT_EQUAL(std::string("from openssl"), unwrapOpen(der, id, id.cert.get(), &ok));
        CPPUNIT_ASSERT(ok);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CmsKeyAgreeTest);
