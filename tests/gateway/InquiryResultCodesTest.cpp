// InquiryResultCodesTest: what the business system reads for each end of an inquiry — status, typed
// code, 詳細/項目ステータス.
#include "gateway/InquiryAcceptStage.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class InquiryResultCodesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(InquiryResultCodesTest);
    CPPUNIT_TEST(testInFlight);
    CPPUNIT_TEST(testProvided);
    CPPUNIT_TEST(testNoData);
    CPPUNIT_TEST(testRefusedByProvider);
    CPPUNIT_TEST(testRefusedByNetwork);
    CPPUNIT_TEST_SUITE_END();

public:
    void testInFlight()
    {
        InquiryResponse r = InquiryAcceptStage::responseFor(inquiry("sent", "", ""));
        CPPUNIT_ASSERT_EQUAL(std::string("processing"), r.status);
        CPPUNIT_ASSERT(r.detailStatus.empty() && r.errorCode.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"),
                             InquiryAcceptStage::responseFor(inquiry("queued", "", "")).status);
    }

    void testProvided()
    {
        Inquiry q = inquiry("completed", "", "");
        q.result = "<ProvisionData/>";
        InquiryResponse r = InquiryAcceptStage::responseFor(q);
        CPPUNIT_ASSERT(r.isNormal());
        CPPUNIT_ASSERT_EQUAL(std::string("<ProvisionData/>"), r.resultData);
    }

    void testNoData()
    {
        InquiryResponse r =
            InquiryAcceptStage::responseFor(inquiry("completed", "NO_DATA", "副本がありません"));
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("NO_DATA"), r.errorCode);
        CPPUNIT_ASSERT_EQUAL(std::string("09"), r.detailStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("02"), r.itemStatus);
        CPPUNIT_ASSERT(!r.isNormal() && !r.hasResultData);
    }

    void testRefusedByProvider()
    {
        InquiryResponse r =
            InquiryAcceptStage::responseFor(inquiry("completed", "HOLD_DEADLINE", "審査期限"));
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("10"), r.detailStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("14"), r.itemStatus);
    }

    void testRefusedByNetwork()
    {
        InquiryResponse r = InquiryAcceptStage::responseFor(
            inquiry("error", "BAD_PERMIT", "BAD_PERMIT: signature"));
        CPPUNIT_ASSERT_EQUAL(std::string("aborted"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("BAD_PERMIT"), r.errorCode);
        CPPUNIT_ASSERT_EQUAL(std::string("20"), r.detailStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("23"), r.itemStatus);
    }

private:
    static Inquiry inquiry(const std::string& state, const std::string& code,
                           const std::string& message)
    {
        Inquiry q;
        q.serial = "Q0123456789abcdef";
        q.systemId = "kenko";
        q.state = state;
        q.errorCode = code;
        q.errorMessage = message;
        return q;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(InquiryResultCodesTest);
