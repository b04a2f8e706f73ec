// TlsContexts: POCO NetSSL contexts: TLS_SERVER_USE/TLS_CLIENT_USE, VERIFY_STRICT, minimum TLS 1.2.
#include "adapters/TlsContexts.h"

#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

#include <mutex>

namespace chukan {

namespace {
const char* kCiphers = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL:!MD5:!RC4";
}

void TlsContexts::initialize()
{
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        Poco::Net::SSLManager::instance().initializeServer(
            nullptr, new Poco::Net::RejectCertificateHandler(true), nullptr);
        Poco::Net::SSLManager::instance().initializeClient(
            nullptr, new Poco::Net::RejectCertificateHandler(false), nullptr);
    });
}

Poco::Net::Context::Ptr TlsContexts::server(const std::string& certFile, const std::string& keyFile,
                                            const std::string& caFile)
{
    initialize();
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, keyFile, certFile,
                                                         caFile, Poco::Net::Context::VERIFY_STRICT, 4, false,
                                                         kCiphers);
    ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // POCO's "extended verification" would match the client certificate against the peer's
    // address, as if it were a server name; clients are identified by certificate instead.
    ctx->enableExtendedCertificateVerification(false);
    ctx->enableSessionCache(true, "chukan");
    return ctx;
}

Poco::Net::Context::Ptr TlsContexts::client(const std::string& certFile, const std::string& keyFile,
                                            const std::string& caFile)
{
    initialize();
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, keyFile, certFile,
                                                         caFile, Poco::Net::Context::VERIFY_STRICT, 4, false,
                                                         kCiphers);
    ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    return ctx;
}

} // namespace chukan
