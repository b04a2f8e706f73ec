// PipelineHandler: turns one HTTPS request into an Exchange (with the client certificate), runs a pipeline, replies.
#pragma once

#include "gateway/Pipeline.h"

#include <Poco/Net/HTTPRequestHandler.h>

#include <functional>

namespace chukan {

class PipelineHandler : public Poco::Net::HTTPRequestHandler
{
public:
    /// maxBody: larger bodies are refused with 413 before they are read.
    PipelineHandler(const Pipeline& pipeline, std::string operation, std::size_t maxBody)
        : _run([&pipeline](Exchange& ex) { pipeline.run(ex); }), _operation(std::move(operation)),
          _maxBody(maxBody)
    {
    }
    /// Runs `run` instead of a pipeline (the console's own dispatch, gateway/ConsoleRoutes).
    PipelineHandler(std::function<void(Exchange&)> run, std::string operation, std::size_t maxBody)
        : _run(std::move(run)), _operation(std::move(operation)), _maxBody(maxBody)
    {
    }
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

    /// A fresh random request ID (16 hex digits).
    static std::string newRequestId();

private:
    std::function<void(Exchange&)> _run;
    std::string _operation;
    std::size_t _maxBody;
};

} // namespace chukan
