// XmlString: UTF-16 <-> UTF-8 by hand (no transcoder service needed, surrogate pairs handled).
#include "codecs/XmlString.h"

#include <xercesc/util/XMLString.hpp>

namespace chukan {

std::string XmlString::toUtf8(const XMLCh* text)
{
    return text ? toUtf8(text, xercesc::XMLString::stringLen(text)) : std::string();
}

std::string XmlString::toUtf8(const XMLCh* text, XMLSize_t length)
{
    std::string out;
    if (text)
        appendUtf8(out, text, length);
    return out;
}

void XmlString::appendUtf8(std::string& out, const XMLCh* text, XMLSize_t length)
{
    if (!text || length == 0)
        return;
    // Markup and most values are ASCII: copy a leading ASCII run at once.
    XMLSize_t ascii = 0;
    while (ascii < length && text[ascii] < 0x80)
        ++ascii;
    std::size_t at = out.size();
    out.resize(at + ascii);
    char* p = &out[at];
    for (XMLSize_t i = 0; i < ascii; ++i)
        p[i] = static_cast<char>(text[i]);
    if (ascii == length)
        return;
    out.reserve(out.size() + 3 * (length - ascii));
    for (XMLSize_t i = ascii; i < length; ++i)
    {
        unsigned cp = text[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
        {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<unsigned>(text[i + 1]) - 0xDC00);
            ++i;
        }
        else if (cp >= 0xD800 && cp <= 0xDFFF)
            cp = 0xFFFD; // lone surrogate
        if (cp < 0x80)
            out += static_cast<char>(cp);
        else if (cp < 0x800)
        {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        else if (cp < 0x10000)
        {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        else
        {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
}

std::u16string XmlString::fromUtf8(const std::string& text)
{
    std::u16string out;
    out.reserve(text.size());
    const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t n = text.size();
    for (std::size_t i = 0; i < n;)
    {
        unsigned c = p[i], cp = 0xFFFD;
        std::size_t len = 1;
        if (c < 0x80)
            cp = c;
        else if ((c & 0xE0) == 0xC0 && i + 1 < n)
            cp = ((c & 0x1F) << 6) | (p[i + 1] & 0x3F), len = 2;
        else if ((c & 0xF0) == 0xE0 && i + 2 < n)
            cp = ((c & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F), len = 3;
        else if ((c & 0xF8) == 0xF0 && i + 3 < n)
            cp = ((c & 0x07) << 18) | ((p[i + 1] & 0x3F) << 12) | ((p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F),
            len = 4;
        i += len;
        if (cp >= 0x10000)
        {
            cp -= 0x10000;
            out += static_cast<char16_t>(0xD800 + (cp >> 10));
            out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
        }
        else
            out += static_cast<char16_t>(cp);
    }
    return out;
}

} // namespace chukan
