// SessionToken: RAND_bytes, SHA-256 and CRYPTO_memcmp.
#include "adapters/SessionToken.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace chukan
{

namespace
{

std::string hex(const unsigned char* data, std::size_t n)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i)
    {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

} // namespace

std::string SessionToken::generate()
{
    unsigned char bytes[BYTES];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("session token: the random source failed");
    std::string out = hex(bytes, sizeof bytes);
    OPENSSL_cleanse(bytes, sizeof bytes);
    return out;
}

std::string SessionToken::hash(const std::string& token)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(token.data(), token.size(), md, &len, EVP_sha256(), nullptr);
    return hex(md, len);
}

bool SessionToken::isWellFormed(const std::string& token)
{
    return token.size() == 2 * BYTES &&
           token.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool SessionToken::equal(const std::string& a, const std::string& b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace chukan
