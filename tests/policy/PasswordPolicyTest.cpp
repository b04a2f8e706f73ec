// PasswordPolicyTest: minimum length, character classes, no login id, differs from the current one,
// never echoed.
#include "policy/PasswordPolicy.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class PasswordPolicyTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PasswordPolicyTest);
    CPPUNIT_TEST(testGoodPasswords);
    CPPUNIT_TEST(testLength);
    CPPUNIT_TEST(testCharacterClasses);
    CPPUNIT_TEST(testLoginIdAndCurrent);
    CPPUNIT_TEST(testEncodingAndControlCharacters);
    CPPUNIT_TEST_SUITE_END();

public:
    void testGoodPasswords()
    {
        for (const char* ok : {"Kensa-Pass-2026!", "abcdefGHIJ12", "abcdefghij1!", "ABCDEFGHIJ1!",
                               "パスワード強度テスト1a"})
            CPPUNIT_ASSERT_MESSAGE(ok, PasswordPolicy::check(ok, "sato.hanako", 12).isOk());
    }

    void testLength()
    {
        Status st = PasswordPolicy::check("Abcdefgh1!x", "sato", 12); // 11
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.code());
        CPPUNIT_ASSERT(st.message().find("at least 12") != std::string::npos);
        CPPUNIT_ASSERT(st.message().find("Abcdefgh1!x") == std::string::npos);
        CPPUNIT_ASSERT(PasswordPolicy::check("Abcdefgh1!xy", "sato", 12).isOk());
        // configuration may raise the floor, never lower it
        CPPUNIT_ASSERT(!PasswordPolicy::check("Abcdefgh1!xy", "sato", 16).isOk());
        CPPUNIT_ASSERT(!PasswordPolicy::check("Abcdefgh1!x", "sato", 8).isOk());
        // code points, not bytes: 11 three-byte characters are 11
        CPPUNIT_ASSERT(!PasswordPolicy::check("パスワード強度テスト1", "sato", 12).isOk());
        CPPUNIT_ASSERT(
            !PasswordPolicy::check(std::string(250, 'a') + "BCDEFG1", "sato", 12).isOk());
    }

    void testCharacterClasses()
    {
        for (const char* weak : {"abcdefghijklmn", "ABCDEFGHIJKLMN", "12345678901234",
                                 "abcdefgABCDEFG", "abcdefg1234567"})
        {
            Status st = PasswordPolicy::check(weak, "sato", 12);
            CPPUNIT_ASSERT_MESSAGE(weak, !st.isOk());
            CPPUNIT_ASSERT(st.message().find("three") != std::string::npos);
        }
    }

    void testLoginIdAndCurrent()
    {
        Status st = PasswordPolicy::check("My-SATO.HANAKO-1", "sato.hanako", 12);
        CPPUNIT_ASSERT(!st.isOk());
        CPPUNIT_ASSERT(st.message().find("login id") != std::string::npos);
        st = PasswordPolicy::check("Kensa-Pass-2026!", "sato", 12, "Kensa-Pass-2026!");
        CPPUNIT_ASSERT(!st.isOk());
        CPPUNIT_ASSERT(st.message().find("differ") != std::string::npos);
        CPPUNIT_ASSERT(
            PasswordPolicy::check("Kensa-Pass-2027!", "sato", 12, "Kensa-Pass-2026!").isOk());
    }

    void testEncodingAndControlCharacters()
    {
        CPPUNIT_ASSERT(!PasswordPolicy::check("Abcdefgh1!xy\n", "sato", 12).isOk());
        CPPUNIT_ASSERT(
            !PasswordPolicy::check(std::string("Abcdefgh1!xy\0z", 15), "sato", 12).isOk());
        CPPUNIT_ASSERT(!PasswordPolicy::check("Abcdefgh1!xy\xff", "sato", 12).isOk());
        CPPUNIT_ASSERT(!PasswordPolicy::check("Abcdefgh1!xy\xe3\x81", "sato", 12).isOk());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordPolicyTest);
