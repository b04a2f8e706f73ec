// CryptoCacheTest: PEM keys and certificates parsed once and shared, failures not cached, bounded size, threads.
#include "codecs/CmsEnvelope.h"
#include "codecs/CryptoCache.h"
#include "codecs/CryptoPem.h"
#include "codecs/SignedEnvelope.h"
#include "tests/support/TestPki.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace chukan;

namespace
{
// PEM armour around bytes that are no key (assembled, so no key-looking block sits in the tree).
const std::string notAKey = std::string("-----BEGIN ") + "PRIVATE KEY-----\nAAAA\n-----END " + "PRIVATE KEY-----\n";
} // namespace

namespace {

struct Ids
{
    TestPki pki{"cache test root"};
    TestIdentity rsa = pki.issue("rsa recipient", TestPki::Key::RSA);
    TestIdentity ec = pki.issue("ec recipient", TestPki::Key::EC);
};

const Ids& ids()
{
    static Ids i;
    return i;
}

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

class CryptoCacheTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CryptoCacheTest);
    CPPUNIT_TEST(testCertificateParsedOnceAndShared);
    CPPUNIT_TEST(testPrivateKeyParsedOnceAcrossOpens);
    CPPUNIT_TEST(testFailuresNotCached);
    CPPUNIT_TEST(testOtherTextOtherEntryAndBounded);
    CPPUNIT_TEST(testConcurrentUse);
    CPPUNIT_TEST(testSignerPairCheckedOnce);
    CPPUNIT_TEST(testSignerMismatchNeverKept);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { CryptoCache::clear(); }

    void testCertificateParsedOnceAndShared()
    {
        CryptoCache::Counts before = CryptoCache::counts();
        X509* first = nullptr;
        {
            Result<X509Ptr> a = CryptoCache::certificate(ids().ec.certPem, "recipient certificate");
            CPPUNIT_ASSERT(a.isOk());
            first = a->get();
        } // the caller's reference is gone; the cache's stays
        Result<X509Ptr> b = CryptoCache::certificate(ids().ec.certPem, "recipient certificate");
        CPPUNIT_ASSERT(b.isOk());
        CPPUNIT_ASSERT(b->get() == first); // the same object, shared
        CryptoCache::Counts after = CryptoCache::counts();
        CPPUNIT_ASSERT_EQUAL(before.parsed + 1, after.parsed);
        CPPUNIT_ASSERT_EQUAL(before.hits + 1, after.hits);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), after.certificates);
        // The very certificate CryptoPem reads, still usable after the first handle was freed.
        Result<X509Ptr> fresh = CryptoPem::certificate(ids().ec.certPem, "x");
        CPPUNIT_ASSERT_EQUAL(0, X509_cmp(fresh->get(), b->get()));
        CPPUNIT_ASSERT_EQUAL(CryptoPem::subject(fresh->get()), CryptoPem::subject(b->get()));
        // Clearing drops the cache's reference only: the caller's handle stays valid.
        CryptoCache::clear();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), CryptoCache::counts().certificates);
        CPPUNIT_ASSERT_EQUAL(CryptoPem::subject(fresh->get()), CryptoPem::subject(b->get()));
    }

    void testPrivateKeyParsedOnceAcrossOpens()
    {
        for (const TestIdentity* id : {&ids().rsa, &ids().ec})
        {
            Result<std::string> sealed = CmsEnvelope::seal("接種記録", id->certPem);
            CPPUNIT_ASSERT(sealed.isOk());
            CryptoCache::Counts before = CryptoCache::counts();
            for (int i = 0; i < 5; ++i)
            {
                Result<std::string> plain = CmsEnvelope::open(sealed.value(), id->keyPem);
                CPPUNIT_ASSERT_MESSAGE(plain.status().toString(), plain.isOk());
                CPPUNIT_ASSERT_EQUAL(std::string("接種記録"), plain.value());
            }
            CryptoCache::Counts after = CryptoCache::counts();
            CPPUNIT_ASSERT_EQUAL(before.parsed + 1, after.parsed); // the key, once
            CPPUNIT_ASSERT_EQUAL(before.hits + 4, after.hits);
            // With the certificate too: still one parse of each.
            CPPUNIT_ASSERT(CmsEnvelope::open(sealed.value(), id->keyPem, id->certPem).isOk());
            CPPUNIT_ASSERT(CmsEnvelope::open(sealed.value(), id->keyPem, id->certPem).isOk());
            CPPUNIT_ASSERT_EQUAL(after.parsed, CryptoCache::counts().parsed); // sealing parsed the cert
        }
        // A key that is not the recipient's still fails, cached or not.
        Result<std::string> forRsa = CmsEnvelope::seal("x", ids().rsa.certPem);
        Result<std::string> wrong = CmsEnvelope::open(forRsa.value(), ids().ec.keyPem);
        CPPUNIT_ASSERT(!wrong);
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, wrong.status().code());
        // A certificate not matching the cached key is refused.
        CPPUNIT_ASSERT(!CmsEnvelope::open(forRsa.value(), ids().rsa.keyPem, ids().ec.certPem));
    }

    void testFailuresNotCached()
    {
        CryptoCache::Counts before = CryptoCache::counts();
        for (int i = 0; i < 2; ++i)
        {
            Result<X509Ptr> c = CryptoCache::certificate("not a certificate", "signer certificate");
            CPPUNIT_ASSERT(!c);
            CPPUNIT_ASSERT_MESSAGE(c.status().message(), mentions(c.status().message(), "signer certificate"));
            Result<EvpPkeyPtr> k = CryptoCache::privateKey(notAKey,
                                                           "key " + std::to_string(i));
            CPPUNIT_ASSERT(!k);
            CPPUNIT_ASSERT_MESSAGE(k.status().message(), mentions(k.status().message(), "key " + std::to_string(i)));
        }
        CryptoCache::Counts after = CryptoCache::counts();
        CPPUNIT_ASSERT_EQUAL(before.parsed, after.parsed);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), after.certificates);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), after.keys);
    }

    void testOtherTextOtherEntryAndBounded()
    {
        // Same certificate, different text (a trailing newline): its own entry.
        CPPUNIT_ASSERT(CryptoCache::certificate(ids().ec.certPem, "a").isOk());
        CPPUNIT_ASSERT(CryptoCache::certificate(ids().ec.certPem + "\n", "a").isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), CryptoCache::counts().certificates);
        // Never more than CAPACITY objects, the least recently used going first.
        for (std::size_t i = 0; i < CryptoCache::CAPACITY + 10; ++i)
        {
            CPPUNIT_ASSERT(CryptoCache::certificate(ids().rsa.certPem + std::string(i + 1, '\n'), "b").isOk());
            CPPUNIT_ASSERT(CryptoCache::certificate(ids().ec.certPem, "a").isOk()); // kept in use
        }
        CryptoCache::Counts c = CryptoCache::counts();
        CPPUNIT_ASSERT_EQUAL(CryptoCache::CAPACITY, c.certificates);
        std::size_t parsed = c.parsed;
        CPPUNIT_ASSERT(CryptoCache::certificate(ids().ec.certPem, "a").isOk());
        CPPUNIT_ASSERT_EQUAL(parsed, CryptoCache::counts().parsed); // the busy one survived
        CPPUNIT_ASSERT(CryptoCache::certificate(ids().rsa.certPem + "\n", "b").isOk());
        CPPUNIT_ASSERT_EQUAL(parsed + 1, CryptoCache::counts().parsed); // an old one was evicted
    }

    void testConcurrentUse()
    {
        Result<std::string> sealed = CmsEnvelope::seal("並行", ids().ec.certPem);
        std::atomic<int> ok{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 25; ++i)
                {
                    Result<std::string> s = CmsEnvelope::seal("並行", ids().rsa.certPem);
                    Result<std::string> a = CmsEnvelope::open(sealed.value(), ids().ec.keyPem, ids().ec.certPem);
                    Result<std::string> b = s ? CmsEnvelope::open(s.value(), ids().rsa.keyPem) : Result<std::string>(s.status());
                    if (a && b && a.value() == "並行" && b.value() == "並行")
                        ++ok;
                }
            });
        for (std::thread& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(200, ok.load());
        // Each text parsed at least once and, racing threads aside, not much more.
        CryptoCache::Counts c = CryptoCache::counts();
        CPPUNIT_ASSERT(c.keys == 2 && c.certificates == 2);
    }

    void testSignerPairCheckedOnce()
    {
        // Every signature of one (key, certificate) pair: one pair check, one PEM of the
        // certificate, shared by all of them; each envelope carries the signer as before
        // (SignedEnvelopeTest verifies what is signed through this path).
        CryptoCache::Counts before = CryptoCache::counts();
        for (const TestIdentity* id : {&ids().ec, &ids().rsa})
            for (int i = 0; i < 5; ++i)
            {
                Result<SignedEnvelope> env =
                    SignedEnvelope::sign("許可証 " + std::to_string(i), id->keyPem, id->certPem);
                CPPUNIT_ASSERT_MESSAGE(env.status().toString(), env.isOk());
                Result<X509Ptr> cert = CryptoPem::certificate(id->certPem, "x");
                CPPUNIT_ASSERT_EQUAL(CryptoPem::toPem(cert->get()), env->signerPem());
            }
        CryptoCache::Counts after = CryptoCache::counts();
        CPPUNIT_ASSERT_EQUAL(before.pairChecks + 2, after.pairChecks);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), after.signers);
        // The handed-out key and certificate are the cache's own objects.
        Result<CryptoCache::Signer> a = CryptoCache::signer(ids().ec.keyPem, ids().ec.certPem, "k", "c");
        Result<EvpPkeyPtr> k = CryptoCache::privateKey(ids().ec.keyPem, "k");
        CPPUNIT_ASSERT(a.isOk() && k.isOk());
        CPPUNIT_ASSERT(a->key.get() == k->get());
        CPPUNIT_ASSERT_EQUAL(after.pairChecks, CryptoCache::counts().pairChecks);
        // Cleared: checked again.
        CryptoCache::clear();
        CPPUNIT_ASSERT(SignedEnvelope::sign("p", ids().ec.keyPem, ids().ec.certPem).isOk());
        CPPUNIT_ASSERT_EQUAL(after.pairChecks + 1, CryptoCache::counts().pairChecks);
    }

    void testSignerMismatchNeverKept()
    {
        // A certificate that is not the key's is refused on every call, never remembered.
        CryptoCache::Counts before = CryptoCache::counts();
        for (int i = 0; i < 3; ++i)
        {
            Result<SignedEnvelope> env = SignedEnvelope::sign("p", ids().ec.keyPem, ids().rsa.certPem);
            CPPUNIT_ASSERT(!env);
            CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, env.status().code());
            CPPUNIT_ASSERT_MESSAGE(env.status().message(),
                                   mentions(env.status().message(), "signer certificate (") &&
                                       mentions(env.status().message(), "does not belong to the signing key"));
        }
        CryptoCache::Counts after = CryptoCache::counts();
        CPPUNIT_ASSERT_EQUAL(before.pairChecks + 3, after.pairChecks);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), after.signers);
        // The matching pair after it is kept as usual.
        CPPUNIT_ASSERT(SignedEnvelope::sign("p", ids().rsa.keyPem, ids().rsa.certPem).isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), CryptoCache::counts().signers);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CryptoCacheTest);
