// CmsKeyAgree: seals one-recipient ECDH AuthEnvelopedData in DER written here, and unwraps its key
// through OpenSSL's CMS with a partial peer-key check.
#include "codecs/CmsKeyAgree.h"

#include "codecs/CryptoError.h"

#include <openssl/core_names.h>
#include <openssl/rand.h>

#include <climits>

namespace chukan
{

namespace
{

constexpr std::size_t kKeyBytes = 32;   ///< AES-256: content key and key-encryption key
constexpr std::size_t kNonceBytes = 12; ///< GCM nonce, OpenSSL's default and RFC 5084's advice
constexpr std::size_t kTagBytes = 16;   ///< GCM tag (RFC 5084 aes-ICVlen)

/// A DER element: identifier octet, definite length, contents.
std::string der(unsigned char tag, const std::string& contents)
{
    std::string out(1, static_cast<char>(tag));
    std::size_t n = contents.size();
    if (n < 0x80)
        out += static_cast<char>(n);
    else
    {
        std::string length;
        for (; n; n >>= 8)
            length.insert(length.begin(), static_cast<char>(n & 0xff));
        out += static_cast<char>(0x80 | length.size());
        out += length;
    }
    return out + contents;
}

std::string bytes(const unsigned char* p, std::size_t n)
{
    return std::string(reinterpret_cast<const char*>(p), n);
}

/// The DER of an OBJECT IDENTIFIER, from OpenSSL's own table.
std::string oid(int nid)
{
    unsigned char* p = nullptr;
    int n = i2d_ASN1_OBJECT(OBJ_nid2obj(nid), &p);
    std::string out = n > 0 ? bytes(p, static_cast<std::size_t>(n)) : std::string();
    OPENSSL_free(p);
    return out;
}

/// The constant parts of every envelope, encoded once.
struct Constants
{
    std::string authEnvelopedData = oid(NID_id_smime_ct_authEnvelopedData);
    std::string data = oid(NID_pkcs7_data);
    std::string aes256Gcm = oid(NID_aes_256_gcm);
    /// originatorKey's algorithm: id-ecPublicKey, parameters absent (the recipient's curve).
    std::string ecPublicKey = der(0x30, oid(NID_X9_62_id_ecPublicKey));
    /// The AES-256 key wrap, parameters absent.
    std::string aes256Wrap = der(0x30, oid(NID_id_aes256_wrap));
    /// keyEncryptionAlgorithm: the scheme, with the key wrap as its parameter.
    std::string keyEncryption =
        der(0x30, oid(NID_dhSinglePass_stdDH_sha256kdf_scheme) + aes256Wrap);
    /// ECC-CMS-SharedInfo (RFC 5753 7.2), the X9.63 KDF's shared info: keyInfo, no
    /// entityUInfo (no ukm), suppPubInfo [2] the key-encryption key's length in bits.
    std::string sharedInfo =
        der(0x30, aes256Wrap + der(0xa2, der(0x04, std::string("\x00\x00\x01\x00", 4))));
};

const Constants& constants()
{
    static const Constants c;
    return c;
}

/// The DER of the certificate's issuer and serial number (IssuerAndSerialNumber's contents).
std::string issuerAndSerial(X509* cert)
{
    unsigned char* p = nullptr;
    int n = i2d_X509_NAME(X509_get_issuer_name(cert), &p);
    std::string out = n > 0 ? bytes(p, static_cast<std::size_t>(n)) : std::string();
    OPENSSL_free(p);
    p = nullptr;
    int m = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert), &p);
    out = n > 0 && m > 0 ? out + bytes(p, static_cast<std::size_t>(m)) : std::string();
    OPENSSL_free(p);
    return out;
}

std::string groupName(EVP_PKEY* key)
{
    char name[64] = {0};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name,
                                       &length) != 1)
        return std::string();
    return std::string(name, length);
}

/// The originator's ephemeral public key of a KeyAgreeRecipientInfo, on `key`'s curve, or null
/// when it is absent, of another algorithm or curve, the point at infinity, or not a point of the
/// curve (EVP_PKEY_set1_encoded_public_key refuses coordinates out of range and points off it).
EvpPkeyPtr originatorKey(CMS_RecipientInfo* ri, EVP_PKEY* key)
{
    X509_ALGOR* alg = nullptr;
    ASN1_BIT_STRING* bits = nullptr;
    if (CMS_RecipientInfo_kari_get0_orig_id(ri, &alg, &bits, nullptr, nullptr, nullptr) != 1 ||
        !alg || !bits)
        return nullptr;
    const ASN1_OBJECT* algorithm = nullptr;
    int parameterType = V_ASN1_UNDEF;
    const void* parameter = nullptr;
    X509_ALGOR_get0(&algorithm, &parameterType, &parameter, alg);
    if (OBJ_obj2nid(algorithm) != NID_X9_62_id_ecPublicKey)
        return nullptr;
    if (parameterType == V_ASN1_OBJECT) // a named curve: it must be the recipient's
    {
        if (OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(parameter)) !=
            OBJ_sn2nid(groupName(key).c_str()))
            return nullptr;
    }
    else if (parameterType != V_ASN1_UNDEF && parameterType != V_ASN1_NULL)
        return nullptr; // explicit curve parameters are not accepted
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

using CipherCtxPtr =
    std::unique_ptr<EVP_CIPHER_CTX, CryptoDeleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;

} // namespace

bool CmsKeyAgree::handles(EVP_PKEY* key)
{
    if (!key || !EVP_PKEY_is_a(key, "EC"))
        return false;
    std::string group = groupName(key);
    return group == "prime256v1" || group == "secp384r1" || group == "secp521r1";
}

Result<std::string> CmsKeyAgree::seal(const std::string& plaintext, X509* cert, EVP_PKEY* recipient)
{
    auto failed = [](const std::string& what)
    { return CryptoError::status(Status::INTERNAL, "CMS seal: " + what); };
    if (!handles(recipient))
        return Status::invalid("CMS seal: the recipient's key is not EC on a curve of prime order");
    if (plaintext.size() > INT_MAX)
        return Status::invalid("CMS seal: plaintext larger than 2 GiB");
    const Constants& c = constants();

    // An ephemeral key on the recipient's curve, and the key-encryption key it agrees with the
    // recipient's (X9.63 KDF, SHA-256, over ECC-CMS-SharedInfo).
    EVP_PKEY* ephemeralRaw = nullptr;
    EvpPkeyCtxPtr keygen(EVP_PKEY_CTX_new_from_pkey(nullptr, recipient, nullptr));
    if (!keygen || EVP_PKEY_keygen_init(keygen.get()) <= 0 ||
        EVP_PKEY_keygen(keygen.get(), &ephemeralRaw) <= 0)
        return failed("cannot make an ephemeral EC key");
    EvpPkeyPtr ephemeral(ephemeralRaw);
    unsigned char* encoded = nullptr;
    std::size_t encodedLength = EVP_PKEY_get1_encoded_public_key(ephemeral.get(), &encoded);
    std::string ephemeralPoint = encodedLength ? bytes(encoded, encodedLength) : std::string();
    OPENSSL_free(encoded);
    if (ephemeralPoint.empty())
        return failed("cannot encode the ephemeral key");

    unsigned char kek[kKeyBytes];
    std::size_t kekLength = sizeof kek;
    EvpPkeyCtxPtr derive(EVP_PKEY_CTX_new_from_pkey(nullptr, ephemeral.get(), nullptr));
    auto* ukm =
        static_cast<unsigned char*>(OPENSSL_memdup(c.sharedInfo.data(), c.sharedInfo.size()));
    bool derived =
        derive && ukm && EVP_PKEY_derive_init(derive.get()) > 0 &&
        EVP_PKEY_CTX_set_ecdh_kdf_type(derive.get(), EVP_PKEY_ECDH_KDF_X9_63) > 0 &&
        EVP_PKEY_CTX_set_ecdh_kdf_md(derive.get(), EVP_sha256()) > 0 &&
        EVP_PKEY_CTX_set_ecdh_kdf_outlen(derive.get(), static_cast<int>(kKeyBytes)) > 0 &&
        EVP_PKEY_CTX_set0_ecdh_kdf_ukm(derive.get(), ukm, static_cast<int>(c.sharedInfo.size())) >
            0;
    if (!derived)
        OPENSSL_free(ukm); // not taken over
    // validate_peer 0: see the class comment (the certificate's point was checked when decoded).
    derived = derived && EVP_PKEY_derive_set_peer_ex(derive.get(), recipient, 0) > 0 &&
              EVP_PKEY_derive(derive.get(), kek, &kekLength) > 0 && kekLength == kKeyBytes;
    if (!derived)
    {
        OPENSSL_cleanse(kek, sizeof kek);
        return failed("ECDH with the recipient's key failed");
    }

    // A fresh content key and nonce; the content key wrapped with the KEK (RFC 3394).
    unsigned char cek[kKeyBytes], nonce[kNonceBytes], wrapped[kKeyBytes + 8], tag[kTagBytes];
    int wrappedLength = 0, tail = 0;
    CipherCtxPtr wrap(EVP_CIPHER_CTX_new());
    if (wrap)
        EVP_CIPHER_CTX_set_flags(wrap.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    bool ok = RAND_priv_bytes(cek, sizeof cek) == 1 && RAND_bytes(nonce, sizeof nonce) == 1 &&
              wrap &&
              EVP_EncryptInit_ex(wrap.get(), EVP_aes_256_wrap(), nullptr, kek, nullptr) == 1 &&
              EVP_EncryptUpdate(wrap.get(), wrapped, &wrappedLength, cek, sizeof cek) == 1 &&
              EVP_EncryptFinal_ex(wrap.get(), wrapped + wrappedLength, &tail) == 1 &&
              wrappedLength + tail == static_cast<int>(sizeof wrapped);
    OPENSSL_cleanse(kek, sizeof kek);

    // The content, AES-256-GCM.
    std::string ciphertext(plaintext.size(), '\0');
    int written = 0, last = 0;
    CipherCtxPtr gcm(EVP_CIPHER_CTX_new());
    ok =
        ok && gcm &&
        EVP_EncryptInit_ex(gcm.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(gcm.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceBytes),
                            nullptr) == 1 &&
        EVP_EncryptInit_ex(gcm.get(), nullptr, nullptr, cek, nonce) == 1 &&
        EVP_EncryptUpdate(gcm.get(), reinterpret_cast<unsigned char*>(ciphertext.data()), &written,
                          reinterpret_cast<const unsigned char*>(plaintext.data()),
                          static_cast<int>(plaintext.size())) == 1 &&
        EVP_EncryptFinal_ex(
            gcm.get(), reinterpret_cast<unsigned char*>(ciphertext.data()) + written, &last) == 1 &&
        static_cast<std::size_t>(written + last) == plaintext.size() &&
        EVP_CIPHER_CTX_ctrl(gcm.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes), tag) == 1;
    OPENSSL_cleanse(cek, sizeof cek);
    if (!ok)
        return failed("content encryption failed");
    std::string rid = issuerAndSerial(cert);
    if (rid.empty())
        return failed("cannot encode the recipient's issuer and serial number");

    // RFC 5652 6.2.2 KeyAgreeRecipientInfo, [1] in RecipientInfo's CHOICE.
    std::string originator =
        der(0xa0, der(0xa1, c.ecPublicKey + der(0x03, std::string(1, '\0') + ephemeralPoint)));
    std::string encryptedKeys =
        der(0x30, der(0x30, der(0x30, rid) + der(0x04, bytes(wrapped, sizeof wrapped))));
    std::string kari =
        der(0xa1, der(0x02, std::string(1, '\x03')) + originator + c.keyEncryption + encryptedKeys);
    // RFC 5083 AuthEnvelopedData: version 0, recipientInfos, authEncryptedContentInfo (GCM
    // parameters per RFC 5084: nonce, ICV length 16), no attributes, mac (the tag).
    std::string gcmParameters =
        der(0x30, der(0x04, bytes(nonce, sizeof nonce)) +
                      der(0x02, std::string(1, static_cast<char>(kTagBytes))));
    std::string content =
        der(0x30, c.data + der(0x30, c.aes256Gcm + gcmParameters) + der(0x80, ciphertext));
    std::string envelope = der(0x30, der(0x02, std::string(1, '\0')) + der(0x31, kari) + content +
                                         der(0x04, bytes(tag, sizeof tag)));
    return der(0x30, c.authEnvelopedData + der(0xa0, envelope));
}

bool CmsKeyAgree::unwrap(CMS_ContentInfo* cms, EVP_PKEY* key, X509* cert)
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
            // With the peer set here (validate_peer 0, after originatorKey's check), OpenSSL's
            // KeyAgree decryption does not set and validate it again.
            EvpPkeyPtr peer = originatorKey(ri, key);
            bool ok = peer && CMS_RecipientInfo_kari_set0_pkey(ri, key) == 1 &&
                      EVP_PKEY_derive_set_peer_ex(CMS_RecipientInfo_get0_pkey_ctx(ri), peer.get(),
                                                  0) == 1 &&
                      CMS_RecipientInfo_kari_decrypt(cms, ri, rek) == 1;
            CMS_RecipientInfo_kari_set0_pkey(ri, nullptr);
            return ok; // as OpenSSL: the first encrypted key addressed to the recipient decides
        }
    }
    return false;
}

} // namespace chukan
