// TlsContexts: TLS 1.2+ contexts with mutual authentication (VERIFY_STRICT) for every listener and client.
#pragma once

#include <Poco/Net/Context.h>

#include <string>

namespace chukan {

class TlsContexts
{
public:
    /// Initialises OpenSSL through POCO once and installs handlers that reject invalid
    /// certificates (never the demo "accept" handler). Safe to call repeatedly.
    static void initialize();

    /// A server context that demands a client certificate chaining to caFile.
    static Poco::Net::Context::Ptr server(const std::string& certFile, const std::string& keyFile,
                                          const std::string& caFile);
    /// A client context that presents certFile and trusts only caFile.
    static Poco::Net::Context::Ptr client(const std::string& certFile, const std::string& keyFile,
                                          const std::string& caFile);
};

} // namespace chukan
