// IpnClient: pooled keep-alive HTTPS sessions, exponential back-off with jitter, typed replies as values.
#include "adapters/IpnClient.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <random>
#include <thread>

namespace chukan
{

namespace
{

double defaultJitter()
{
    thread_local std::mt19937_64 rng(std::random_device{}());
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

struct Target
{
    std::string key;
    std::string host;
    unsigned short port = 0;
    std::string pathAndQuery;
};

Result<Target> target(const std::string& url)
{
    try
    {
        Poco::URI uri(url);
        if (uri.getScheme() != "https" || uri.getHost().empty())
            return Status::invalid("ipn client: '" + url + "' is not an https URL");
        Target t;
        t.host = uri.getHost();
        t.port = uri.getPort();
        t.key = t.host + ":" + std::to_string(t.port);
        t.pathAndQuery = uri.getPathAndQuery();
        if (t.pathAndQuery.empty())
            t.pathAndQuery = "/";
        return t;
    }
    catch (const Poco::Exception& e)
    {
        return Status::invalid("ipn client: bad URL '" + url + "': " + e.displayText());
    }
}

} // namespace

IpnClient::IpnClient(Options options) : _options(std::move(options))
{
    if (!_options.sleep)
        _options.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    if (!_options.jitter)
        _options.jitter = defaultJitter;
    if (!_options.clock)
        _options.clock = std::make_shared<SystemClock>();
    if (_options.maxAttempts < 1)
        _options.maxAttempts = 1;
}

IpnClient::~IpnClient() = default;

std::chrono::milliseconds IpnClient::backoff(int attempt) const
{
    long long d = _options.baseDelay.count();
    for (int i = 1; i < attempt && d < _options.maxDelay.count(); ++i)
        d *= 2;
    d = std::min<long long>(d, _options.maxDelay.count());
    double j = _options.jitter();
    return std::chrono::milliseconds(d / 2 + static_cast<long long>(j * static_cast<double>(d - d / 2)));
}

std::unique_ptr<Poco::Net::HTTPSClientSession>
IpnClient::acquire(const std::string& key, const std::string& host, unsigned short port,
                   bool& reused)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto& idle = _idle[key];
        if (!idle.empty())
        {
            std::unique_ptr<Poco::Net::HTTPSClientSession> s = std::move(idle.back());
            idle.pop_back();
            reused = true;
            return s;
        }
    }
    reused = false;
    auto s = std::make_unique<Poco::Net::HTTPSClientSession>(host, port, _options.tls);
    s->setKeepAlive(true);
    s->setTimeout(Poco::Timespan(static_cast<long>(_options.timeout.count() / 1000),
                                 static_cast<long>(_options.timeout.count() % 1000) * 1000));
    return s;
}

void IpnClient::release(const std::string& key,
                        std::unique_ptr<Poco::Net::HTTPSClientSession> session)
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto& idle = _idle[key];
    if (idle.size() < _options.maxIdlePerHost)
        idle.push_back(std::move(session));
}

IpnClient::Reply IpnClient::exchange(const std::string& method, const std::string& url,
                                     const std::string& body)
{
    Result<Target> t = target(url);
    if (!t) // checked by the caller first
        throw Poco::InvalidArgumentException(t.status().message());
    for (int round = 0;; ++round)
    {
        bool reused = false;
        std::unique_ptr<Poco::Net::HTTPSClientSession> session =
            acquire(t->key, t->host, t->port, reused);
        try
        {
            Poco::Net::HTTPRequest request(method, t->pathAndQuery,
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            request.setKeepAlive(true);
            if (method == Poco::Net::HTTPRequest::HTTP_POST)
            {
                request.setContentType("application/xml");
                request.setContentLength(static_cast<std::streamsize>(body.size()));
            }
            std::ostream& out = session->sendRequest(request);
            if (method == Poco::Net::HTTPRequest::HTTP_POST)
                out << body;
            Poco::Net::HTTPResponse response;
            std::istream& in = session->receiveResponse(response);
            Reply reply;
            reply.status = static_cast<int>(response.getStatus());
            reply.contentType = response.getContentType();
            Poco::StreamCopier::copyToString(in, reply.body);
            if (response.getKeepAlive())
                release(t->key, std::move(session));
            return reply;
        }
        catch (const Poco::Net::CertificateValidationException&)
        {
            throw;
        }
        catch (const Poco::Exception&)
        {
            // A pooled session may have been closed by the peer while idle: one fresh try.
            if (reused && round == 0)
                continue;
            throw;
        }
    }
}

template <typename T>
Result<T> IpnClient::withRetries(
    const std::string& method, const std::string& url, const std::string& body,
    const std::function<bool(const Reply&, Result<T>&, std::string&)>& judge)
{
    Result<Target> t = target(url);
    if (!t)
        return t.status();
    const Poco::Int64 start = _options.clock->nowMicros();
    std::string reason;
    for (int attempt = 1;; ++attempt)
    {
        _attempts.fetch_add(1);
        try
        {
            Reply reply = exchange(method, url, body);
            Result<T> result = Status::internal("unset");
            if (judge(reply, result, reason))
                return result;
        }
        catch (const Poco::Net::CertificateValidationException& e)
        {
            return Status::denied("ipn client: " + url + ": " + e.displayText());
        }
        catch (const Poco::Exception& e)
        {
            reason = e.displayText();
        }
        catch (const std::exception& e)
        {
            reason = e.what();
        }
        if (attempt >= _options.maxAttempts)
            break;
        std::chrono::milliseconds delay = backoff(attempt);
        Poco::Int64 elapsedMs = (_options.clock->nowMicros() - start) / 1000;
        if (elapsedMs + delay.count() > _options.deadline.count())
            break;
        _options.sleep(delay);
    }
    return Status::unavailable("ipn client: " + method + " " + url + " failed after retries: " +
                               reason);
}

Result<IpnMessage> IpnClient::post(const std::string& url, const IpnMessage& message)
{
    Result<std::string> xml = message.toXml();
    if (!xml)
        return xml.status();
    return postXml(url, xml.value());
}

Result<IpnMessage> IpnClient::postXml(const std::string& url, const std::string& xml)
{
    const SecureXmlParser& parser = *_options.parser;
    return withRetries<IpnMessage>(
        Poco::Net::HTTPRequest::HTTP_POST, url, xml,
        [&](const Reply& reply, Result<IpnMessage>& result, std::string& reason) {
            Result<IpnMessage> parsed = IpnMessage::parse(reply.body, parser);
            if (parsed)
            {
                if (parsed->isError(IpnErrorCode::UNAVAILABLE))
                {
                    reason = "UNAVAILABLE: " + parsed->errorMessage;
                    return false;
                }
                result = std::move(parsed);
                return true;
            }
            if (reply.status >= 500)
            {
                reason = "HTTP " + std::to_string(reply.status);
                return false;
            }
            result = Status::corruption("ipn client: reply from " + url + " (HTTP " +
                                        std::to_string(reply.status) +
                                        ") is not an ipn message: " + parsed.status().message());
            return true;
        });
}

Result<std::string> IpnClient::get(const std::string& url)
{
    const SecureXmlParser& parser = *_options.parser;
    return withRetries<std::string>(
        Poco::Net::HTTPRequest::HTTP_GET, url, "",
        [&](const Reply& reply, Result<std::string>& result, std::string& reason) {
            if (reply.status == 200)
            {
                result = reply.body;
                return true;
            }
            Result<IpnMessage> parsed = IpnMessage::parse(reply.body, parser);
            if (parsed && parsed->kind == IpnMessage::Kind::Error)
            {
                if (parsed->errorCode == IpnErrorCode::UNAVAILABLE)
                {
                    reason = "UNAVAILABLE: " + parsed->errorMessage;
                    return false;
                }
                result = Status::precondition("ipn client: GET " + url + ": " +
                                              IpnErrorCodes::name(parsed->errorCode) + ": " +
                                              parsed->errorMessage);
                return true;
            }
            if (reply.status >= 500)
            {
                reason = "HTTP " + std::to_string(reply.status);
                return false;
            }
            result = Status::corruption("ipn client: GET " + url + ": HTTP " +
                                        std::to_string(reply.status));
            return true;
        });
}

} // namespace chukan
