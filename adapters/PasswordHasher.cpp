// PasswordHasher: EVP_KDF "SCRYPT" and PKCS5_PBKDF2_HMAC, base64 fields, CRYPTO_memcmp.
#include "adapters/PasswordHasher.h"

#include "codecs/Base64.h"
#include "codecs/CryptoError.h"

#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <memory>
#include <vector>

namespace chukan
{

namespace
{

const std::size_t kSaltBytes = 16;
const std::size_t kHashBytes = 32;

std::string base64(const unsigned char* data, std::size_t n)
{
    return Base64::encode(std::string_view(reinterpret_cast<const char*>(data), n));
}

/// A stored salt or hash: strict base64 (Base64) of exactly `expected` bytes.
bool unbase64(const std::string& in, std::size_t expected, std::string& out)
{
    Result<std::string> bytes = Base64::decode(in, "password hash");
    if (!bytes || bytes->size() != expected)
        return false;
    out = std::move(bytes).value();
    return true;
}

Status derive(const KdfParams& p, const std::string& password, const std::string& salt,
              unsigned char* out)
{
    if (p.kind == KdfParams::PBKDF2_SHA256)
    {
        if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                              reinterpret_cast<const unsigned char*>(salt.data()),
                              static_cast<int>(salt.size()), p.pbkdf2Iterations, EVP_sha256(),
                              static_cast<int>(kHashBytes), out) != 1)
            return CryptoError::status(Status::INTERNAL, "password hash: PBKDF2");
        return Status::ok();
    }
    std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr),
                                                          &EVP_KDF_free);
    if (!kdf)
        return CryptoError::status(Status::INTERNAL, "password hash: scrypt is not available");
    std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()),
                                                                  &EVP_KDF_CTX_free);
    uint64_t n = uint64_t(1) << p.scryptLogN;
    uint32_t r = static_cast<uint32_t>(p.scryptR), par = static_cast<uint32_t>(p.scryptP);
    uint64_t maxmem = 2 * 128 * uint64_t(r) * n * par + (uint64_t(1) << 20);
    std::string pw = password, s = salt;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, &pw[0], pw.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, &s[0], s.size()),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &par),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
        OSSL_PARAM_construct_end()};
    int ok = ctx ? EVP_KDF_derive(ctx.get(), out, kHashBytes, params) : 0;
    OPENSSL_cleanse(&pw[0], pw.size());
    if (ok != 1)
        return CryptoError::status(Status::INTERNAL, "password hash: scrypt");
    return Status::ok();
}

bool intField(const std::string& kv, const char* key, int min, int max, int& out)
{
    std::string prefix = std::string(key) + "=";
    if (kv.compare(0, prefix.size(), prefix) != 0)
        return false;
    int v = 0;
    if (!Poco::NumberParser::tryParse(kv.substr(prefix.size()), v) || v < min || v > max)
        return false;
    out = v;
    return true;
}

struct Parsed
{
    KdfParams params;
    std::string salt;
    std::string hash;
};

/// Parses a stored hash; bounds keep a tampered row from costing minutes or gigabytes.
Result<Parsed> parse(const std::string& stored)
{
    Status bad = Status::invalid("stored password hash: malformed or unsupported");
    std::vector<std::string> parts;
    Poco::StringTokenizer tok(stored, "$");
    for (const std::string& t : tok)
        parts.push_back(t);
    if (parts.size() != 4)
        return bad;
    Parsed p;
    if (parts[0] == "scrypt")
    {
        p.params.kind = KdfParams::SCRYPT;
        Poco::StringTokenizer kv(parts[1], ",");
        if (kv.count() != 3 || !intField(kv[0], "ln", 10, 22, p.params.scryptLogN) ||
            !intField(kv[1], "r", 1, 32, p.params.scryptR) ||
            !intField(kv[2], "p", 1, 16, p.params.scryptP))
            return bad;
    }
    else if (parts[0] == "pbkdf2-sha256")
    {
        p.params.kind = KdfParams::PBKDF2_SHA256;
        if (!intField(parts[1], "i", 1000, 100000000, p.params.pbkdf2Iterations))
            return bad;
    }
    else
        return bad;
    if (!unbase64(parts[2], kSaltBytes, p.salt) || !unbase64(parts[3], kHashBytes, p.hash))
        return bad;
    return p;
}

const char* kindName(KdfParams::Kind k)
{
    return k == KdfParams::SCRYPT ? "scrypt" : "pbkdf2-sha256";
}

} // namespace

std::string KdfParams::parameterString() const
{
    if (kind == SCRYPT)
        return "ln=" + std::to_string(scryptLogN) + ",r=" + std::to_string(scryptR) +
               ",p=" + std::to_string(scryptP);
    return "i=" + std::to_string(pbkdf2Iterations);
}

Result<std::string> PasswordHasher::hash(const std::string& password) const
{
    unsigned char salt[kSaltBytes];
    if (RAND_bytes(salt, sizeof salt) != 1)
        return CryptoError::status(Status::INTERNAL, "password hash: random salt");
    unsigned char out[kHashBytes];
    Status st = derive(_params, password,
                       std::string(reinterpret_cast<const char*>(salt), sizeof salt), out);
    if (!st)
        return st;
    std::string text = std::string(kindName(_params.kind)) + "$" + _params.parameterString() +
                       "$" + base64(salt, sizeof salt) + "$" + base64(out, sizeof out);
    OPENSSL_cleanse(out, sizeof out);
    return text;
}

Result<bool> PasswordHasher::verify(const std::string& password, const std::string& stored) const
{
    Result<Parsed> p = parse(stored);
    if (!p)
        return p.status();
    unsigned char out[kHashBytes];
    Status st = derive(p.value().params, password, p.value().salt, out);
    if (!st)
        return st;
    bool same = CRYPTO_memcmp(out, p.value().hash.data(), kHashBytes) == 0;
    OPENSSL_cleanse(out, sizeof out);
    return same;
}

bool PasswordHasher::needsRehash(const std::string& stored) const
{
    Result<Parsed> p = parse(stored);
    if (!p)
        return true;
    const KdfParams& s = p.value().params;
    if (s.kind != _params.kind)
        return true;
    return s.parameterString() != _params.parameterString();
}

void PasswordHasher::burn(const std::string& password) const
{
    unsigned char out[kHashBytes];
    derive(_params, password, std::string(kSaltBytes, '\x5a'), out);
    OPENSSL_cleanse(out, sizeof out);
}

} // namespace chukan
