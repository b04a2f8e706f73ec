// CryptoPem: reads and writes certificates and private keys in PEM, as RAII handles.
#pragma once

#include "codecs/CryptoPtr.h"
#include "codecs/Result.h"

#include <string>
#include <vector>

namespace chukan {

class CryptoPem
{
public:
    /// The first certificate in `pem`. `what` names the input in the error ("recipient certificate").
    static Result<X509Ptr> certificate(const std::string& pem, const std::string& what);
    /// Every certificate in `pem` (a bundle such as ca.pem); INVALID_ARGUMENT if there is none.
    static Result<std::vector<X509Ptr>> certificates(const std::string& pem, const std::string& what);
    /// An unencrypted private key (PKCS#8, or traditional RSA/EC PEM). Encrypted keys are
    /// refused rather than prompting for a passphrase.
    static Result<EvpPkeyPtr> privateKey(const std::string& pem, const std::string& what);

    static std::string toPem(X509* cert);
    /// PKCS#8, unencrypted.
    static std::string toPem(EVP_PKEY* key);
    /// One-line RFC 2253 subject, e.g. "CN=network signing,O=ipn".
    static std::string subject(X509* cert);
    /// "RSA", "EC" or the key's OpenSSL type name.
    static std::string keyType(EVP_PKEY* key);
};

} // namespace chukan
