// CmsEnvelope: seals bytes for recipients' certificates as CMS AuthEnvelopedData (RFC 5652/5083) and opens it.
#pragma once

#include "codecs/Result.h"

#include <string>
#include <vector>

namespace chukan {

/// Content encryption is AES-256-GCM, so OpenSSL writes AuthEnvelopedData (RFC 5083): the GCM
/// tag authenticates the ciphertext. Key management per recipient certificate:
///   RSA  -> KeyTransRecipientInfo, RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017/4055);
///   EC   -> KeyAgreeRecipientInfo, ephemeral-static ECDH, X9.63 KDF with SHA-256, AES-256 key wrap.
/// The output opens with `openssl cms -decrypt -inform DER -recip CERT -inkey KEY`.
/// EC keys on a curve of prime order go through CmsKeyAgree (one recipient in DER sealed there,
/// and every such key's envelope unwrapped there), which skips OpenSSL's redundant full
/// validation of the other side's key; everything else is OpenSSL's CMS throughout.
///
/// Keys and certificates are taken from CryptoCache (parsed once per PEM text, then shared).
/// Thread-safety: any thread may call it; every call owns its CMS objects and only reads the
/// shared keys and certificates.
class CmsEnvelope
{
public:
    enum class Encoding
    {
        DER, ///< binary ContentInfo
        PEM  ///< "-----BEGIN CMS-----" armour
    };

    /// Seals `plaintext` for every certificate in `recipientCertPems` (each a PEM string).
    /// INVALID_ARGUMENT for a missing or unusable certificate (key type other than RSA or EC).
    static Result<std::string> seal(const std::string& plaintext, const std::vector<std::string>& recipientCertPems,
                                    Encoding encoding = Encoding::DER);
    static Result<std::string> seal(const std::string& plaintext, const std::string& recipientCertPem,
                                    Encoding encoding = Encoding::DER)
    {
        return seal(plaintext, std::vector<std::string>{recipientCertPem}, encoding);
    }

    /// Opens a DER or PEM envelope with the recipient's private key; `certPem` (optional) selects
    /// the matching RecipientInfo and must belong to the key. Only AuthEnvelopedData is accepted:
    /// unauthenticated EnvelopedData is refused (INVALID_ARGUMENT). A wrong key, a flipped bit or
    /// a bad tag gives CORRUPTION and no plaintext at all.
    static Result<std::string> open(const std::string& envelope, const std::string& privateKeyPem,
                                    const std::string& certPem = "");

    /// True when `data` starts with PEM armour rather than DER.
    static bool looksLikePem(const std::string& data);
};

} // namespace chukan
