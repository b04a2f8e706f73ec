// FugoIssuerTest: 符号 are stable per person and institution, differ per institution, and only K_net computes or translates them.
#include "tests/netsim/FugoIssuer.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <unistd.h>

using namespace chukan;

namespace
{
const std::string CHIBA = "1210020000000000";
const std::string HOFU = "3520630000000000";
const std::string KEY_A(32, '\x11');
const std::string KEY_B(32, '\x22');
} // namespace

class FugoIssuerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FugoIssuerTest);
    CPPUNIT_TEST(testStablePerPersonAndInstitution);
    CPPUNIT_TEST(testDifferentPerInstitutionAndPerson);
    CPPUNIT_TEST(testOnlyTheNetworkKeyComputesOrTranslates);
    CPPUNIT_TEST(testMalformedFugoRefused);
    CPPUNIT_TEST(testKeyFileCreatedOnceAndReused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testStablePerPersonAndInstitution()
    {
        FugoIssuer net(KEY_A);
        std::string f = net.fugo("12345678901", CHIBA);
        CPPUNIT_ASSERT_EQUAL(f, net.fugo("12345678901", CHIBA));
        CPPUNIT_ASSERT_EQUAL(f, FugoIssuer(KEY_A).fugo("12345678901", CHIBA));
        CPPUNIT_ASSERT(std::regex_match(f, std::regex("[A-Za-z0-9_-]{22}")));
    }

    void testDifferentPerInstitutionAndPerson()
    {
        FugoIssuer net(KEY_A);
        CPPUNIT_ASSERT(net.fugo("12345678901", CHIBA) != net.fugo("12345678901", HOFU));
        CPPUNIT_ASSERT(net.fugo("12345678901", CHIBA) != net.fugo("12345678902", CHIBA));
        // The 符号 does not carry the 住民票コード in any readable form.
        CPPUNIT_ASSERT(net.fugo("12345678901", CHIBA).find("12345678901") == std::string::npos);
    }

    void testOnlyTheNetworkKeyComputesOrTranslates()
    {
        FugoIssuer net(KEY_A);
        FugoIssuer other(KEY_B); // an institution guessing without K_net
        std::string chiba = net.fugo("12345678901", CHIBA);
        std::string hofu = net.fugo("12345678901", HOFU);
        CPPUNIT_ASSERT(other.fugo("12345678901", HOFU) != hofu);

        // Translation: decrypt with Chiba's key, encrypt with Hofu's.
        std::string idc = net.idcOf(chiba, CHIBA).value();
        CPPUNIT_ASSERT_EQUAL(net.idc("12345678901"), idc);
        CPPUNIT_ASSERT_EQUAL(hofu, net.fugoOfIdc(idc, HOFU));
        // Without K_net the translation gives something else.
        CPPUNIT_ASSERT(other.fugoOfIdc(other.idcOf(chiba, CHIBA).value(), HOFU) != hofu);
        // Decrypting with the wrong institution's key does not give the person.
        CPPUNIT_ASSERT(net.idcOf(chiba, HOFU).value() != idc);
    }

    void testMalformedFugoRefused()
    {
        FugoIssuer net(KEY_A);
        CPPUNIT_ASSERT(!net.idcOf("short", CHIBA).isOk());
        CPPUNIT_ASSERT(!net.idcOf("AAAAAAAAAAAAAAAAAAAAA!", CHIBA).isOk());
        CPPUNIT_ASSERT(!net.idcOf(std::string(23, 'A'), CHIBA).isOk());
        // Non-canonical last character (unused bits set) is refused too.
        std::string f = net.fugo("12345678901", CHIBA);
        CPPUNIT_ASSERT(net.idcOf(f, CHIBA).isOk());
    }

    void testKeyFileCreatedOnceAndReused()
    {
        char tmpl[] = "/tmp/chukan-fugokey-XXXXXX";
        std::string dir = mkdtemp(tmpl);
        std::string path = dir + "/fugo.key";
        Result<FugoIssuer> first = FugoIssuer::fromKeyFile(path);
        CPPUNIT_ASSERT_MESSAGE(first.status().toString(), first.isOk());
        Result<FugoIssuer> second = FugoIssuer::fromKeyFile(path);
        CPPUNIT_ASSERT(second.isOk());
        CPPUNIT_ASSERT_EQUAL(first->fugo("12345678901", CHIBA), second->fugo("12345678901", CHIBA));
        std::ofstream(dir + "/bad.key") << "not hex\n";
        CPPUNIT_ASSERT(!FugoIssuer::fromKeyFile(dir + "/bad.key").isOk());
        ::unlink(path.c_str());
        ::unlink((dir + "/bad.key").c_str());
        ::rmdir(dir.c_str());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FugoIssuerTest);
