// TlsPeerTest: the client certificate's O, CN and SHA-256 fingerprint read from the session equal what Poco's peerCertificate() and X509_digest give.
#include "adapters/TlsPeer.h"
#include "tests/netsim/NetsimFixture.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/StreamCopier.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;
using namespace chukan::netsim_test;

namespace
{

/// Replies "tls|O|CN|fingerprint" from TlsPeer and, after a newline, the same fields the way
/// the gateway and ipn-sim read them before TlsPeer (Poco's X509Certificate, X509_digest).
class PeerHandler : public Poco::Net::HTTPRequestHandler
{
public:
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override
    {
        Poco::Net::StreamSocket& socket =
            static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
        TlsPeer peer = TlsPeer::of(socket, true);
        TlsPeer noPrint = TlsPeer::of(socket, false);
        std::string body = std::string(peer.present ? "tls" : "none") + "|" + peer.organization +
                           "|" + peer.commonName + "|" + peer.fingerprint + "|" +
                           noPrint.fingerprint + "\n";
        Poco::Net::SecureStreamSocket secure(socket);
        if (secure.havePeerCertificate())
        {
            Poco::Net::X509Certificate cert = secure.peerCertificate();
            unsigned char md[EVP_MAX_MD_SIZE];
            unsigned int n = 0;
            X509_digest(cert.certificate(), EVP_sha256(), md, &n);
            std::string hex;
            for (unsigned int i = 0; i < n; ++i)
            {
                hex += "0123456789abcdef"[md[i] >> 4];
                hex += "0123456789abcdef"[md[i] & 15];
            }
            body += "tls|" +
                    cert.subjectName(Poco::Crypto::X509Certificate::NID_ORGANIZATION_NAME) + "|" +
                    cert.commonName() + "|" + hex + "|";
        }
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send() << body;
    }
};

class PeerFactory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    Poco::Net::HTTPRequestHandler*
    createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        return new PeerHandler;
    }
};

std::string get(Poco::Net::HTTPClientSession& session)
{
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    return body;
}

} // namespace

class TlsPeerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TlsPeerTest);
    CPPUNIT_TEST(testSameFieldsAsPocosCertificate);
    CPPUNIT_TEST(testEachConnectionItsOwnCertificate);
    CPPUNIT_TEST(testPlainSocketHasNoPeer);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSameFieldsAsPocosCertificate()
    {
        Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 16,
                                             serverTls("network/server"));
        Poco::Net::HTTPServer server(new PeerFactory, socket, new Poco::Net::HTTPServerParams);
        server.start();
        Poco::Net::HTTPSClientSession session("127.0.0.1", socket.address().port(),
                                              clientTls("121002/client"));
        session.setKeepAlive(true);
        std::string body = get(session);
        std::string ours = body.substr(0, body.find('\n'));
        std::string pocos = body.substr(body.find('\n') + 1);
        CPPUNIT_ASSERT_EQUAL(pocos, ours);
        CPPUNIT_ASSERT_EQUAL(0u, static_cast<unsigned>(ours.find("tls|121002|1210020000000000|")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4 + 7 + 17 + 64 + 1), ours.size()); // "" unless asked
        // A second request on the same (kept-alive) connection reads the same certificate.
        CPPUNIT_ASSERT_EQUAL(body, get(session));
        server.stop();
    }

    void testEachConnectionItsOwnCertificate()
    {
        Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 16,
                                             serverTls("network/server"));
        Poco::Net::HTTPServer server(new PeerFactory, socket, new Poco::Net::HTTPServerParams);
        server.start();
        Poco::Net::HTTPSClientSession chiba("127.0.0.1", socket.address().port(),
                                            clientTls("121002/client"));
        Poco::Net::HTTPSClientSession hofu("127.0.0.1", socket.address().port(),
                                           clientTls("352063/client"));
        std::string a = get(chiba);
        std::string b = get(hofu);
        CPPUNIT_ASSERT_EQUAL(0u, static_cast<unsigned>(a.find("tls|121002|1210020000000000|")));
        CPPUNIT_ASSERT_EQUAL(0u, static_cast<unsigned>(b.find("tls|352063|3520630000000000|")));
        CPPUNIT_ASSERT(a.substr(28, 64) != b.substr(28, 64));
        server.stop();
    }

    void testPlainSocketHasNoPeer()
    {
        Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
        Poco::Net::StreamSocket client(listener.address());
        Poco::Net::StreamSocket accepted = listener.acceptConnection();
        TlsPeer peer = TlsPeer::of(accepted, true);
        CPPUNIT_ASSERT(!peer.present);
        CPPUNIT_ASSERT(peer.organization.empty() && peer.commonName.empty() &&
                       peer.fingerprint.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TlsPeerTest);
