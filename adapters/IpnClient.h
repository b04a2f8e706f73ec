// IpnClient: HTTPS client of the network protocol — POSTs an IpnMessage and returns the parsed reply, with retries.
#pragma once

#include "adapters/Clock.h"
#include "codecs/IpnMessage.h"
#include "codecs/Result.h"
#include "codecs/SecureXmlParser.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chukan
{

/// Retries (docs/protocol.md): connection failure, timeout, HTTP 5xx without a typed reply, and
/// a typed Error UNAVAILABLE are retried with exponential back-off — delay before attempt n+1 is
/// d = min(baseDelay·2^(n-1), maxDelay), jittered uniformly into [d/2, d] — until maxAttempts or
/// the deadline; the same bytes (so the same MessageId) are resent every time. Every other typed
/// Error is final and returned as a value (an IpnMessage of kind Error), never retried. A
/// certificate validation failure is final (PERMISSION_DENIED).
/// Result statuses: UNAVAILABLE after the retries are spent (message names the last reason),
/// CORRUPTION when the peer answers something that is not an ipn message, INVALID_ARGUMENT
/// for a bad URL or an unwritable message.
/// Sessions: HTTPSClientSession with keep-alive, pooled per scheme://host:port (at most
/// maxIdlePerHost idle sessions each). A failure on a reused (possibly stale) session is
/// retried once at once on a fresh one without counting as an attempt.
/// Thread-safety: post()/get() may be called from many threads at once.
class IpnClient
{
public:
    using Sleep = std::function<void(std::chrono::milliseconds)>;
    /// Uniform in [0, 1).
    using Jitter = std::function<double()>;

    struct Options
    {
        Poco::Net::Context::Ptr tls;                   ///< TlsContexts::client(...)
        std::shared_ptr<const SecureXmlParser> parser; ///< over ipn.xsd
        int maxAttempts = 5;
        std::chrono::milliseconds baseDelay{200};
        std::chrono::milliseconds maxDelay{10000};
        std::chrono::milliseconds timeout{10000}; ///< per attempt (connect, send, receive)
        std::chrono::milliseconds deadline{60000}; ///< no new attempt after this, from the first
        std::size_t maxIdlePerHost = 8;
        Sleep sleep;                  ///< default: std::this_thread::sleep_for
        Jitter jitter;                ///< default: a thread-local PRNG
        std::shared_ptr<Clock> clock; ///< default: SystemClock
    };

    explicit IpnClient(Options options);
    ~IpnClient();
    IpnClient(const IpnClient&) = delete;
    IpnClient& operator=(const IpnClient&) = delete;

    /// POSTs `message` (as XML) to `url` (https://host:port/path) and returns the parsed reply.
    Result<IpnMessage> post(const std::string& url, const IpnMessage& message);
    /// The same with the message already serialised (a stored outbox message is sent as the
    /// bytes that were stored, not parsed and written again); the reply is parsed and
    /// validated the same way.
    Result<IpnMessage> postXml(const std::string& url, const std::string& xml);
    /// GETs `url` (the signed directory or permission list) and returns the body of a 200 reply;
    /// a typed Error reply becomes a Status (FAILED_PRECONDITION naming the code), UNAVAILABLE retried.
    Result<std::string> get(const std::string& url);

    /// The back-off before attempt `attempt`+1 (attempt >= 1), jitter applied.
    std::chrono::milliseconds backoff(int attempt) const;

    /// Attempts made (HTTP exchanges tried) since construction.
    std::uint64_t attempts() const { return _attempts.load(); }

private:
    struct Reply
    {
        int status = 0;
        std::string contentType;
        std::string body;
    };
    /// One exchange; throws Poco::Exception on transport failure.
    Reply exchange(const std::string& method, const std::string& url, const std::string& body);
    std::unique_ptr<Poco::Net::HTTPSClientSession> acquire(const std::string& key,
                                                           const std::string& host,
                                                           unsigned short port, bool& reused);
    void release(const std::string& key, std::unique_ptr<Poco::Net::HTTPSClientSession> session);
    /// Runs `attempt` with retries: it returns true when done (result set), false to retry
    /// with `reason` set.
    template <typename T>
    Result<T> withRetries(const std::string& method, const std::string& url,
                          const std::string& body,
                          const std::function<bool(const Reply&, Result<T>&, std::string&)>& judge);

    Options _options;
    std::mutex _mutex;
    std::map<std::string, std::vector<std::unique_ptr<Poco::Net::HTTPSClientSession>>> _idle;
    std::atomic<std::uint64_t> _attempts{0};
};

} // namespace chukan
