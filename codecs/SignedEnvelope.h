// SignedEnvelope: payload bytes + detached signature + signer certificate, as {"payload","signature","signer"} JSON.
#pragma once

#include "codecs/CryptoTrustStore.h"
#include "codecs/Result.h"

#include <Poco/Timestamp.h>

#include <string>

namespace chukan {

/// Wire form (UTF-8 JSON, one object, exactly these members):
///   {"payload": base64(payload bytes), "signature": base64(signature), "signer": "-----BEGIN CERTIFICATE-----..."}
/// The signature covers the payload bytes exactly as carried (no re-serialisation), so any
/// payload format works; ours is JSON with a "type" member (Permit, PermitList, SignedDirectory).
/// The algorithm follows the signer's key, never a field of the document:
///   EC key  -> ECDSA with SHA-256 (DER-encoded ECDSA-Sig-Value, as `openssl dgst -sha256 -sign`);
///   RSA key -> RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32.
/// Keys and certificates are taken from CryptoCache (parsed once per PEM text, then shared), and
/// the trust store remembers signers it accepted (CryptoTrustStore).
/// Thread-safety: a value type; sign/parse/verify may run on any thread.
class SignedEnvelope
{
public:
    SignedEnvelope(std::string payload, std::string signature, std::string signerPem)
        : _payload(std::move(payload)), _signature(std::move(signature)), _signerPem(std::move(signerPem))
    {
    }

    /// Signs `payload` with the PEM private key; `signerCertPem` must hold the matching public key.
    static Result<SignedEnvelope> sign(const std::string& payload, const std::string& keyPem,
                                       const std::string& signerCertPem);
    /// Parses the JSON wire form; INVALID_ARGUMENT naming the member that is missing or malformed.
    static Result<SignedEnvelope> parse(const std::string& json);

    std::string toJson() const;

    /// OK when the signer chains to `trust` at `at` with signing purpose (PERMISSION_DENIED
    /// otherwise) and the signature over the payload verifies (CORRUPTION otherwise).
    Status verify(const CryptoTrustStore& trust, const Poco::Timestamp& at) const;

    const std::string& payload() const { return _payload; }
    const std::string& signature() const { return _signature; }
    const std::string& signerPem() const { return _signerPem; }

private:
    /// The envelope from its members' text (payload, signature, signer), base64 checked.
    static Result<SignedEnvelope> fromFields(std::string (&fields)[3]);

    std::string _payload;
    std::string _signature;
    std::string _signerPem;
};

} // namespace chukan
