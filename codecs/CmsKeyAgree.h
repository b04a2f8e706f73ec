// CmsKeyAgree: ECDH key agreement of CMS AuthEnvelopedData (RFC 5652/5083/5753) on prime-order
// curves, without OpenSSL's redundant full public-key validation.
#pragma once

#include "codecs/CryptoPtr.h"
#include "codecs/Result.h"

#include <string>

namespace chukan
{

/// The ephemeral-static ECDH of an AuthEnvelopedData with a KeyAgreeRecipientInfo, as OpenSSL's
/// CMS writes and reads it (dhSinglePass-stdDH-sha256kdf-scheme: X9.63 KDF with SHA-256,
/// AES-256 key wrap; content AES-256-GCM with a 12-byte nonce and a 16-byte tag), for curves of
/// prime order (P-256, P-384, P-521).
///
/// Why not OpenSSL's CMS for these: before every ECDH, OpenSSL 3.0 validates the other side's
/// public key in full (SP 800-56A 5.6.2.3.3), which multiplies it by the group order — a second
/// scalar multiplication, as costly as the ECDH itself — to prove the point lies in the prime-order
/// subgroup. On a curve of cofactor 1 every point of the curve but infinity does, so the partial
/// validation (5.6.2.3.4: coordinates in range, on the curve, not infinity) is already the whole
/// proof. Here the originator's ephemeral key gets exactly that check, and the recipient's static
/// key had it when its certificate's key was decoded. Everything else — the ASN.1 read on opening,
/// the KDF, the key wrap and the content decryption — is still OpenSSL's.
///
/// Thread-safety: stateless; every call owns its OpenSSL objects.
class CmsKeyAgree
{
public:
    /// True for an EC key on a curve of prime order, the keys this class handles.
    static bool handles(EVP_PKEY* key);

    /// The DER ContentInfo of an AuthEnvelopedData sealing `plaintext` for one recipient:
    /// `cert` and its public key `recipient` (handles(recipient) must be true). A fresh
    /// ephemeral key, content key and nonce every call. INTERNAL when OpenSSL fails.
    static Result<std::string> seal(const std::string& plaintext, X509* cert, EVP_PKEY* recipient);

    /// Unwraps into `cms` the content-encryption key of the first KeyAgreeRecipientInfo entry
    /// addressed to `key` (to `cert` when given), as CMS_decrypt_set1_pkey_and_peer does, so that
    /// CMS_decrypt(cms, nullptr, nullptr, …) then decrypts the content. False (OpenSSL's error
    /// queue says why) when no entry is addressed to it, the originator's key is not a point of
    /// the curve, or the key does not unwrap.
    static bool unwrap(CMS_ContentInfo* cms, EVP_PKEY* key, X509* cert);
};

} // namespace chukan
