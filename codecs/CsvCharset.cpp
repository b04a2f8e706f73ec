// CsvCharset: UTF-8 validation and CP932 conversion through Poco::Windows932Encoding or hooks.
#include "codecs/CsvCharset.h"

#include <Poco/UTF8Encoding.h>
#include <Poco/Windows932Encoding.h>

#include <cstdio>

namespace chukan {

namespace {

const Poco::Windows932Encoding& windows932()
{
    static const Poco::Windows932Encoding encoding; // stateless; const methods only
    return encoding;
}

void appendUtf8(std::string& out, int cp)
{
    unsigned char buf[4];
    static const Poco::UTF8Encoding utf8;
    int n = utf8.convert(cp, buf, sizeof(buf));
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

/// Decodes the UTF-8 sequence at text[i]; returns the code point and sets len, or -1.
int decodeUtf8At(const std::string& text, std::size_t i, std::size_t& len)
{
    const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data()) + i;
    std::size_t left = text.size() - i;
    unsigned char c = p[0];
    int cp;
    if (c < 0x80)
    {
        len = 1;
        return c;
    }
    else if (c >= 0xC2 && c <= 0xDF)
        len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, cp = c & 0x07;
    else
        return -1;
    if (left < len)
        return -1;
    for (std::size_t k = 1; k < len; ++k)
    {
        if ((p[k] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    return cp;
}

std::string hexByte(unsigned char c)
{
    char buf[8];
    std::snprintf(buf, sizeof(buf), "0x%02X", c);
    return buf;
}

} // namespace

std::size_t CsvCharset::invalidUtf8Offset(const std::string& text)
{
    std::size_t i = 0, len = 0;
    while (i < text.size())
    {
        if (decodeUtf8At(text, i, len) < 0)
            return i;
        i += len;
    }
    return std::string::npos;
}

Result<std::string> CsvCharset::decode(const std::string& bytes) const
{
    if (_kind == UTF8)
    {
        std::size_t bad = invalidUtf8Offset(bytes);
        if (bad != std::string::npos)
            return Status::invalid("invalid UTF-8 byte " + hexByte(static_cast<unsigned char>(bytes[bad])) +
                                   " at offset " + std::to_string(bad));
        return bytes;
    }
    if (_decode)
        return _decode(bytes);
    const Poco::Windows932Encoding& cp932 = windows932();
    std::string out;
    out.reserve(bytes.size() * 3 / 2);
    const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t n = bytes.size(), i = 0;
    while (i < n)
    {
        int len = 1;
        int cp = cp932.queryConvert(p + i, 1);
        if (cp < -1)
        {
            len = -cp;
            cp = (i + static_cast<std::size_t>(len) <= n) ? cp932.queryConvert(p + i, len) : -1;
        }
        if (cp < 0)
            return Status::invalid("invalid CP932 byte " + hexByte(p[i]) + " at offset " + std::to_string(i));
        appendUtf8(out, cp);
        i += static_cast<std::size_t>(len);
    }
    return out;
}

Result<std::string> CsvCharset::encode(const std::string& utf8) const
{
    std::size_t bad = invalidUtf8Offset(utf8);
    if (bad != std::string::npos)
        return Status::invalid("invalid UTF-8 at offset " + std::to_string(bad));
    if (_kind == UTF8)
        return utf8;
    if (_encode)
        return _encode(utf8);
    const Poco::Windows932Encoding& cp932 = windows932();
    std::string out;
    out.reserve(utf8.size());
    std::size_t i = 0, len = 0;
    while (i < utf8.size())
    {
        int cp = decodeUtf8At(utf8, i, len);
        unsigned char buf[4];
        int written = cp932.convert(cp, buf, sizeof(buf));
        if (written <= 0)
        {
            char hex[16];
            std::snprintf(hex, sizeof(hex), "U+%04X", static_cast<unsigned>(cp));
            return Status::invalid(std::string("character ") + hex + " at offset " + std::to_string(i) +
                                   " cannot be represented in CP932");
        }
        out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(written));
        i += len;
    }
    return out;
}

} // namespace chukan
