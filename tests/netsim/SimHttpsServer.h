// SimHttpsServer: a mutual-TLS Poco HTTPServer that hands each request, with its client certificate subject, to a function.
#pragma once

#include "tests/netsim/IpnSim.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <functional>
#include <memory>
#include <string>

namespace chukan
{

/// Serves ipn-sim itself (handler = IpnSim::handle) and, in tests, fake institution inbound
/// endpoints. Requests larger than maxBody are answered 413 unread. Port 0 binds a free port;
/// port() tells which. Thread-safety: the handler runs on the server's worker threads.
class SimHttpsServer
{
public:
    using Handler = std::function<IpnSim::Reply(const IpnSim::Request&)>;

    SimHttpsServer(Handler handler, Poco::Net::Context::Ptr tls, const std::string& host,
                   unsigned short port, int maxThreads = 32, int keepAliveSeconds = 5);
    ~SimHttpsServer();

    unsigned short port() const { return _port; }
    /// https://HOST:PORT
    std::string baseUrl() const;
    void stop();

    static constexpr std::size_t maxBody = 64 * 1024 * 1024;

private:
    std::string _host;
    unsigned short _port = 0;
    std::unique_ptr<Poco::ThreadPool> _pool; ///< own pool: keep-alive connections hold threads
    std::unique_ptr<Poco::Net::HTTPServer> _server;
    bool _stopped = false;
};

} // namespace chukan
