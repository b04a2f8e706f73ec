// KeyedTaskPoolTest: one queued-or-running task per key, every task run, stop drops the queue.
#include "gateway/KeyedTaskPool.h"

#include <Poco/Event.h>
#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>

using namespace chukan;

class KeyedTaskPoolTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(KeyedTaskPoolTest);
    CPPUNIT_TEST(testKeyTakenOnceUntilDone);
    CPPUNIT_TEST(testManyTasksAllRun);
    CPPUNIT_TEST(testNothingBeforeStartOrAfterStop);
    CPPUNIT_TEST_SUITE_END();

public:
    void testKeyTakenOnceUntilDone()
    {
        KeyedTaskPool pool("test", 2);
        pool.start();
        Poco::Event release, running, done;
        std::atomic<int> runs{0};
        pool.onDone([&done] { done.set(); });
        CPPUNIT_ASSERT(pool.submit("IQ/1", [&] {
            ++runs;
            running.set();
            release.wait();
        }));
        running.wait();
        CPPUNIT_ASSERT(!pool.submit("IQ/1", [&] { ++runs; })); // running: refused
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), pool.pending());
        release.set();
        done.wait();
        for (int i = 0; i < 1000 && pool.pending() > 0; ++i)
            Poco::Thread::sleep(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), pool.pending());
        CPPUNIT_ASSERT(pool.submit("IQ/1", [&] { ++runs; })); // done: may be taken again
        pool.stop();
        CPPUNIT_ASSERT(runs.load() >= 1 && runs.load() <= 2);
    }

    void testManyTasksAllRun()
    {
        KeyedTaskPool pool("test", 4);
        pool.start();
        std::atomic<int> runs{0};
        Poco::Event all;
        const int n = 200;
        for (int i = 0; i < n; ++i)
            CPPUNIT_ASSERT(pool.submit("k" + std::to_string(i), [&] {
                if (++runs == n)
                    all.set();
            }));
        all.wait();
        pool.stop();
        CPPUNIT_ASSERT_EQUAL(n, runs.load());
    }

    void testNothingBeforeStartOrAfterStop()
    {
        KeyedTaskPool pool("test", 1);
        CPPUNIT_ASSERT(!pool.running());
        CPPUNIT_ASSERT(!pool.submit("a", [] {}));
        pool.start();
        CPPUNIT_ASSERT(pool.running());
        pool.stop();
        CPPUNIT_ASSERT(!pool.submit("a", [] {}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), pool.pending());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(KeyedTaskPoolTest);
