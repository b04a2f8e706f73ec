// Pipeline: runs an endpoint's stages in order until one stops, counting each stage's outcome.
#pragma once

#include "gateway/Metrics.h"
#include "gateway/Stage.h"

#include <memory>
#include <vector>

namespace chukan {

class Pipeline
{
public:
    /// endpoint names the pipeline in metrics (chukan_pipeline_stage_total{endpoint,stage,outcome}).
    Pipeline(std::string endpoint, Metrics& metrics);
    Pipeline& add(std::shared_ptr<Stage> stage);

    /// Runs every stage; an exception from a stage becomes a typed INTERNAL (or UNAVAILABLE
    /// for store/network failures) reply, logged with the request ID only.
    void run(Exchange& exchange) const;
    const std::string& endpoint() const { return _endpoint; }

private:
    struct Entry
    {
        std::shared_ptr<Stage> stage;
        Counter* continued;
        Counter* stopped;
    };
    std::string _endpoint;
    Metrics& _metrics;
    std::vector<Entry> _stages;
    Counter* _errors;
    Histogram* _latency;
};

} // namespace chukan
