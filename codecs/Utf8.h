// Utf8: strict inline UTF-8 decoding and encoding of single code points.
#pragma once

#include <cstdint>
#include <string>

namespace chukan
{

class Utf8
{
public:
    /// Decodes one character at p (p < end). Returns its length (1-4) and sets cp, or 0
    /// when the bytes are not well-formed UTF-8 (overlong, surrogate, > U+10FFFF, truncated).
    static int decode(const unsigned char* p, const unsigned char* end, std::uint32_t& cp)
    {
        unsigned c = p[0];
        if (c < 0x80)
        {
            cp = c;
            return 1;
        }
        if (c < 0xC2)
            return 0;
        if (c < 0xE0)
        {
            if (end - p < 2 || (p[1] & 0xC0) != 0x80)
                return 0;
            cp = (c & 0x1F) << 6 | (p[1] & 0x3F);
            return 2;
        }
        if (c < 0xF0)
        {
            if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
                return 0;
            cp = (c & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
                return 0;
            return 3;
        }
        if (c < 0xF5)
        {
            if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
                (p[3] & 0xC0) != 0x80)
                return 0;
            cp = (c & 0x07) << 18 | (p[1] & 0x3F) << 12 | (p[2] & 0x3F) << 6 | (p[3] & 0x3F);
            if (cp < 0x10000 || cp > 0x10FFFF)
                return 0;
            return 4;
        }
        return 0;
    }

    /// Writes cp (a Unicode scalar value) at o and returns the position after it.
    static char* put(char* o, std::uint32_t cp)
    {
        if (cp < 0x80)
            *o++ = static_cast<char>(cp);
        else if (cp < 0x800)
        {
            *o++ = static_cast<char>(0xC0 | cp >> 6);
            *o++ = static_cast<char>(0x80 | (cp & 0x3F));
        }
        else if (cp < 0x10000)
        {
            *o++ = static_cast<char>(0xE0 | cp >> 12);
            *o++ = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
            *o++ = static_cast<char>(0x80 | (cp & 0x3F));
        }
        else
        {
            *o++ = static_cast<char>(0xF0 | cp >> 18);
            *o++ = static_cast<char>(0x80 | (cp >> 12 & 0x3F));
            *o++ = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
            *o++ = static_cast<char>(0x80 | (cp & 0x3F));
        }
        return o;
    }

    static void append(std::string& s, std::uint32_t cp)
    {
        char buf[4];
        s.append(buf, static_cast<std::size_t>(put(buf, cp) - buf));
    }

    /// "U+301C" (at least four hex digits).
    static std::string codePointName(std::uint32_t cp)
    {
        static const char digits[] = "0123456789ABCDEF";
        std::string s;
        for (int shift = 20; shift >= 0; shift -= 4)
            if (shift < 16 || (cp >> shift) != 0)
                s += digits[(cp >> shift) & 0xF];
        return "U+" + s;
    }
};

} // namespace chukan
