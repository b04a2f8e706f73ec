// TlsServerSocket: SecureServerSocketImpl accepting SecureStreamSocketImpl subclasses that override poll() with poll(2).
#include "adapters/TlsServerSocket.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocketImpl.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timestamp.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <poll.h>

namespace chukan
{

namespace
{

std::atomic<std::uint64_t> acceptedConnections{0};
std::atomic<std::uint64_t> pollCalls{0};

/// An accepted TLS connection; poll() as Poco's POCO_HAVE_FD_POLL build does it.
class PollConnectionImpl : public Poco::Net::SecureStreamSocketImpl
{
public:
    PollConnectionImpl(Poco::Net::StreamSocketImpl* plain, Poco::Net::Context::Ptr context)
        : Poco::Net::SecureStreamSocketImpl(plain, context)
    {
    }

    /// The server side of the handshake is set up (it runs on first read or write).
    void startServerSide() { acceptSSL(); }

    bool poll(const Poco::Timespan& timeout, int mode) override
    {
        pollCalls.fetch_add(1, std::memory_order_relaxed);
        poco_socket_t fd = sockfd();
        if (fd == POCO_INVALID_SOCKET)
            throw Poco::Net::InvalidSocketException();
        pollfd p;
        std::memset(&p, 0, sizeof p);
        p.fd = fd;
        if (mode & SELECT_READ)
            p.events |= POLLIN;
        if (mode & SELECT_WRITE)
            p.events |= POLLOUT;
        Poco::Timespan remaining(timeout);
        int rc;
        do
        {
            Poco::Timestamp start;
            rc = ::poll(&p, 1, static_cast<int>(remaining.totalMilliseconds()));
            if (rc < 0 && errno == EINTR)
            {
                Poco::Timespan waited = Poco::Timestamp() - start;
                remaining = waited < remaining ? remaining - waited : Poco::Timespan(0);
            }
        } while (rc < 0 && errno == EINTR);
        if (rc < 0)
            error();
        return rc > 0;
    }
};

/// SecureServerSocketImpl whose acceptConnection() is SecureSocketImpl's, with the subclass above.
class PollServerImpl : public Poco::Net::SecureServerSocketImpl
{
public:
    explicit PollServerImpl(Poco::Net::Context::Ptr context)
        : Poco::Net::SecureServerSocketImpl(context)
    {
    }

    Poco::Net::SocketImpl* acceptConnection(Poco::Net::SocketAddress& clientAddr) override
    {
        // This socket's descriptor is the listening one (SecureServerSocketImpl::listen resets
        // it to its inner ServerSocketImpl's): the plain accept, then the TLS wrapper, as
        // SecureSocketImpl::acceptConnection does.
        Poco::Net::StreamSocket plain(Poco::Net::SocketImpl::acceptConnection(clientAddr));
        Poco::AutoPtr<PollConnectionImpl> tls = new PollConnectionImpl(
            static_cast<Poco::Net::StreamSocketImpl*>(plain.impl()), context());
        tls->startServerSide();
        tls->duplicate();
        acceptedConnections.fetch_add(1);
        return tls;
    }
};

} // namespace

TlsServerSocket::TlsServerSocket(const Poco::Net::SocketAddress& address, int backlog,
                                 Poco::Net::Context::Ptr context)
    : Poco::Net::ServerSocket(new PollServerImpl(context), true)
{
    impl()->bind(address, true);
    impl()->listen(backlog);
}

std::uint64_t TlsServerSocket::accepted()
{
    return acceptedConnections.load();
}

std::uint64_t TlsServerSocket::polls()
{
    return pollCalls.load();
}

} // namespace chukan
