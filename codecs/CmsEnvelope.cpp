// CmsEnvelope: AES-256-GCM AuthEnvelopedData with RSA-OAEP or ECDH recipients, via OpenSSL 3's CMS API.
#include "codecs/CmsEnvelope.h"

#include "codecs/CmsKeyAgree.h"
#include "codecs/CryptoCache.h"
#include "codecs/CryptoError.h"
#include "codecs/CryptoPem.h"
#include "codecs/CryptoPtr.h"

#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace chukan {

namespace {

BioPtr readBio(const std::string& data)
{
    return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string bioBytes(BIO* bio)
{
    char* p = nullptr;
    long n = BIO_get_mem_data(bio, &p);
    return n > 0 ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

/// RSA recipients: RSAES-OAEP, SHA-256 for both the label hash and MGF1.
Status useOaep(CMS_RecipientInfo* ri, const std::string& who)
{
    EVP_PKEY_CTX* pctx = CMS_RecipientInfo_get0_pkey_ctx(ri);
    if (!pctx || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_OAEP_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_rsa_oaep_md(pctx, EVP_sha256()) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) <= 0)
        return CryptoError::status(Status::INTERNAL, who + ": cannot select RSA-OAEP/SHA-256");
    return Status::ok();
}

/// EC recipients: keep OpenSSL's ECDH + X9.63 KDF + AES key wrap, but with SHA-256 in the KDF.
Status useEcdhSha256(CMS_RecipientInfo* ri, const std::string& who)
{
    EVP_PKEY_CTX* pctx = CMS_RecipientInfo_get0_pkey_ctx(ri);
    if (!pctx || EVP_PKEY_CTX_set_ecdh_kdf_md(pctx, EVP_sha256()) <= 0)
        return CryptoError::status(Status::INTERNAL, who + ": cannot select the ECDH SHA-256 KDF");
    return Status::ok();
}

} // namespace

bool CmsEnvelope::looksLikePem(const std::string& data)
{
    std::size_t i = 0;
    while (i < data.size() && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        ++i;
    return data.compare(i, 5, "-----") == 0;
}

Result<std::string> CmsEnvelope::seal(const std::string& plaintext, const std::vector<std::string>& recipientCertPems,
                                      Encoding encoding)
{
    if (recipientCertPems.empty())
        return Status::invalid("CMS seal: no recipient certificate");
    CryptoError::clear();
    // One EC recipient on a prime-order curve, in DER (every envelope between institutions):
    // CmsKeyAgree writes it, without OpenSSL's second scalar multiplication.
    if (recipientCertPems.size() == 1 && encoding == Encoding::DER)
    {
        Result<X509Ptr> cert = CryptoCache::certificate(recipientCertPems[0], "recipient certificate 1");
        if (!cert)
            return cert.status();
        EVP_PKEY* pub = X509_get0_pubkey(cert->get());
        if (CmsKeyAgree::handles(pub))
            return CmsKeyAgree::seal(plaintext, cert->get(), pub);
        CryptoError::clear();
    }
    BioPtr in = readBio(plaintext);
    CmsPtr cms(CMS_encrypt(nullptr, nullptr, EVP_aes_256_gcm(), CMS_BINARY | CMS_PARTIAL));
    if (!in || !cms)
        return CryptoError::status(Status::INTERNAL, "CMS seal: cannot create AuthEnvelopedData");
    for (std::size_t i = 0; i < recipientCertPems.size(); ++i)
    {
        std::string who = "recipient certificate " + std::to_string(i + 1);
        Result<X509Ptr> cert = CryptoCache::certificate(recipientCertPems[i], who);
        if (!cert)
            return cert.status();
        EVP_PKEY* pub = X509_get0_pubkey(cert->get());
        if (!pub)
            return CryptoError::status(Status::INVALID_ARGUMENT, who + ": unreadable public key");
        bool rsa = EVP_PKEY_is_a(pub, "RSA");
        bool ec = EVP_PKEY_is_a(pub, "EC");
        if (!rsa && !ec)
            return Status::invalid(who + " (" + CryptoPem::subject(cert->get()) + "): key type " +
                                   CryptoPem::keyType(pub) + " is not RSA or EC");
        // CMS_KEY_PARAM keeps the recipient's EVP_PKEY_CTX open so its parameters can be set.
        CMS_RecipientInfo* ri = CMS_add1_recipient_cert(cms.get(), cert->get(), CMS_KEY_PARAM);
        if (!ri)
            return CryptoError::status(Status::INVALID_ARGUMENT, who + ": cannot add as a CMS recipient");
        Status s = rsa ? useOaep(ri, who) : useEcdhSha256(ri, who);
        if (!s)
            return s;
    }
    if (CMS_final(cms.get(), in.get(), nullptr, CMS_BINARY) != 1)
        return CryptoError::status(Status::INTERNAL, "CMS seal: encryption failed");
    BioPtr out(BIO_new(BIO_s_mem()));
    int ok = encoding == Encoding::PEM ? PEM_write_bio_CMS(out.get(), cms.get()) : i2d_CMS_bio(out.get(), cms.get());
    if (ok != 1)
        return CryptoError::status(Status::INTERNAL, "CMS seal: cannot encode the envelope");
    return bioBytes(out.get());
}

Result<std::string> CmsEnvelope::open(const std::string& envelope, const std::string& privateKeyPem,
                                      const std::string& certPem)
{
    Result<EvpPkeyPtr> key = CryptoCache::privateKey(privateKeyPem, "recipient private key");
    if (!key)
        return key.status();
    X509Ptr cert;
    if (!certPem.empty())
    {
        Result<X509Ptr> c = CryptoCache::certificate(certPem, "recipient certificate");
        if (!c)
            return c.status();
        cert = std::move(c).value();
        if (X509_check_private_key(cert.get(), key->get()) != 1)
        {
            CryptoError::clear();
            return Status::invalid("recipient certificate (" + CryptoPem::subject(cert.get()) +
                                   "): does not belong to the private key");
        }
    }
    CryptoError::clear();
    BioPtr in = readBio(envelope);
    CmsPtr cms(looksLikePem(envelope) ? PEM_read_bio_CMS(in.get(), nullptr, nullptr, nullptr)
                                      : d2i_CMS_bio(in.get(), nullptr));
    if (!cms)
        return CryptoError::status(Status::INVALID_ARGUMENT, "CMS envelope: not a DER or PEM ContentInfo");
    int type = OBJ_obj2nid(CMS_get0_type(cms.get()));
    if (type != NID_id_smime_ct_authEnvelopedData)
    {
        const char* name = OBJ_nid2sn(type);
        return Status::invalid(std::string("CMS envelope: content type ") + (name ? name : "unknown") +
                               " is refused; only AuthEnvelopedData (AES-GCM) is accepted");
    }
    // Decrypt into memory; the plaintext leaves this function only if the GCM tag verified.
    BioPtr out(BIO_new(BIO_s_secmem())); // cleansed when freed
    // EC keys on a prime-order curve: the content key is unwrapped first (CmsKeyAgree), then
    // CMS_decrypt without a key decrypts the content with it. Anything else: CMS_decrypt whole.
    bool keyAgree = CmsKeyAgree::handles(key->get());
    if ((keyAgree && !CmsKeyAgree::unwrap(cms.get(), key->get(), cert.get())) ||
        CMS_decrypt(cms.get(), keyAgree ? nullptr : key->get(), keyAgree ? nullptr : cert.get(), nullptr,
                    out.get(), CMS_BINARY) != 1)
    {
        BIO_reset(out.get()); // drop whatever was decrypted before the failure
        return CryptoError::status(Status::CORRUPTION,
                                   "CMS envelope: cannot open (wrong key, not a recipient, or "
                                   "ciphertext failed authentication)");
    }
    return bioBytes(out.get());
}

} // namespace chukan
