// Pipeline: the stage loop, its counters and its exception boundary.
#include "gateway/Pipeline.h"

#include <Poco/Data/DataException.h>
#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>
#include <Poco/Stopwatch.h>

namespace chukan {

Pipeline::Pipeline(std::string endpoint, Metrics& metrics) : _endpoint(std::move(endpoint)), _metrics(metrics)
{
    _errors = &_metrics.counter("chukan_pipeline_errors_total", "endpoint=\"" + _endpoint + "\"",
                                "Exceptions turned into INTERNAL or UNAVAILABLE replies");
    _latency = &_metrics.histogram("chukan_request_seconds", "endpoint=\"" + _endpoint + "\"",
                                   "Time from first stage to reply");
}

Pipeline& Pipeline::add(std::shared_ptr<Stage> stage)
{
    std::string labels = "endpoint=\"" + _endpoint + "\",stage=\"" + stage->name() + "\"";
    Entry e{stage, &_metrics.counter("chukan_pipeline_stage_total", labels + ",outcome=\"continue\"",
                                     "Stage outcomes per endpoint"),
            &_metrics.counter("chukan_pipeline_stage_total", labels + ",outcome=\"stop\"")};
    _stages.push_back(e);
    return *this;
}

void Pipeline::run(Exchange& exchange) const
{
    Poco::Stopwatch watch;
    watch.start();
    const char* current = "";
    try
    {
        for (const Entry& e : _stages)
        {
            current = e.stage->name();
            if (e.stage->run(exchange) == Stage::STOP)
            {
                e.stopped->inc();
                _latency->observe(watch.elapsed() / 1e6);
                return;
            }
            e.continued->inc();
        }
    }
    catch (const Poco::Data::DataException& ex)
    {
        _errors->inc();
        Poco::Logger::get("chukan.pipeline")
            .error("request %s endpoint %s stage %s: store failure: %s", exchange.requestId, _endpoint,
                   std::string(current), ex.displayText());
        exchange.fail(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "UNAVAILABLE",
                      "the store is unavailable; retry later");
    }
    catch (const std::exception& ex)
    {
        _errors->inc();
        Poco::Logger::get("chukan.pipeline")
            .error("request %s endpoint %s stage %s: %s", exchange.requestId, _endpoint, std::string(current),
                   std::string(ex.what()));
        exchange.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL",
                      "internal error; see the gateway log for request " + exchange.requestId);
    }
    _latency->observe(watch.elapsed() / 1e6);
}

} // namespace chukan
