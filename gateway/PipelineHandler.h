// PipelineHandler: turns one HTTPS request into an Exchange (with the client certificate), runs a pipeline, replies.
#pragma once

#include "gateway/Pipeline.h"

#include <Poco/Net/HTTPRequestHandler.h>

namespace chukan {

class PipelineHandler : public Poco::Net::HTTPRequestHandler
{
public:
    /// maxBody: larger bodies are refused with 413 before they are read.
    PipelineHandler(const Pipeline& pipeline, std::string operation, std::size_t maxBody)
        : _pipeline(pipeline), _operation(std::move(operation)), _maxBody(maxBody)
    {
    }
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

    /// A fresh random request ID (16 hex digits).
    static std::string newRequestId();

private:
    const Pipeline& _pipeline;
    std::string _operation;
    std::size_t _maxBody;
};

} // namespace chukan
