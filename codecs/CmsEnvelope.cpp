// CmsEnvelope: AES-256-GCM AuthEnvelopedData with RSA-OAEP or ECDH recipients, via OpenSSL 3's CMS API.
#include "codecs/CmsEnvelope.h"

#include "codecs/CryptoCache.h"
#include "codecs/CryptoError.h"
#include "codecs/CryptoPem.h"
#include "codecs/CryptoPtr.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <string>

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

/// Curves whose group order is prime (cofactor 1): every point on the curve other than the
/// point at infinity is in the group, so checking that a public key is such a point is its whole
/// validation.
bool primeOrderCurve(EVP_PKEY* key)
{
    char name[64] = {0};
    std::size_t length = 0;
    if (!EVP_PKEY_is_a(key, "EC") ||
        EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &length) != 1)
        return false;
    std::string group(name, length);
    return group == "prime256v1" || group == "secp384r1" || group == "secp521r1";
}

/// The originator's ephemeral public key of a KeyAgreeRecipientInfo, on `key`'s curve, or null
/// when it is absent, of another algorithm or curve, the point at infinity, or not a point of the
/// curve (EVP_PKEY_set1_encoded_public_key refuses coordinates out of range and points off the
/// curve).
EvpPkeyPtr originatorKey(CMS_RecipientInfo* ri, EVP_PKEY* key)
{
    X509_ALGOR* alg = nullptr;
    ASN1_BIT_STRING* bits = nullptr;
    if (CMS_RecipientInfo_kari_get0_orig_id(ri, &alg, &bits, nullptr, nullptr, nullptr) != 1 || !alg || !bits)
        return nullptr;
    const ASN1_OBJECT* oid = nullptr;
    int parameterType = V_ASN1_UNDEF;
    const void* parameter = nullptr;
    X509_ALGOR_get0(&oid, &parameterType, &parameter, alg);
    if (OBJ_obj2nid(oid) != NID_X9_62_id_ecPublicKey)
        return nullptr;
    if (parameterType == V_ASN1_OBJECT)
    {
        // A named curve: it must be the recipient's own.
        char name[64] = {0};
        std::size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &length) != 1 ||
            OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(parameter)) != OBJ_sn2nid(name))
            return nullptr;
    }
    else if (parameterType != V_ASN1_UNDEF && parameterType != V_ASN1_NULL)
        return nullptr; // explicit curve parameters: not accepted
    const unsigned char* point = ASN1_STRING_get0_data(bits);
    int length = ASN1_STRING_length(bits);
    // SEC 1 encodings: 0x04 uncompressed, 0x02/0x03 compressed; 0x00 is the point at infinity.
    if (!point || length < 2 || (point[0] != 0x02 && point[0] != 0x03 && point[0] != 0x04))
        return nullptr;
    EvpPkeyPtr peer(EVP_PKEY_new());
    if (!peer || EVP_PKEY_copy_parameters(peer.get(), key) != 1 ||
        EVP_PKEY_set1_encoded_public_key(peer.get(), point, static_cast<std::size_t>(length)) != 1)
        return nullptr;
    return peer;
}

/// Unwraps the content-encryption key of a KeyAgreeRecipientInfo addressed to `key` (and to
/// `cert` when given) into `cms`, as CMS_decrypt_set1_pkey_and_peer would, except for the
/// validation of the originator's public key. OpenSSL validates it in full (SP 800-56A
/// 5.6.2.3.3), which includes multiplying it by the group order: a second scalar multiplication
/// as costly as the ECDH itself, and one that proves nothing on a curve of prime order. The key
/// is ephemeral, for which SP 800-56A (5.6.2.3.4) accepts the partial validation
/// originatorKey() makes: a point of the curve, not the point at infinity.
bool unwrapKeyAgree(CMS_ContentInfo* cms, EVP_PKEY* key, X509* cert)
{
    STACK_OF(CMS_RecipientInfo)* infos = CMS_get0_RecipientInfos(cms);
    for (int i = 0; i < sk_CMS_RecipientInfo_num(infos); ++i)
    {
        CMS_RecipientInfo* ri = sk_CMS_RecipientInfo_value(infos, i);
        if (CMS_RecipientInfo_type(ri) != CMS_RECIPINFO_AGREE)
            continue;
        STACK_OF(CMS_RecipientEncryptedKey)* encryptedKeys = CMS_RecipientInfo_kari_get0_reks(ri);
        for (int k = 0; k < sk_CMS_RecipientEncryptedKey_num(encryptedKeys); ++k)
        {
            CMS_RecipientEncryptedKey* rek = sk_CMS_RecipientEncryptedKey_value(encryptedKeys, k);
            if (cert && CMS_RecipientEncryptedKey_cert_cmp(rek, cert) != 0)
                continue;
            EvpPkeyPtr peer = originatorKey(ri, key);
            bool ok = peer && CMS_RecipientInfo_kari_set0_pkey(ri, key) == 1 &&
                      EVP_PKEY_derive_set_peer_ex(CMS_RecipientInfo_get0_pkey_ctx(ri), peer.get(), 0) == 1 &&
                      CMS_RecipientInfo_kari_decrypt(cms, ri, rek) == 1;
            CMS_RecipientInfo_kari_set0_pkey(ri, nullptr);
            // As OpenSSL: the first encrypted key addressed to the recipient decides.
            return ok;
        }
    }
    return false;
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
    // EC keys on a prime-order curve: the content key is unwrapped first (unwrapKeyAgree), then
    // CMS_decrypt without a key decrypts the content with it. Anything else: CMS_decrypt whole.
    bool keyAgree = primeOrderCurve(key->get());
    if ((keyAgree && !unwrapKeyAgree(cms.get(), key->get(), cert.get())) ||
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
