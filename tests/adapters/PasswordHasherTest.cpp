// PasswordHasherTest: scrypt and PBKDF2-SHA256 hashes with per-user salt and stored parameters;
// verify, re-hash, malformed input.
#include "adapters/PasswordHasher.h"
#include "adapters/OneTimePassword.h"
#include "adapters/SessionToken.h"
#include "policy/PasswordPolicy.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using namespace chukan;

namespace
{

KdfParams scrypt(int logN)
{
    KdfParams p;
    p.kind = KdfParams::SCRYPT;
    p.scryptLogN = logN;
    return p;
}

KdfParams pbkdf2(int iterations)
{
    KdfParams p;
    p.kind = KdfParams::PBKDF2_SHA256;
    p.pbkdf2Iterations = iterations;
    return p;
}

} // namespace

class PasswordHasherTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PasswordHasherTest);
    CPPUNIT_TEST(testScrypt);
    CPPUNIT_TEST(testPbkdf2);
    CPPUNIT_TEST(testSaltPerHash);
    CPPUNIT_TEST(testRehashWhenParametersChange);
    CPPUNIT_TEST(testMalformedStoredHash);
    CPPUNIT_TEST(testSessionTokens);
    CPPUNIT_TEST(testOneTimePasswords);
    CPPUNIT_TEST_SUITE_END();

public:
    void testScrypt()
    {
        PasswordHasher h(scrypt(10));
        std::string stored = h.hash("Kensa-Pass-2026!").value();
        CPPUNIT_ASSERT_EQUAL(std::string("scrypt$ln=10,r=8,p=1$"), stored.substr(0, 21));
        CPPUNIT_ASSERT(stored.find("Kensa") == std::string::npos);
        CPPUNIT_ASSERT(h.verify("Kensa-Pass-2026!", stored).value());
        CPPUNIT_ASSERT(!h.verify("Kensa-Pass-2026?", stored).value());
        CPPUNIT_ASSERT(!h.verify("", stored).value());
    }

    void testPbkdf2()
    {
        PasswordHasher h(pbkdf2(10000));
        std::string stored = h.hash("Kensa-Pass-2026!").value();
        CPPUNIT_ASSERT_EQUAL(std::string("pbkdf2-sha256$i=10000$"), stored.substr(0, 22));
        CPPUNIT_ASSERT(h.verify("Kensa-Pass-2026!", stored).value());
        CPPUNIT_ASSERT(!h.verify("kensa-Pass-2026!", stored).value());
        // a hasher with other settings still verifies by the stored parameters
        CPPUNIT_ASSERT(PasswordHasher(scrypt(10)).verify("Kensa-Pass-2026!", stored).value());
    }

    void testSaltPerHash()
    {
        PasswordHasher h(pbkdf2(10000));
        std::set<std::string> hashes, salts;
        for (int i = 0; i < 4; ++i)
        {
            std::string stored = h.hash("Kensa-Pass-2026!").value();
            hashes.insert(stored);
            salts.insert(stored.substr(0, stored.rfind('$')));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), hashes.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), salts.size());
    }

    void testRehashWhenParametersChange()
    {
        std::string old = PasswordHasher(pbkdf2(10000)).hash("Kensa-Pass-2026!").value();
        CPPUNIT_ASSERT(!PasswordHasher(pbkdf2(10000)).needsRehash(old));
        CPPUNIT_ASSERT(PasswordHasher(pbkdf2(20000)).needsRehash(old));
        CPPUNIT_ASSERT(PasswordHasher(scrypt(10)).needsRehash(old));
    }

    void testMalformedStoredHash()
    {
        PasswordHasher h(pbkdf2(10000));
        for (const char* bad : {"", "-", "plain", "md5$x$y$z", "pbkdf2-sha256$i=10000$!!$!!",
                                "pbkdf2-sha256$i=1$AAAAAAAAAAAAAAAAAAAAAA==$"
                                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                                "scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$"
                                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="})
        {
            Result<bool> r = h.verify("Kensa-Pass-2026!", bad);
            CPPUNIT_ASSERT_MESSAGE(bad, !r.isOk());
            CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());
        }
    }

    void testSessionTokens()
    {
        std::set<std::string> seen;
        for (int i = 0; i < 16; ++i)
        {
            std::string t = SessionToken::generate();
            CPPUNIT_ASSERT(SessionToken::isWellFormed(t));
            CPPUNIT_ASSERT(seen.insert(t).second);
            std::string h = SessionToken::hash(t);
            CPPUNIT_ASSERT_EQUAL(std::size_t(64), h.size());
            CPPUNIT_ASSERT(h != t);
            CPPUNIT_ASSERT_EQUAL(h, SessionToken::hash(t));
        }
        CPPUNIT_ASSERT(!SessionToken::isWellFormed(std::string(63, 'a')));
        CPPUNIT_ASSERT(!SessionToken::isWellFormed(std::string(64, 'A')));
        CPPUNIT_ASSERT(SessionToken::equal("abc", "abc"));
        CPPUNIT_ASSERT(!SessionToken::equal("abc", "abd"));
        CPPUNIT_ASSERT(!SessionToken::equal("abc", "abcd"));
        CPPUNIT_ASSERT(!SessionToken::equal("", std::string(64, 'a')));
    }

    void testOneTimePasswords()
    {
        std::set<std::string> seen;
        for (int i = 0; i < 20; ++i)
        {
            std::string p = OneTimePassword::generate("sato.hanako");
            CPPUNIT_ASSERT_EQUAL(std::size_t(23), p.size());
            CPPUNIT_ASSERT(p.find_first_of("0O1lI") == std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(p, PasswordPolicy::check(p, "sato.hanako", 12).isOk());
            CPPUNIT_ASSERT(seen.insert(p).second);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordHasherTest);
