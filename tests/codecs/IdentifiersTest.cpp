// IdentifiersTest: 地方公共団体コード and 個人番号 check digits, with hand-computed vectors.
#include "codecs/MyNumber.h"
#include "codecs/TenantCode.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class IdentifiersTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(IdentifiersTest);
    CPPUNIT_TEST(testKnownTenantCodes);
    CPPUNIT_TEST(testBadTenantCodes);
    CPPUNIT_TEST(testTenantCheckDigitWrapsAtTen);
    CPPUNIT_TEST(testMyNumberCheckDigit);
    CPPUNIT_TEST(testMyNumberCandidateInText);
    CPPUNIT_TEST_SUITE_END();

public:
    void testKnownTenantCodes()
    {
        CPPUNIT_ASSERT(TenantCode::parse("121002").isOk()); // 千葉市
        CPPUNIT_ASSERT(TenantCode::parse("352063").isOk()); // 防府市
        CPPUNIT_ASSERT_EQUAL(std::string("121002"), TenantCode::parse("121002").value().str());
    }

    void testBadTenantCodes()
    {
        Result<TenantCode> wrongDigit = TenantCode::parse("121003");
        CPPUNIT_ASSERT(!wrongDigit);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, wrongDigit.status().code());
        CPPUNIT_ASSERT(wrongDigit.status().message().find("check digit is 3, expected 2") != std::string::npos);
        CPPUNIT_ASSERT(!TenantCode::parse("12100"));
        CPPUNIT_ASSERT(!TenantCode::parse("1210022"));
        CPPUNIT_ASSERT(!TenantCode::parse("12a002"));
        CPPUNIT_ASSERT(!TenantCode::parse(""));
        CPPUNIT_ASSERT(!TenantCode::parse("１２１００２")); // full-width digits
    }

    void testTenantCheckDigitWrapsAtTen()
    {
        // 13101 (千代田区): 6+15+4+0+2 = 27, 27 mod 11 = 5, 11-5 = 6 -> 131016.
        CPPUNIT_ASSERT_EQUAL(6, TenantCode::checkDigit("13101"));
        // 00000: sum 0, 11 - 0 = 11 -> last digit 1.
        CPPUNIT_ASSERT_EQUAL(1, TenantCode::checkDigit("00000"));
        // 10000: sum 6 -> 11-6 = 5; 20000: sum 12 mod 11 = 1 -> 10 -> 0.
        CPPUNIT_ASSERT_EQUAL(0, TenantCode::checkDigit("20000"));
    }

    void testMyNumberCheckDigit()
    {
        // Hand-computed: Σ P·Q over 12345678901 = 212, 212 mod 11 = 3, check = 11 - 3 = 8.
        CPPUNIT_ASSERT_EQUAL(8, MyNumber::checkDigit("12345678901"));
        CPPUNIT_ASSERT(MyNumber::isValid("123456789018"));
        CPPUNIT_ASSERT(!MyNumber::isValid("123456789017"));
        CPPUNIT_ASSERT(!MyNumber::isValid("12345678901"));
        CPPUNIT_ASSERT(!MyNumber::isValid("12345678901a"));
    }

    void testMyNumberCandidateInText()
    {
        CPPUNIT_ASSERT(MyNumber::containsCandidate("<no>123456789018</no>"));
        CPPUNIT_ASSERT(MyNumber::containsCandidate("123456789018"));
        // Part of a longer digit run (a 15-digit atena number) is not a candidate.
        CPPUNIT_ASSERT(!MyNumber::containsCandidate("000123456789018"));
        CPPUNIT_ASSERT(!MyNumber::containsCandidate("x123456789017y"));
        // A zero-filled 12-byte field passes the check digit but is not a number anyone holds.
        CPPUNIT_ASSERT(MyNumber::isValid("000000000000"));
        CPPUNIT_ASSERT(!MyNumber::containsCandidate("filler 000000000000 end"));
        CPPUNIT_ASSERT(MyNumber::containsCandidate("000000000000 then 123456789018"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(IdentifiersTest);
