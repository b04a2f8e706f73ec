// InquiryPolicyTest: each refusal of an outgoing inquiry, in order, with the texts business systems expect.
#include "policy/InquiryPolicy.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class InquiryPolicyTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(InquiryPolicyTest);
    CPPUNIT_TEST(testAllowed);
    CPPUNIT_TEST(testSystemWithoutInquiryRight);
    CPPUNIT_TEST(testWrongJimu);
    CPPUNIT_TEST(testNotOnList);
    CPPUNIT_TEST(testOutsideValidity);
    CPPUNIT_TEST(testNoFugo);
    CPPUNIT_TEST(testNoListRefusesAll);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _facts.systemId = "kenko";
        _facts.systemMayInquire = true;
        _facts.systemJimuCodes = {"JM01000000121000"};
        _facts.requesterInstitution = "1210020000000000";
        _facts.providerInstitution = "3520630000000000";
        _facts.jimuCode = "JM01000000121000";
        _facts.procedureCode = "JT01010000000214";
        _facts.dataItemCode = "TM00000000000002";
        _facts.atenaNo = "000000000000123";
        _facts.fugoKnown = true;
        PermitList::Entry e;
        e.requesterInstitution = _facts.requesterInstitution;
        e.providerInstitution = _facts.providerInstitution;
        e.jimuCode = _facts.jimuCode;
        e.procedureCode = _facts.procedureCode;
        e.dataItemCode = _facts.dataItemCode;
        e.validFrom = Poco::Timestamp::fromEpochTime(1000);
        e.validTo = Poco::Timestamp::fromEpochTime(2000);
        _list.entries.push_back(e);
    }

    void testAllowed() { CPPUNIT_ASSERT(InquiryPolicy::decide(_facts, &_list, at(1500)).isOk()); }

    void testSystemWithoutInquiryRight()
    {
        _facts.systemMayInquire = false;
        Status st = InquiryPolicy::decide(_facts, &_list, at(1500));
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, st.code());
        CPPUNIT_ASSERT(st.message().find("kenko") != std::string::npos);
    }

    void testWrongJimu()
    {
        _facts.jimuCode = "JM99000000000000";
        Status st = InquiryPolicy::decide(_facts, &_list, at(1500));
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, st.code());
        CPPUNIT_ASSERT(st.message().find("JM99000000000000") != std::string::npos);
    }

    void testNotOnList()
    {
        _facts.dataItemCode = "TM00000000000099";
        Status st = InquiryPolicy::decide(_facts, &_list, at(1500));
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, st.code());
        std::string code = "ＴＭ" + std::string("００００００００００００") + "９９";
        CPPUNIT_ASSERT_EQUAL(std::string("指定された特定個人情報名「") + code + "」の照会は許可されていません。", st.message());
        CPPUNIT_ASSERT_EQUAL(std::string("ＴＭ０２"), InquiryPolicy::fullWidth("TM02"));
    }

    void testOutsideValidity()
    {
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, InquiryPolicy::decide(_facts, &_list, at(999)).code());
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, InquiryPolicy::decide(_facts, &_list, at(2000)).code());
    }

    void testNoFugo()
    {
        _facts.fugoKnown = false;
        Status st = InquiryPolicy::decide(_facts, &_list, at(1500));
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, st.code());
        CPPUNIT_ASSERT_EQUAL(std::string("指定された団体内統合宛名番号「000000000000123」は符号が未取得です。"), st.message());
    }

    void testNoListRefusesAll()
    {
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, InquiryPolicy::decide(_facts, nullptr, at(1500)).code());
    }

private:
    static Poco::Timestamp at(std::time_t s) { return Poco::Timestamp::fromEpochTime(s); }
    InquiryFacts _facts;
    PermitList _list;
};

CPPUNIT_TEST_SUITE_REGISTRATION(InquiryPolicyTest);
