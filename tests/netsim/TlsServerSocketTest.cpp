// TlsServerSocketTest: connections accepted by TlsServerSocket are TLS connections Poco's HTTPServer keeps alive, waiting for each request with the poll(2) override.
#include "adapters/TlsServerSocket.h"
#include "tests/netsim/NetsimFixture.h"
#include "tests/netsim/SimHttpsServer.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;
using namespace chukan::netsim_test;

class TlsServerSocketTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TlsServerSocketTest);
    CPPUNIT_TEST(testKeepAliveRequestsWaitWithPoll);
    CPPUNIT_TEST(testPollReportsReadableOnlyWhenDataArrived);
    CPPUNIT_TEST_SUITE_END();

public:
    void testKeepAliveRequestsWaitWithPoll()
    {
        SimHttpsServer server(
            [](const IpnSim::Request& r)
            {
                return IpnSim::Reply{200, "text/plain",
                                     r.caller.organization + "/" + r.caller.commonName + ":" +
                                         r.body};
            },
            serverTls("network/server"), "127.0.0.1", 0);
        std::uint64_t accepted = TlsServerSocket::accepted();
        std::uint64_t polls = TlsServerSocket::polls();
        Poco::Net::HTTPSClientSession session("127.0.0.1", server.port(),
                                              clientTls("121002/client"));
        session.setKeepAlive(true);
        Poco::UInt16 localPort = 0;
        for (int i = 0; i < 3; ++i)
        {
            std::string body = "request " + std::to_string(i);
            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/x",
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            request.setKeepAlive(true);
            request.setContentLength(static_cast<std::streamsize>(body.size()));
            session.sendRequest(request) << body;
            Poco::Net::HTTPResponse response;
            std::string reply;
            Poco::StreamCopier::copyToString(session.receiveResponse(response), reply);
            CPPUNIT_ASSERT_EQUAL(std::string("121002/1210020000000000:") + body, reply);
            CPPUNIT_ASSERT(response.getKeepAlive());
            if (i == 0)
                localPort = session.socket().address().port();
            CPPUNIT_ASSERT_EQUAL(localPort, session.socket().address().port()); // one connection
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), TlsServerSocket::accepted() - accepted);
        // HTTPServerSession polls before each request on the connection: the override answered.
        CPPUNIT_ASSERT(TlsServerSocket::polls() - polls >= 3);
        server.stop();
    }

    void testPollReportsReadableOnlyWhenDataArrived()
    {
        TlsServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0), 4,
                                 serverTls("network/server"));
        Poco::Net::StreamSocket client(
            listener.address()); // plain TCP: poll() looks at the descriptor
        Poco::Net::StreamSocket accepted = listener.acceptConnection();
        CPPUNIT_ASSERT(dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(accepted.impl()) !=
                       nullptr);
        std::uint64_t polls = TlsServerSocket::polls();
        CPPUNIT_ASSERT(!accepted.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ));
        CPPUNIT_ASSERT(accepted.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_WRITE));
        client.sendBytes("x", 1);
        CPPUNIT_ASSERT(accepted.poll(Poco::Timespan(5, 0), Poco::Net::Socket::SELECT_READ));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), TlsServerSocket::polls() - polls);
        client.close();
        accepted.close();
        CPPUNIT_ASSERT_THROW(accepted.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ),
                             Poco::Net::InvalidSocketException);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TlsServerSocketTest);
