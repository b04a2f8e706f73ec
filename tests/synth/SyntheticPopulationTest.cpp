// SyntheticPopulationTest: persons are deterministic per seed, identifiers unique and well-formed,
// never a 個人番号, every kind covered.
#include "tests/synth/SyntheticPopulation.h"
#include "codecs/MyNumber.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using namespace chukan;

class SyntheticPopulationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SyntheticPopulationTest);
    CPPUNIT_TEST(samePersonForSameSeedWhateverTheOrder);
    CPPUNIT_TEST(otherSeedOtherPersons);
    CPPUNIT_TEST(identifiersAreUniqueAndWellFormed);
    CPPUNIT_TEST(firstEightCoverEveryKind);
    CPPUNIT_TEST(noHoldsWhenHoldsAreOff);
    CPPUNIT_TEST_SUITE_END();

    static bool digits(const std::string& s, std::size_t n)
    {
        return s.size() == n && s.find_first_not_of("0123456789") == std::string::npos;
    }

public:
    void samePersonForSameSeedWhateverTheOrder()
    {
        SyntheticPopulation a(42, 20), b(42, 20);
        SyntheticPerson late = b.person(999);
        for (std::uint64_t i : {999, 0, 7, 12345})
        {
            SyntheticPerson x = a.person(i), y = b.person(i);
            CPPUNIT_ASSERT_EQUAL(x.juminhyoCode, y.juminhyoCode);
            CPPUNIT_ASSERT_EQUAL(x.nameKanji, y.nameKanji);
            CPPUNIT_ASSERT_EQUAL(x.address, y.address);
            CPPUNIT_ASSERT_EQUAL(static_cast<int>(x.kind), static_cast<int>(y.kind));
        }
        CPPUNIT_ASSERT_EQUAL(late.birthDate, a.person(999).birthDate);
    }

    void otherSeedOtherPersons()
    {
        SyntheticPopulation a(1, 20), b(2, 20);
        int differing = 0;
        for (std::uint64_t i = 0; i < 50; ++i)
            if (a.person(i).juminhyoCode != b.person(i).juminhyoCode)
                ++differing;
        CPPUNIT_ASSERT_EQUAL(50, differing);
    }

    void identifiersAreUniqueAndWellFormed()
    {
        SyntheticPopulation pop(7, 20);
        std::set<std::string> codes, requester, provider;
        const std::uint64_t n = 20000;
        for (std::uint64_t i = 0; i < n; ++i)
        {
            SyntheticPerson p = pop.person(i);
            CPPUNIT_ASSERT(digits(p.juminhyoCode, 11));
            CPPUNIT_ASSERT(!MyNumber::containsCandidate(p.juminhyoCode));
            CPPUNIT_ASSERT(codes.insert(p.juminhyoCode).second);
            CPPUNIT_ASSERT(p.knownToRequester() || p.knownToProvider());
            if (p.knownToRequester())
            {
                CPPUNIT_ASSERT(digits(p.requesterAtena, 15));
                CPPUNIT_ASSERT_EQUAL(std::string("121002"), p.requesterAtena.substr(0, 6));
                CPPUNIT_ASSERT(requester.insert(p.requesterAtena).second);
            }
            if (p.knownToProvider())
            {
                CPPUNIT_ASSERT(digits(p.providerAtena, 15));
                CPPUNIT_ASSERT(provider.insert(p.providerAtena).second);
            }
            CPPUNIT_ASSERT(p.vaccination || !p.vaccinationHeld);
            CPPUNIT_ASSERT(!p.vaccination || p.knownToProvider());
        }
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(n), codes.size());
    }

    void firstEightCoverEveryKind()
    {
        SyntheticPopulation pop(123, 20);
        std::set<int> kinds;
        bool heldVaccination = false, unpermitted1 = false, unpermitted2 = false;
        for (std::uint64_t i = 0; i < 8; ++i)
        {
            SyntheticPerson p = pop.person(i);
            kinds.insert(p.kind);
            heldVaccination = heldVaccination || p.vaccinationHeld;
            unpermitted1 = unpermitted1 || p.unpermitted == 1;
            unpermitted2 = unpermitted2 || p.unpermitted == 2;
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), kinds.size());
        CPPUNIT_ASSERT(heldVaccination && unpermitted1 && unpermitted2);
    }

    void noHoldsWhenHoldsAreOff()
    {
        SyntheticPopulation pop(5, 0);
        for (std::uint64_t i = 0; i < 5000; ++i)
        {
            SyntheticPerson p = pop.person(i);
            CPPUNIT_ASSERT(p.kind != SyntheticPerson::BOTH_HELD);
            CPPUNIT_ASSERT(!p.vaccinationHeld);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SyntheticPopulationTest);
