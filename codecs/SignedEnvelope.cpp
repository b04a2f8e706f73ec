// SignedEnvelope: EVP_DigestSign/EVP_DigestVerify (ECDSA P-256 or RSA-PSS, SHA-256) over exact payload bytes.
#include "codecs/SignedEnvelope.h"

#include "codecs/Base64.h"
#include "codecs/CryptoCache.h"
#include "codecs/CryptoError.h"
#include "codecs/CryptoPem.h"
#include "codecs/JsonFlatObject.h"
#include "codecs/JsonText.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <openssl/rsa.h>

namespace chukan {

namespace {

std::string toBase64(const std::string& bytes) { return Base64::encode(bytes); }

/// Strictly, as Base64 reads (one spelling per byte string; the signature covers the bytes).
Result<std::string> fromBase64(const std::string& text, const std::string& what)
{
    return Base64::decode(text, "signed envelope: " + what);
}

/// The envelope's three members when json is exactly one object of them (any order), each a
/// plain string (JsonFlatObject); false for anything else, which Poco's parser then reads and
/// reports on.
bool plainEnvelope(const std::string& json, std::string (&fields)[3])
{
    static const char* const names[3] = {"payload", "signature", "signer"};
    JsonFlatObject::Members members;
    if (!JsonFlatObject::read(json, members) || members.size() != 3)
        return false;
    bool seen[3] = {false, false, false};
    for (auto& [name, value] : members)
    {
        int which = name == names[0] ? 0 : name == names[1] ? 1 : name == names[2] ? 2 : -1;
        if (which < 0 || seen[which])
            return false;
        seen[which] = true;
        fields[which] = std::move(value);
    }
    return true;
}

/// Chooses the padding that goes with the key: PSS (salt = digest length) for RSA, none for EC.
Status configure(EVP_PKEY_CTX* pctx, EVP_PKEY* key)
{
    if (!EVP_PKEY_is_a(key, "RSA"))
        return Status::ok();
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) <= 0)
        return CryptoError::status(Status::INTERNAL, "signed envelope: cannot select RSA-PSS");
    return Status::ok();
}

Status checkKeyType(EVP_PKEY* key, const std::string& who)
{
    if (EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "EC"))
        return Status::ok();
    return Status::invalid(who + ": key type " + CryptoPem::keyType(key) + " is not RSA or EC");
}

} // namespace

Result<SignedEnvelope> SignedEnvelope::sign(const std::string& payload, const std::string& keyPem,
                                            const std::string& signerCertPem)
{
    // The pair check and the certificate's PEM are the same for every message of a signer:
    // done once per (key, certificate) by the cache.
    Result<CryptoCache::Signer> signer =
        CryptoCache::signer(keyPem, signerCertPem, "signing key", "signer certificate");
    if (!signer)
        return signer.status();
    EVP_PKEY* key = signer->key.get();
    Status s = checkKeyType(key, "signing key");
    if (!s)
        return s;
    EvpMdCtxPtr md(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr; // owned by md
    if (!md || EVP_DigestSignInit(md.get(), &pctx, EVP_sha256(), nullptr, key) != 1)
        return CryptoError::status(Status::INTERNAL, "signed envelope: cannot start signing");
    s = configure(pctx, key);
    if (!s)
        return s;
    std::size_t len = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(payload.data());
    if (EVP_DigestSign(md.get(), nullptr, &len, data, payload.size()) != 1)
        return CryptoError::status(Status::INTERNAL, "signed envelope: cannot size the signature");
    std::string sig(len, '\0');
    if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(&sig[0]), &len, data, payload.size()) != 1)
        return CryptoError::status(Status::INTERNAL, "signed envelope: signing failed");
    sig.resize(len);
    return SignedEnvelope(payload, sig, *signer->certificatePem);
}

Result<SignedEnvelope> SignedEnvelope::parse(const std::string& json)
{
    std::string fields[3];
    if (plainEnvelope(json, fields))
        return fromFields(fields);
    Poco::JSON::Object::Ptr obj;
    try
    {
        Poco::JSON::Parser parser;
        obj = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception& e)
    {
        return Status::invalid("signed envelope: not a JSON object (" + e.displayText() + ")");
    }
    catch (const std::exception& e)
    {
        return Status::invalid(std::string("signed envelope: not a JSON object (") + e.what() + ")");
    }
    if (!obj)
        return Status::invalid("signed envelope: not a JSON object");
    const char* names[3] = {"payload", "signature", "signer"};
    for (int i = 0; i < 3; ++i)
    {
        if (!obj->has(names[i]) || !obj->get(names[i]).isString())
            return Status::invalid(std::string("signed envelope: member '") + names[i] +
                                   "' is missing or not a string");
        fields[i] = obj->getValue<std::string>(names[i]);
    }
    if (obj->size() != 3)
        return Status::invalid("signed envelope: unexpected members (only payload, signature, signer are allowed)");
    return fromFields(fields);
}

Result<SignedEnvelope> SignedEnvelope::fromFields(std::string (&fields)[3])
{
    Result<std::string> payload = fromBase64(fields[0], "payload");
    if (!payload)
        return payload.status();
    Result<std::string> sig = fromBase64(fields[1], "signature");
    if (!sig)
        return sig.status();
    if (sig->empty())
        return Status::invalid("signed envelope: signature is empty");
    return SignedEnvelope(std::move(payload).value(), std::move(sig).value(), std::move(fields[2]));
}

std::string SignedEnvelope::toJson() const
{
    // Written directly (the members in the order Poco's Object::stringify sorted them):
    // Poco's stringifier went through an ostream a character at a time, 190k instructions for
    // an envelope with a PEM certificate, twice per permit at the network.
    std::string out;
    out.reserve(_payload.size() * 4 / 3 + _signature.size() * 4 / 3 + _signerPem.size() + 64);
    out += "{\"payload\":";
    JsonText::appendQuoted(out, toBase64(_payload));
    out += ",\"signature\":";
    JsonText::appendQuoted(out, toBase64(_signature));
    out += ",\"signer\":";
    JsonText::appendQuoted(out, _signerPem);
    out += '}';
    return out;
}

Status SignedEnvelope::verify(const CryptoTrustStore& trust, const Poco::Timestamp& at) const
{
    Result<X509Ptr> cert = CryptoCache::certificate(_signerPem, "signer certificate");
    if (!cert)
        return cert.status();
    Status s = trust.verifySigner(cert->get(), nullptr, at);
    if (!s)
        return s;
    EVP_PKEY* pub = X509_get0_pubkey(cert->get());
    if (!pub)
        return CryptoError::status(Status::INVALID_ARGUMENT, "signer certificate: unreadable public key");
    s = checkKeyType(pub, "signer certificate");
    if (!s)
        return s;
    CryptoError::clear();
    EvpMdCtxPtr md(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr; // owned by md
    if (!md || EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, pub) != 1)
        return CryptoError::status(Status::INTERNAL, "signed envelope: cannot start verification");
    s = configure(pctx, pub);
    if (!s)
        return s;
    int rc = EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(_signature.data()),
                              _signature.size(), reinterpret_cast<const unsigned char*>(_payload.data()),
                              _payload.size());
    if (rc != 1)
    {
        CryptoError::clear();
        return Status::corruption("signed envelope: signature by " + CryptoPem::subject(cert->get()) +
                                  " does not verify (payload or signature altered)");
    }
    return Status::ok();
}

} // namespace chukan
