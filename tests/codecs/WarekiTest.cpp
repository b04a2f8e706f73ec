// WarekiTest: era boundaries, 元年, impossible dates and leap years in 和暦 conversions.
#include "codecs/Wareki.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class WarekiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WarekiTest);
    CPPUNIT_TEST(testEraBoundaries);
    CPPUNIT_TEST(testRoundTripAcrossEveryBoundary);
    CPPUNIT_TEST(testImpossibleWarekiDates);
    CPPUNIT_TEST(testGregorianValidation);
    CPPUNIT_TEST(testKanji);
    CPPUNIT_TEST_SUITE_END();

    static std::string g(const std::string& w)
    {
        Result<std::string> r = Wareki::toGregorian(w);
        CPPUNIT_ASSERT_MESSAGE(w + ": " + r.status().toString(), r.isOk());
        return r.value();
    }
    static std::string w(const std::string& g)
    {
        Result<std::string> r = Wareki::fromGregorian(g);
        CPPUNIT_ASSERT_MESSAGE(g + ": " + r.status().toString(), r.isOk());
        return r.value();
    }
    static void bad(const std::string& text, const std::string& reason)
    {
        Result<std::string> r = Wareki::toGregorian(text);
        CPPUNIT_ASSERT_MESSAGE(text + " should be rejected", !r);
        CPPUNIT_ASSERT_MESSAGE(r.status().message(),
                               r.status().message().find(reason) != std::string::npos);
    }

public:
    void testEraBoundaries()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("3640107"), w("19890107")); // 昭和64年1月7日
        CPPUNIT_ASSERT_EQUAL(std::string("4010108"), w("19890108")); // 平成元年1月8日
        CPPUNIT_ASSERT_EQUAL(std::string("4310430"), w("20190430")); // 平成31年4月30日
        CPPUNIT_ASSERT_EQUAL(std::string("5010501"), w("20190501")); // 令和元年5月1日
        CPPUNIT_ASSERT_EQUAL(std::string("3011225"), w("19261225")); // 昭和元年
        CPPUNIT_ASSERT_EQUAL(std::string("2151224"), w("19261224")); // 大正15年
        CPPUNIT_ASSERT_EQUAL(std::string("2010730"), w("19120730")); // 大正元年
        CPPUNIT_ASSERT_EQUAL(std::string("1450729"), w("19120729")); // 明治45年
        CPPUNIT_ASSERT_EQUAL(std::string("1011023"), w("18681023")); // 明治元年 (改元の日)
        CPPUNIT_ASSERT_EQUAL(std::string("19890107"), g("3640107"));
        CPPUNIT_ASSERT_EQUAL(std::string("19890108"), g("4010108"));
        CPPUNIT_ASSERT_EQUAL(std::string("20190430"), g("4310430"));
        CPPUNIT_ASSERT_EQUAL(std::string("20190501"), g("5010501"));
        CPPUNIT_ASSERT_EQUAL(std::string("20240229"), g("5060229"));
        CPPUNIT_ASSERT(!Wareki::fromGregorian("18681022"));
        CPPUNIT_ASSERT(!Wareki::fromGregorian("18000101"));
    }

    void testRoundTripAcrossEveryBoundary()
    {
        // Every day from 1868-10-23 to 2030-12-31 converts both ways.
        int days = 0;
        for (int year = 1868; year <= 2030; ++year)
            for (int month = 1; month <= 12; ++month)
                for (int day = 1; day <= Wareki::daysInMonth(year, month); ++day)
                {
                    int date = year * 10000 + month * 100 + day;
                    if (date < 18681023)
                        continue;
                    std::string greg = std::to_string(date);
                    Result<std::string> wa = Wareki::fromGregorian(greg);
                    CPPUNIT_ASSERT_MESSAGE(greg, wa.isOk());
                    CPPUNIT_ASSERT_EQUAL(greg, Wareki::toGregorian(wa.value()).value());
                    ++days;
                }
        CPPUNIT_ASSERT(days > 59000);
    }

    void testImpossibleWarekiDates()
    {
        bad("3650101", "after 昭和 ended");  // 昭和65
        bad("3640108", "after 昭和 ended");  // 昭和64年1月8日 is 平成元年
        bad("4310501", "after 平成 ended");  // 平成31年5月1日
        bad("2010729", "before 大正 began"); // 大正元年7月29日
        bad("5010430", "before 令和 began");
        bad("1011022", "before 明治 began");
        bad("4020230", "day 30 does not exist"); // 2月30日
        bad("4011301", "month 13 does not exist");
        bad("4010001", "month 00");
        bad("4010100", "day 00");
        bad("4000101", "year 00"); // 平成0年
        bad("6010101", "era code 6");
        bad("0010101", "era code 0");
        bad("4O10108", "7 digits"); // letter O
        bad("401018", "7 digits");
        bad("40101080", "7 digits");
        bad("", "7 digits");
        // Leap years: 明治33年 = 1900 is not leap, 平成12年 = 2000 is.
        bad("1330229", "day 29 does not exist");
        CPPUNIT_ASSERT_EQUAL(std::string("20000229"), g("4120229"));
        CPPUNIT_ASSERT_EQUAL(std::string("19880229"), g("3630229"));
        bad("3620229", "day 29");
    }

    void testGregorianValidation()
    {
        CPPUNIT_ASSERT(Wareki::checkGregorian("20000229").isOk());
        CPPUNIT_ASSERT(!Wareki::checkGregorian("19000229"));
        CPPUNIT_ASSERT(!Wareki::checkGregorian("20230431"));
        CPPUNIT_ASSERT(!Wareki::checkGregorian("20231301"));
        CPPUNIT_ASSERT(!Wareki::checkGregorian("00000101"));
        CPPUNIT_ASSERT(!Wareki::checkGregorian("2023-01-01"));
        CPPUNIT_ASSERT(!Wareki::checkGregorian("２０２３０１０１"));
        CPPUNIT_ASSERT(Wareki::isLeapYear(2000));
        CPPUNIT_ASSERT(!Wareki::isLeapYear(1900));
        CPPUNIT_ASSERT(Wareki::isLeapYear(2024));
        CPPUNIT_ASSERT(!Wareki::isLeapYear(2023));
    }

    void testKanji()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("令和元年5月1日"), Wareki::toKanji("5010501").value());
        CPPUNIT_ASSERT_EQUAL(std::string("昭和64年1月7日"), Wareki::toKanji("3640107").value());
        CPPUNIT_ASSERT(!Wareki::toKanji("3650101"));
        CPPUNIT_ASSERT_EQUAL(std::string("平成"), Wareki::eraName(4));
        CPPUNIT_ASSERT_EQUAL(std::string(), Wareki::eraName(6));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WarekiTest);
