// TlsPeer: SSL_SESSION_get0_peer of the connection's session, subject entries by NID, X509_digest.
#include "adapters/TlsPeer.h"

#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/Session.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace chukan
{

namespace
{

std::string subjectField(X509* cert, int nid)
{
    X509_NAME* name = X509_get_subject_name(cert);
    int idx = X509_NAME_get_index_by_NID(name, nid, -1);
    if (idx < 0)
        return "";
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx)));
    if (len < 0)
        return "";
    std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len));
    OPENSSL_free(utf8);
    return out;
}

} // namespace

TlsPeer TlsPeer::of(const Poco::Net::StreamSocket& socket, bool withFingerprint)
{
    TlsPeer peer;
    auto* tls = dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(socket.impl());
    if (!tls)
        return peer;
    Poco::Net::Session::Ptr session = tls->currentSession();
    X509* cert = session ? SSL_SESSION_get0_peer(session->sslSession()) : nullptr;
    if (!cert)
        return peer;
    peer.present = true;
    peer.organization = subjectField(cert, NID_organizationName);
    peer.commonName = subjectField(cert, NID_commonName);
    if (withFingerprint)
    {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        if (X509_digest(cert, EVP_sha256(), md, &n) != 1)
            n = 0;
        static const char* digits = "0123456789abcdef";
        peer.fingerprint.reserve(2 * n);
        for (unsigned int i = 0; i < n; ++i)
        {
            peer.fingerprint += digits[md[i] >> 4];
            peer.fingerprint += digits[md[i] & 15];
        }
    }
    return peer;
}

} // namespace chukan
