// PipelineTest: stages run in order, a stop ends the request, exceptions become typed replies, all counted.
#include "gateway/Pipeline.h"

#include <Poco/Data/DataException.h>

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

using namespace chukan;

namespace {

class RecordingStage : public Stage
{
public:
    RecordingStage(const char* name, Outcome outcome, std::string& trace, int throwKind = 0)
        : _name(name), _outcome(outcome), _trace(trace), _throw(throwKind)
    {
    }
    const char* name() const override { return _name; }
    Outcome run(Exchange& ex) override
    {
        _trace += _name;
        _trace += ";";
        if (_throw == 1)
            throw std::runtime_error("boom");
        if (_throw == 2)
            throw Poco::Data::DataException("connection lost");
        if (_outcome == STOP)
            ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "PERMISSION_DENIED", std::string(_name) + " says no");
        return _outcome;
    }

private:
    const char* _name;
    Outcome _outcome;
    std::string& _trace;
    int _throw;
};

} // namespace

class PipelineTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PipelineTest);
    CPPUNIT_TEST(testRunsInOrder);
    CPPUNIT_TEST(testStopEndsRequest);
    CPPUNIT_TEST(testExceptionsBecomeTypedReplies);
    CPPUNIT_TEST(testMetricsRender);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRunsInOrder()
    {
        Metrics m;
        std::string trace;
        Pipeline p("demo", m);
        p.add(std::make_shared<RecordingStage>("a", Stage::CONTINUE, trace))
            .add(std::make_shared<RecordingStage>("b", Stage::CONTINUE, trace));
        Exchange ex;
        p.run(ex);
        CPPUNIT_ASSERT_EQUAL(std::string("a;b;"), trace);
        CPPUNIT_ASSERT(!ex.failed());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1),
                             m.value("chukan_pipeline_stage_total", "endpoint=\"demo\",stage=\"b\",outcome=\"continue\""));
    }

    void testStopEndsRequest()
    {
        Metrics m;
        std::string trace;
        Pipeline p("demo", m);
        p.add(std::make_shared<RecordingStage>("a", Stage::STOP, trace))
            .add(std::make_shared<RecordingStage>("b", Stage::CONTINUE, trace));
        Exchange ex;
        ex.requestId = "r1";
        p.run(ex);
        CPPUNIT_ASSERT_EQUAL(std::string("a;"), trace);
        CPPUNIT_ASSERT_EQUAL(std::string("PERMISSION_DENIED"), ex.errorCode);
        CPPUNIT_ASSERT(ex.replyBody.find("\"requestId\":\"r1\"") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1),
                             m.value("chukan_pipeline_stage_total", "endpoint=\"demo\",stage=\"a\",outcome=\"stop\""));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0),
                             m.value("chukan_pipeline_stage_total", "endpoint=\"demo\",stage=\"b\",outcome=\"continue\""));
    }

    void testExceptionsBecomeTypedReplies()
    {
        Metrics m;
        std::string trace;
        Pipeline p1("x", m);
        p1.add(std::make_shared<RecordingStage>("a", Stage::CONTINUE, trace, 1));
        Exchange e1;
        p1.run(e1);
        CPPUNIT_ASSERT_EQUAL(std::string("INTERNAL"), e1.errorCode);
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, e1.status);
        CPPUNIT_ASSERT(e1.replyBody.find("boom") == std::string::npos); // internals are logged, not sent
        Pipeline p2("y", m);
        p2.add(std::make_shared<RecordingStage>("a", Stage::CONTINUE, trace, 2));
        Exchange e2;
        p2.run(e2);
        CPPUNIT_ASSERT_EQUAL(std::string("UNAVAILABLE"), e2.errorCode);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), m.value("chukan_pipeline_errors_total", "endpoint=\"y\""));
    }

    void testMetricsRender()
    {
        Metrics m;
        m.counter("chukan_demo_total", "decision=\"allowed\"", "Demo decisions").inc(3);
        m.histogram("chukan_demo_seconds").observe(0.002);
        std::string text = m.render();
        CPPUNIT_ASSERT(text.find("# HELP chukan_demo_total Demo decisions\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("# TYPE chukan_demo_total counter\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("chukan_demo_total{decision=\"allowed\"} 3\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("chukan_demo_seconds_bucket{le=\"0.001\"} 0\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("chukan_demo_seconds_bucket{le=\"0.0025\"} 1\n") != std::string::npos);
        CPPUNIT_ASSERT(text.find("chukan_demo_seconds_count 1\n") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PipelineTest);
