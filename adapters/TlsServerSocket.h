// TlsServerSocket: a SecureServerSocket whose accepted connections wait for their next request with one poll(2) instead of Poco's four epoll calls.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <cstdint>

namespace chukan
{

/// Poco (built with POCO_HAVE_FD_EPOLL, as Debian's is) implements SocketImpl::poll() with a
/// new epoll instance per call: epoll_create, epoll_ctl, epoll_wait, close. HTTPServerSession
/// polls before every request on a keep-alive connection, so each request cost three syscalls
/// and a file allocation more than the wait itself (about a quarter of the time the servers
/// spent in poll, in the exchange profiles). The connections this socket accepts are Poco's
/// SecureStreamSocketImpl in every other respect (the same TLS context, handshake on first use,
/// certificate checks); only poll() is Poco's own poll(2) variant (its POCO_HAVE_FD_POLL code:
/// POLLIN/POLLOUT, EINTR retried with the time left, an error thrown).
/// Use it wherever a SecureServerSocket would be passed to Poco's HTTPServer/TCPServer.
class TlsServerSocket : public Poco::Net::ServerSocket
{
public:
    /// Binds (address reuse on) and listens, like SecureServerSocket(address, backlog, context).
    TlsServerSocket(const Poco::Net::SocketAddress& address, int backlog,
                    Poco::Net::Context::Ptr context);

    /// Connections accepted by TlsServerSockets in this process (for tests).
    static std::uint64_t accepted();
    /// poll() calls on those connections (for tests).
    static std::uint64_t polls();
};

} // namespace chukan
