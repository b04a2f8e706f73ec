// GatewayWorkerTest: the started worker sends queued inquiries and outbox messages through its pool — each exactly once.
#include "gateway/GatewayWorker.h"
#include "adapters/FugoStore.h"
#include "adapters/OutboxStore.h"
#include "tests/gateway/GatewayFixture.h"

#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <numeric>
#include <set>

using namespace chukan;

class GatewayWorkerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(GatewayWorkerTest);
    CPPUNIT_TEST(testPoolSendsEachInquiryAndOutboxMessageOnce);
    CPPUNIT_TEST(testNetworkDownLeavesWorkQueued);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _f.reset(new test::GatewayFixture);
        _f->services->settings.workerThreads = 4;
        FugoStore(_f->store.db()).putObtained(chiba(), "000000000000101", "FUGO-CHIBA-101-ABCDEFG", 1);
    }
    void tearDown() override { _f.reset(); }

    void testPoolSendsEachInquiryAndOutboxMessageOnce()
    {
        const int n = 24;
        for (int i = 0; i < n; ++i)
        {
            CPPUNIT_ASSERT(InquiryStore(_f->store.db()).add(chiba(), inquiry(i), 1).isOk());
            OutboxMessage m;
            m.messageId = "R-MSG-" + std::to_string(1000 + i);
            m.kind = "ProvisionResponse";
            m.destination = "1210020000000000";
            m.body = "<response " + std::to_string(i) + "/>";
            CPPUNIT_ASSERT(OutboxStore(_f->store.db()).add(hofu(), m, 0).isOk());
        }
        auto inquiries = std::make_shared<InquiryService>(*_f->services);
        GatewayWorker worker(*_f->services, inquiries, std::make_shared<ProvisionService>(*_f->services));
        worker.start();
        // Bounded wait for the outcome, not a timing assertion: the counts below decide.
        for (int i = 0; i < 3000 && !(sent() == n && OutboxStore(_f->store.db()).countByState(hofu(), "sent") == n); ++i)
            Poco::Thread::sleep(10);
        worker.stop();
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(n), Poco::Int64(sent()));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(n), OutboxStore(_f->store.db()).countByState(hofu(), "sent"));
        std::lock_guard<std::recursive_mutex> lock(_f->network->mutex);
        CPPUNIT_ASSERT_EQUAL(std::size_t(n), _f->network->sentInquiries.size()); // none twice
        CPPUNIT_ASSERT_EQUAL(std::size_t(n), std::set<std::string>(_f->network->sentInquiries.begin(),
                                                                   _f->network->sentInquiries.end()).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(n), _f->network->sentResponses.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(n), std::set<std::string>(_f->network->sentResponses.begin(),
                                                                   _f->network->sentResponses.end()).size());
        // Work listed at once is spread over the 4 threads in batches (one network message each).
        for (const std::vector<std::size_t>* batches :
             {&_f->network->permitBatches, &_f->network->inquiryBatches, &_f->network->responseBatches})
        {
            CPPUNIT_ASSERT_EQUAL(std::size_t(n), std::accumulate(batches->begin(), batches->end(), std::size_t(0)));
            CPPUNIT_ASSERT(*std::max_element(batches->begin(), batches->end()) > 1);
            CPPUNIT_ASSERT(*std::max_element(batches->begin(), batches->end()) <= 50);
        }
    }

    void testNetworkDownLeavesWorkQueued()
    {
        _f->network->down = true;
        CPPUNIT_ASSERT(InquiryStore(_f->store.db()).add(chiba(), inquiry(1), 1).isOk());
        auto inquiries = std::make_shared<InquiryService>(*_f->services);
        GatewayWorker worker(*_f->services, inquiries, std::make_shared<ProvisionService>(*_f->services));
        worker.start();
        for (int i = 0; i < 3000 && callCount() == 0; ++i)
            Poco::Thread::sleep(10);
        worker.stop();
        CPPUNIT_ASSERT(callCount() > 0);
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), InquiryStore(_f->store.db()).get(chiba(), "Q-W-1")->state);
        // Started again with the network back: sent once.
        _f->network->down = false;
        GatewayWorker again(*_f->services, inquiries, std::make_shared<ProvisionService>(*_f->services));
        again.start();
        for (int i = 0; i < 3000 && sent() == 0; ++i)
            Poco::Thread::sleep(10);
        again.stop();
        CPPUNIT_ASSERT_EQUAL(1, sent());
    }

private:
    static TenantCode chiba() { return TenantCode::parse("121002").value(); }
    static TenantCode hofu() { return TenantCode::parse("352063").value(); }
    static Inquiry inquiry(int i) { return test::testInquiry("Q-W-" + std::to_string(i)); }
    int sent() { return int(InquiryStore(_f->store.db()).listByState(chiba(), "sent", 1000).size()); }
    int callCount()
    {
        std::lock_guard<std::recursive_mutex> lock(_f->network->mutex);
        return _f->network->calls;
    }
    std::unique_ptr<test::GatewayFixture> _f;
};

CPPUNIT_TEST_SUITE_REGISTRATION(GatewayWorkerTest);
