// ReasonCodesTest: the typed reason codes — unique codes and item statuses, reviewer codes,
// status-code mapping.
#include "codecs/ReasonCodes.h"
#include "codecs/IpnErrorCode.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using namespace chukan;

class ReasonCodesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReasonCodesTest);
    CPPUNIT_TEST(testCodesAndItemStatusesAreUnique);
    CPPUNIT_TEST(testProviderRefusalsOfPermitsAreCatalogued);
    CPPUNIT_TEST(testReviewerCodes);
    CPPUNIT_TEST(testStatusOf);
    CPPUNIT_TEST_SUITE_END();

public:
    void testCodesAndItemStatusesAreUnique()
    {
        std::set<std::string> codes, items;
        for (const ReasonCodes::Info& i : ReasonCodes::all())
        {
            CPPUNIT_ASSERT_MESSAGE(i.code, codes.insert(i.code).second);
            CPPUNIT_ASSERT_MESSAGE(i.code, items.insert(i.itemStatus).second);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(i.code, std::size_t(2), i.itemStatus.size());
            CPPUNIT_ASSERT_MESSAGE(i.code, i.itemStatus != ReasonCodes::ITEM_PROVIDED);
            CPPUNIT_ASSERT_MESSAGE(i.code, i.outcome == "no_data" || i.outcome == "refused");
            CPPUNIT_ASSERT_MESSAGE(i.code, i.code.size() <= 32 && !i.text.empty());
        }
    }

    void testProviderRefusalsOfPermitsAreCatalogued()
    {
        // Whatever the provider's permit check refuses with must reach the business system typed.
        for (IpnErrorCode c :
             {IpnErrorCode::PERMIT_EXPIRED, IpnErrorCode::PERMIT_NOT_YET_VALID,
              IpnErrorCode::BAD_PERMIT, IpnErrorCode::PERMIT_MISADDRESSED,
              IpnErrorCode::PERMIT_REPLAYED, IpnErrorCode::NOT_PERMITTED, IpnErrorCode::NO_FUGO})
            CPPUNIT_ASSERT_MESSAGE(IpnErrorCodes::name(c),
                                   ReasonCodes::find(IpnErrorCodes::name(c)).has_value());
        CPPUNIT_ASSERT(!ReasonCodes::find("NO_SUCH_CODE").has_value());
    }

    void testReviewerCodes()
    {
        CPPUNIT_ASSERT(ReasonCodes::isReviewerCode("REJECTED_BY_REVIEWER"));
        CPPUNIT_ASSERT(ReasonCodes::isReviewerCode("REJECTED_OUT_OF_SCOPE"));
        CPPUNIT_ASSERT(!ReasonCodes::isReviewerCode("HOLD_DEADLINE")); // only the system gives it
        CPPUNIT_ASSERT(
            !ReasonCodes::isReviewerCode("DV_SUPPORT")); // never say why a person is flagged
        CPPUNIT_ASSERT(!ReasonCodes::isReviewerCode(""));
        CPPUNIT_ASSERT(ReasonCodes::reviewerCodeList().find("REJECTED_SUBJECT_UNCONFIRMED") !=
                       std::string::npos);
    }

    void testStatusOf()
    {
        expect("09", "01", ReasonCodes::statusOf("completed", ""));
        expect("09", "02", ReasonCodes::statusOf("completed", "NO_DATA"));
        expect("09", "03", ReasonCodes::statusOf("completed", "UNKNOWN_SUBJECT"));
        expect("10", "11", ReasonCodes::statusOf("completed", "REJECTED_BY_REVIEWER"));
        expect("10", "14", ReasonCodes::statusOf("completed", "HOLD_DEADLINE"));
        expect("10", "21", ReasonCodes::statusOf("completed", "PERMIT_EXPIRED"));
        expect("20", "23",
               ReasonCodes::statusOf("error", "BAD_PERMIT")); // the network refused to route it
        expect("20", "32", ReasonCodes::statusOf("aborted", "NO_FUGO"));
        expect("10", "99", ReasonCodes::statusOf("completed", "SOMETHING_NEW"));
    }

private:
    static void expect(const char* detail, const char* item, const ReasonCodes::StatusPair& got)
    {
        CPPUNIT_ASSERT_EQUAL(std::string(detail), got.detail);
        CPPUNIT_ASSERT_EQUAL(std::string(item), got.item);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReasonCodesTest);
