// ExchangeSignalsTest: the worker's wake-up and the per-inquiry events that end a ?wait early.
#include "gateway/ExchangeSignals.h"

#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace chukan;

class ExchangeSignalsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ExchangeSignalsTest);
    CPPUNIT_TEST(testWorkerWakeUpIsLevelTriggered);
    CPPUNIT_TEST(testFinishedWakesEveryWaiterOfThatInquiryOnly);
    CPPUNIT_TEST(testWaiterWokenFromAnotherThread);
    CPPUNIT_TEST_SUITE_END();

public:
    void testWorkerWakeUpIsLevelTriggered()
    {
        ExchangeSignals s;
        CPPUNIT_ASSERT(!s.waitForWork(0));
        s.wakeWorker(); // before the wait: not lost
        s.wakeWorker();
        CPPUNIT_ASSERT(s.waitForWork(0));
        CPPUNIT_ASSERT(!s.waitForWork(0));
    }

    void testFinishedWakesEveryWaiterOfThatInquiryOnly()
    {
        ExchangeSignals s;
        ExchangeSignals::Waiter a = s.subscribe("121002", "Q1");
        ExchangeSignals::Waiter b = s.subscribe("121002", "Q1");
        ExchangeSignals::Waiter otherTenant = s.subscribe("352063", "Q1");
        ExchangeSignals::Waiter otherSerial = s.subscribe("121002", "Q2");
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), s.subscribed());
        s.finished("121002", "Q1");
        s.finished("121002", "Q9"); // nobody waits: nothing happens
        CPPUNIT_ASSERT(a->tryWait(0));
        CPPUNIT_ASSERT(b->tryWait(0));
        CPPUNIT_ASSERT(!otherTenant->tryWait(0));
        CPPUNIT_ASSERT(!otherSerial->tryWait(0));
        s.unsubscribe("121002", "Q1", a);
        s.unsubscribe("121002", "Q1", b);
        s.unsubscribe("121002", "Q1", b); // twice: harmless
        s.unsubscribe("352063", "Q1", otherTenant);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), s.subscribed());
        s.finished("121002", "Q1");
        CPPUNIT_ASSERT(!a->tryWait(0)); // unsubscribed: no longer signalled
        s.unsubscribe("121002", "Q2", otherSerial);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), s.subscribed());
    }

    void testWaiterWokenFromAnotherThread()
    {
        ExchangeSignals s;
        ExchangeSignals::Waiter w = s.subscribe("121002", "Q1");
        std::thread t([&s] { s.finished("121002", "Q1"); });
        // Generous bound: the point is that the wait ends by the signal, asserted by its result.
        CPPUNIT_ASSERT(w->tryWait(30000));
        t.join();
        s.unsubscribe("121002", "Q1", w);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ExchangeSignalsTest);
