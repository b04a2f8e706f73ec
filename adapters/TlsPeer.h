// TlsPeer: the verified client certificate of a TLS server connection — subject O and CN, SHA-256 fingerprint — read in place from the connection's session.
#pragma once

#include <Poco/Net/StreamSocket.h>

#include <string>

namespace chukan
{

/// Poco's SecureStreamSocket::peerCertificate() builds an X509Certificate per call, which
/// formats the issuer and subject names as one-line strings and the serial number as hex — work
/// nobody here reads, on every request. of() reads the same certificate (the connection's
/// SSL_SESSION peer, which is what SSL_get_peer_certificate returns) without a copy and takes
/// only the subject's first O and CN entries (as UTF-8) and, when asked, its SHA-256 fingerprint
/// (lower-case hex of the DER). The TLS context's VERIFY_STRICT has already checked the chain.
/// Thread-safety: of() reads one connection; call it from the thread serving it.
struct TlsPeer
{
    bool present = false;     ///< the connection is TLS and the client sent a certificate
    std::string organization; ///< subject O, "" when absent
    std::string commonName;   ///< subject CN, "" when absent
    std::string fingerprint;  ///< SHA-256 of the certificate, lower-case hex ("" unless asked)

    static TlsPeer of(const Poco::Net::StreamSocket& socket, bool withFingerprint);
};

} // namespace chukan
