// SimHttpsServer: request factory reading the peer certificate's O and CN and the body, writing the handler's reply.
#include "tests/netsim/SimHttpsServer.h"

#include "adapters/TlsPeer.h"
#include "adapters/TlsServerSocket.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

namespace chukan
{

namespace
{

class Handler : public Poco::Net::HTTPRequestHandler
{
public:
    explicit Handler(const SimHttpsServer::Handler& handler) : _handler(handler) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override
    {
        IpnSim::Reply reply;
        try
        {
            IpnSim::Request r;
            r.method = request.getMethod();
            r.path = Poco::URI(request.getURI()).getPath();
            auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request);
            TlsPeer peer = TlsPeer::of(impl.socket(), false);
            r.caller.organization = std::move(peer.organization);
            r.caller.commonName = std::move(peer.commonName);
            if (request.hasContentLength() &&
                request.getContentLength64() > static_cast<Poco::Int64>(SimHttpsServer::maxBody))
            {
                response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_REQUESTENTITYTOOLARGE);
                response.setKeepAlive(false);
                response.send() << "request body too large\n";
                return;
            }
            // As the gateway's PipelineHandler: neither Content-Length nor chunked = no body
            // (RFC 9112 6.3); Poco would read until the client closes the connection.
            std::string body;
            if (request.hasContentLength() || request.getChunkedTransferEncoding())
                Poco::StreamCopier::copyToString(request.stream(), body, 8192);
            if (body.size() > SimHttpsServer::maxBody)
            {
                response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_REQUESTENTITYTOOLARGE);
                response.send() << "request body too large\n";
                return;
            }
            r.body = std::move(body);
            reply = _handler(r);
        }
        catch (const std::exception& e)
        {
            reply = IpnSim::Reply{500, "text/plain", std::string("internal error\n")};
        }
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
        response.setContentType(reply.contentType);
        response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
        response.send() << reply.body;
    }

private:
    const SimHttpsServer::Handler& _handler;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    explicit Factory(SimHttpsServer::Handler handler) : _handler(std::move(handler)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        return new Handler(_handler);
    }

private:
    SimHttpsServer::Handler _handler;
};

} // namespace

SimHttpsServer::SimHttpsServer(Handler handler, Poco::Net::Context::Ptr tls,
                               const std::string& host, unsigned short port, int maxThreads,
                               int keepAliveSeconds)
    : _host(host)
{
    TlsServerSocket socket(Poco::Net::SocketAddress(host, port), 256, tls);
    _port = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(maxThreads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(keepAliveSeconds, 0));
    _pool = std::make_unique<Poco::ThreadPool>(2, maxThreads);
    _server = std::make_unique<Poco::Net::HTTPServer>(new Factory(std::move(handler)), *_pool,
                                                      socket, params);
    _server->start();
}

SimHttpsServer::~SimHttpsServer() { stop(); }

std::string SimHttpsServer::baseUrl() const
{
    return "https://" + _host + ":" + std::to_string(_port);
}

void SimHttpsServer::stop()
{
    if (_stopped)
        return;
    _stopped = true;
    _server->stopAll(true);
    _pool->joinAll();
}

} // namespace chukan
