// PipelineHandler: request → Exchange (peer certificate, body within limits) → pipeline → response.
#include "gateway/PipelineHandler.h"

#include "adapters/TlsPeer.h"
#include "gateway/ErrorHandler.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <openssl/rand.h>

#include <iomanip>
#include <sstream>

namespace chukan {

namespace {

std::string hex(const unsigned char* data, std::size_t n)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
    {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

} // namespace

std::string PipelineHandler::newRequestId()
{
    unsigned char bytes[8];
    RAND_bytes(bytes, sizeof bytes);
    return hex(bytes, sizeof bytes);
}

void PipelineHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
{
    Exchange ex;
    ex.requestId = newRequestId();
    ex.operation = _operation;
    ex.method = request.getMethod();
    Poco::URI uri(request.getURI());
    ex.path = uri.getPath();
    for (const auto& kv : uri.getQueryParameters())
        ex.query[kv.first] = kv.second;
    ex.contentType = request.getContentType();
    for (const auto& h : request)
        ex.headers[Poco::toLower(h.first)] = h.second;
    response.set("X-Request-Id", ex.requestId);

    auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    TlsPeer peer = TlsPeer::of(impl.socket(), true);
    if (!peer.present)
    {
        ErrorHandler::send(response, Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "NO_CLIENT_CERTIFICATE",
                           "a client certificate is required");
        return;
    }
    ex.clientFingerprint = std::move(peer.fingerprint);
    ex.clientOrganization = std::move(peer.organization);
    ex.clientCommonName = std::move(peer.commonName);

    if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(_maxBody))
    {
        ErrorHandler::send(response, Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "TOO_LARGE",
                           "request body exceeds " + std::to_string(_maxBody) + " bytes");
        return;
    }
    // RFC 9112 §6.3: a request with neither Content-Length nor chunked transfer coding has no
    // body. Poco would read such a POST until the client closes the connection — a keep-alive
    // client (curl -X POST without data) waited for the socket timeout before any answer.
    const bool chunked = request.getChunkedTransferEncoding();
    if (!chunked && request.has(Poco::Net::HTTPMessage::TRANSFER_ENCODING))
    {
        response.setKeepAlive(false); // the body's end cannot be found: close after the answer
        ErrorHandler::send(response, Poco::Net::HTTPResponse::HTTP_NOT_IMPLEMENTED,
                           "UNSUPPORTED_TRANSFER_ENCODING",
                           "Transfer-Encoding other than chunked is not supported; send the body "
                           "with Content-Length or chunked");
        return;
    }
    std::istream& in = request.stream();
    char buffer[65536];
    while ((chunked || request.hasContentLength()) && in)
    {
        in.read(buffer, sizeof buffer);
        ex.body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (ex.body.size() > _maxBody)
        {
            ErrorHandler::send(response, Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "TOO_LARGE",
                               "request body exceeds " + std::to_string(_maxBody) + " bytes");
            return;
        }
    }

    _run(ex);
    for (const auto& h : ex.replyHeaders)
        response.add(h.first, h.second);
    response.setStatus(ex.status);
    response.setContentType(ex.replyType);
    if (!ex.replyWriter)
    {
        response.setContentLength64(static_cast<Poco::Int64>(ex.replyBody.size()));
        response.send() << ex.replyBody;
        return;
    }
    response.setChunkedTransferEncoding(true);
    std::ostream& out = response.send();
    bool finished = false;
    try
    {
        finished = ex.replyWriter(out) && out.good();
    }
    catch (const std::exception& e)
    {
        Poco::Logger::get("chukan.http").error("request %s: streamed reply failed: %s", ex.requestId,
                                               std::string(e.what()));
    }
    if (!finished)
    {
        // The status line is gone: cut the connection before the last chunk, so the client
        // sees a broken transfer rather than a complete-looking short body.
        Poco::Logger::get("chukan.http").error("request %s: streamed reply cut short", ex.requestId);
        try
        {
            impl.socket().shutdown();
        }
        catch (const Poco::Exception&)
        {
        }
    }
}

} // namespace chukan
