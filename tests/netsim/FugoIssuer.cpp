// FugoIssuer: HMAC-SHA256 and one-block AES-256-ECB with OpenSSL EVP; base64url without padding.
#include "tests/netsim/FugoIssuer.h"

#include "codecs/CryptoPtr.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cctype>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace chukan
{

namespace
{

std::string hmac(const std::string& key, const std::string& data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len))
        throw std::runtime_error("HMAC-SHA256 failed");
    return std::string(reinterpret_cast<char*>(out), len);
}

std::string aesBlock(const std::string& key, const std::string& block, bool encrypt)
{
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        EVP_CIPHER_CTX_free);
    unsigned char out[32];
    int n = 0, m = 0;
    if (!ctx ||
        EVP_CipherInit_ex(ctx.get(), EVP_aes_256_ecb(), nullptr,
                          reinterpret_cast<const unsigned char*>(key.data()), nullptr,
                          encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
        EVP_CipherUpdate(ctx.get(), out, &n, reinterpret_cast<const unsigned char*>(block.data()),
                         static_cast<int>(block.size())) != 1 ||
        EVP_CipherFinal_ex(ctx.get(), out + n, &m) != 1)
        throw std::runtime_error("AES-256-ECB failed");
    return std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n + m));
}

const char* B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(const std::string& bytes)
{
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3)
    {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                     (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                     static_cast<unsigned char>(bytes[i + 2]);
        for (int s = 18; s >= 0; s -= 6)
            out += B64URL[(v >> s) & 63];
    }
    std::size_t rest = bytes.size() - i;
    if (rest > 0)
    {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2)
            v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += B64URL[(v >> 18) & 63];
        out += B64URL[(v >> 12) & 63];
        if (rest == 2)
            out += B64URL[(v >> 6) & 63];
    }
    return out;
}

bool unbase64url(const std::string& text, std::string& out)
{
    unsigned v = 0;
    int bits = 0;
    out.clear();
    for (char c : text)
    {
        const char* p = std::strchr(B64URL, c);
        if (!p || c == '\0')
            return false;
        v = (v << 6) | static_cast<unsigned>(p - B64URL);
        bits += 6;
        if (bits >= 8)
        {
            bits -= 8;
            out += static_cast<char>((v >> bits) & 0xff);
        }
    }
    return (v & ((1u << bits) - 1)) == 0; // canonical: unused bits are zero
}

} // namespace

FugoIssuer::FugoIssuer(std::string key) : _key(std::move(key))
{
    if (_key.size() != KEY_BYTES)
        throw std::invalid_argument("FugoIssuer: the key must be 32 bytes");
}

Result<FugoIssuer> FugoIssuer::fromKeyFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        unsigned char key[KEY_BYTES];
        if (RAND_bytes(key, sizeof key) != 1)
            return Status::internal("fugo key: RAND_bytes failed");
        std::string hex;
        for (unsigned char b : key)
        {
            hex += "0123456789abcdef"[b >> 4];
            hex += "0123456789abcdef"[b & 15];
        }
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0)
            return Status::invalid("fugo key file '" + path + "': cannot create");
        std::string line = hex + "\n";
        bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
        ::close(fd);
        if (!ok)
            return Status::invalid("fugo key file '" + path + "': cannot write");
        return FugoIssuer(std::string(reinterpret_cast<char*>(key), KEY_BYTES));
    }
    std::string hex;
    in >> hex;
    if (hex.size() != 2 * KEY_BYTES)
        return Status::invalid("fugo key file '" + path + "': expected 64 hex digits");
    std::string key;
    for (std::size_t i = 0; i < hex.size(); i += 2)
    {
        char* end = nullptr;
        std::string pair = hex.substr(i, 2);
        long v = std::strtol(pair.c_str(), &end, 16);
        if (*end != '\0' || !std::isxdigit(static_cast<unsigned char>(pair[0])))
            return Status::invalid("fugo key file '" + path + "': expected 64 hex digits");
        key += static_cast<char>(v);
    }
    return FugoIssuer(key);
}

std::string FugoIssuer::idc(const std::string& juminhyoCode) const
{
    return hmac(_key, "idc" + juminhyoCode).substr(0, IDC_BYTES);
}

std::string FugoIssuer::institutionKey(const std::string& institution) const
{
    return hmac(_key, "inst" + institution);
}

std::string FugoIssuer::fugoOfIdc(const std::string& idc, const std::string& institution) const
{
    return base64url(aesBlock(institutionKey(institution), idc, true));
}

Result<std::string> FugoIssuer::idcOf(const std::string& fugo, const std::string& institution) const
{
    std::string block;
    if (fugo.size() != 22 || !unbase64url(fugo, block) || block.size() != IDC_BYTES)
        return Status::invalid("符号 is not one issued by this network (shape)");
    return aesBlock(institutionKey(institution), block, false);
}

} // namespace chukan
