// Charset: table-driven Shift_JIS-family decoding and encoding with an ASCII fast path.
#include "codecs/Charset.h"

#include "codecs/CharsetTables.h"
#include "codecs/Utf8.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace chukan
{

namespace
{

std::string hexByte(unsigned b)
{
    static const char digits[] = "0123456789ABCDEF";
    return std::string("0x") + digits[(b >> 4) & 0xF] + digits[b & 0xF];
}

std::string hexPair(unsigned lead, unsigned trail)
{
    return hexByte(lead) + hexByte(trail).substr(2);
}

/// Copies the run of ASCII bytes at p (8 at a time) to o; returns how many were copied.
inline std::size_t copyAscii(const unsigned char* p, const unsigned char* end, char* o)
{
    const unsigned char* start = p;
    while (end - p >= 8)
    {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        if (w & 0x8080808080808080ULL)
            break;
        std::memcpy(o, p, 8);
        p += 8;
        o += 8;
    }
    while (p < end && *p < 0x80)
        *o++ = static_cast<char>(*p++);
    return static_cast<std::size_t>(p - start);
}

Status fail(std::size_t offset, std::size_t* errorOffset, const std::string& message)
{
    if (errorOffset)
        *errorOffset = offset;
    return Status::invalid(message + " at byte offset " + std::to_string(offset));
}

} // namespace

Result<Charset> Charset::byName(const std::string& name, std::shared_ptr<const GaijiTable> gaiji)
{
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (n == "utf-8" || n == "utf8")
        return Charset(UTF8, gaiji);
    if (n == "cp932" || n == "windows-31j" || n == "ms932" || n == "windows-932")
        return Charset(CP932, gaiji);
    if (n == "shift_jis" || n == "sjis" || n == "shift-jis")
        return Charset(SHIFT_JIS, gaiji);
    if (n == "ascii" || n == "us-ascii")
        return Charset(ASCII, gaiji);
    return Status::invalid("unknown character set '" + name +
                           "' (use utf-8, cp932, shift_jis or ascii)");
}

Charset::Charset(Id id, std::shared_ptr<const GaijiTable> gaiji) : _id(id), _gaiji(std::move(gaiji))
{
    if (_id == CP932)
        _tables = &CharsetTables::cp932();
    else if (_id == SHIFT_JIS)
        _tables = &CharsetTables::shiftJis();
}

const char* Charset::name() const
{
    switch (_id)
    {
    case UTF8:
        return "utf-8";
    case CP932:
        return "cp932";
    case SHIFT_JIS:
        return "shift_jis";
    case ASCII:
        return "ascii";
    }
    return "?";
}

int Charset::charLength(unsigned char first) const
{
    if (_tables)
    {
        switch (_tables->kind[first])
        {
        case CharsetTables::SINGLE:
            return 1;
        case CharsetTables::INVALID:
            return 0;
        default:
            return 2;
        }
    }
    if (_id == ASCII)
        return first < 0x80 ? 1 : 0;
    if (first < 0x80)
        return 1;
    if (first < 0xC2)
        return 0;
    return first < 0xE0 ? 2 : first < 0xF0 ? 3 : first < 0xF5 ? 4 : 0;
}

std::size_t Charset::offsetOfChar(std::string_view bytes, std::size_t index) const
{
    std::size_t pos = 0;
    for (std::size_t i = 0; i < index && pos < bytes.size(); ++i)
    {
        int n = charLength(static_cast<unsigned char>(bytes[pos]));
        pos += n > 0 ? static_cast<std::size_t>(n) : 1;
    }
    return std::min(pos, bytes.size());
}

Status Charset::decode(std::string_view bytes, std::string& out, std::size_t* errorOffset) const
{
    if (_tables)
        return decodeShiftJis(bytes, out, errorOffset);
    const unsigned char* begin = reinterpret_cast<const unsigned char*>(bytes.data());
    const unsigned char* end = begin + bytes.size();
    if (_id == ASCII)
    {
        for (const unsigned char* p = begin; p < end; ++p)
            if (*p >= 0x80)
                return fail(static_cast<std::size_t>(p - begin), errorOffset,
                            "ascii: byte " + hexByte(*p) + " is not ASCII");
    }
    else
    {
        std::uint32_t cp;
        for (const unsigned char* p = begin; p < end;)
        {
            if (*p < 0x80)
            {
                ++p;
                continue;
            }
            int n = Utf8::decode(p, end, cp);
            if (!n)
                return fail(static_cast<std::size_t>(p - begin), errorOffset,
                            "utf-8: malformed sequence starting with byte " + hexByte(*p));
            p += n;
        }
    }
    out.append(bytes.data(), bytes.size());
    return Status::ok();
}

Result<std::string> Charset::decode(std::string_view bytes) const
{
    std::string out;
    Status s = decode(bytes, out);
    if (!s)
        return s;
    return out;
}

Status Charset::decodeShiftJis(std::string_view bytes, std::string& out,
                               std::size_t* errorOffset) const
{
    const CharsetTables& t = *_tables;
    const unsigned char* begin = reinterpret_cast<const unsigned char*>(bytes.data());
    const unsigned char* end = begin + bytes.size();
    const unsigned char* p = begin;
    const std::size_t start = out.size();
    // Converted in blocks through a stack buffer, appended once each: the output is written
    // once, never zero-filled, and a field's value is allocated at its exact size. A block
    // takes at most kBlock / 3 input bytes (a one-byte 半角カナ becomes three UTF-8 bytes); a
    // double-byte character starting on its last byte may add four more (外字 beyond the BMP).
    constexpr std::size_t kBlock = 12 * 1024;
    char buf[kBlock + 4];
    auto error = [&](const std::string& message)
    {
        out.resize(start);
        return fail(static_cast<std::size_t>(p - begin), errorOffset,
                    std::string(name()) + ": " + message);
    };
    // Several blocks: room for 1.5× the input (a kanji's two bytes become three) reserved once,
    // not touched until written; only 半角カナ beyond that makes the string grow again.
    if (bytes.size() > kBlock / 3)
        out.reserve(start + bytes.size() + bytes.size() / 2 + kBlock);
    while (p < end)
    {
        const unsigned char* blockEnd =
            static_cast<std::size_t>(end - p) > kBlock / 3 ? p + kBlock / 3 : end;
        char* o = buf;
        while (p < blockEnd)
        {
            unsigned c = *p;
            if (c < 0x80)
            {
                std::size_t n = copyAscii(p, blockEnd, o);
                p += n;
                o += n;
                continue;
            }
            switch (t.kind[c])
            {
            case CharsetTables::SINGLE:
                o = Utf8::put(o, t.single[c]);
                ++p;
                break;
            case CharsetTables::LEAD:
            {
                if (end - p < 2)
                    return error("truncated double-byte character (lead byte " + hexByte(c) +
                                 " at end of input)");
                unsigned trail = p[1];
                std::uint32_t cp = t.pair[c << 8 | trail];
                if (!cp)
                {
                    if (!CharsetTables::isTrail(static_cast<unsigned char>(trail)))
                        return error("invalid trail byte " + hexByte(trail) +
                                     " after lead byte " + hexByte(c));
                    return error("undefined double-byte character " + hexPair(c, trail));
                }
                o = Utf8::put(o, cp);
                p += 2;
                break;
            }
            case CharsetTables::GAIJI_LEAD:
            {
                if (end - p < 2)
                    return error("truncated 外字 (lead byte " + hexByte(c) + " at end of input)");
                unsigned trail = p[1];
                if (!CharsetTables::isTrail(static_cast<unsigned char>(trail)))
                    return error("invalid trail byte " + hexByte(trail) + " after lead byte " +
                                 hexByte(c));
                std::uint32_t cp =
                    _gaiji ? _gaiji->toUnicode(static_cast<std::uint16_t>(c << 8 | trail)) : 0;
                if (!cp)
                    return error("外字 " + hexPair(c, trail) +
                                 (_gaiji ? " is not in the gaiji table"
                                         : " needs a gaiji table (none given)"));
                o = Utf8::put(o, cp);
                p += 2;
                break;
            }
            case CharsetTables::EXTENSION_LEAD:
                return error("byte " + hexByte(c) +
                             " starts an NEC/IBM extension character, not valid in shift_jis");
            default:
                return error("byte " + hexByte(c) + " cannot start a character");
            }
        }
        out.append(buf, static_cast<std::size_t>(o - buf));
    }
    return Status::ok();
}

Status Charset::encode(std::string_view utf8, std::string& out, std::size_t* errorOffset) const
{
    if (_tables)
        return encodeShiftJis(utf8, out, errorOffset);
    const unsigned char* begin = reinterpret_cast<const unsigned char*>(utf8.data());
    const unsigned char* end = begin + utf8.size();
    std::uint32_t cp;
    for (const unsigned char* p = begin; p < end;)
    {
        if (*p < 0x80)
        {
            ++p;
            continue;
        }
        int n = Utf8::decode(p, end, cp);
        if (!n)
            return fail(static_cast<std::size_t>(p - begin), errorOffset,
                        "utf-8: malformed sequence starting with byte " + hexByte(*p));
        if (_id == ASCII)
            return fail(static_cast<std::size_t>(p - begin), errorOffset,
                        "ascii: " + Utf8::codePointName(cp) + " has no ASCII encoding");
        p += n;
    }
    out.append(utf8.data(), utf8.size());
    return Status::ok();
}

Result<std::string> Charset::encode(std::string_view utf8) const
{
    std::string out;
    Status s = encode(utf8, out);
    if (!s)
        return s;
    return out;
}

Status Charset::encodeShiftJis(std::string_view utf8, std::string& out,
                               std::size_t* errorOffset) const
{
    const CharsetTables& t = *_tables;
    const unsigned char* begin = reinterpret_cast<const unsigned char*>(utf8.data());
    const unsigned char* end = begin + utf8.size();
    const unsigned char* p = begin;
    const std::size_t start = out.size();
    // Every character is at most as long in Shift_JIS as in UTF-8.
    out.resize(start + utf8.size());
    char* const base = &out[0];
    char* o = base + start;
    std::uint32_t cp;
    while (p < end)
    {
        if (*p < 0x80)
        {
            std::size_t n = copyAscii(p, end, o);
            p += n;
            o += n;
            continue;
        }
        int n = Utf8::decode(p, end, cp);
        if (!n)
        {
            out.resize(start);
            return fail(static_cast<std::size_t>(p - begin), errorOffset,
                        "utf-8: malformed sequence starting with byte " + hexByte(*p));
        }
        std::uint16_t bytes = t.encode(cp);
        if (!bytes && _gaiji)
            bytes = _gaiji->fromUnicode(cp);
        if (!bytes)
        {
            out.resize(start);
            std::string ch(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
            return fail(static_cast<std::size_t>(p - begin), errorOffset,
                        std::string(name()) + ": " + Utf8::codePointName(cp) + " (" + ch +
                            ") has no " + name() + " encoding" +
                            (_gaiji ? " and is not in the gaiji table" : ""));
        }
        if (bytes < 0x100)
            *o++ = static_cast<char>(bytes);
        else
        {
            *o++ = static_cast<char>(bytes >> 8);
            *o++ = static_cast<char>(bytes & 0xFF);
        }
        p += n;
    }
    out.resize(static_cast<std::size_t>(o - base));
    return Status::ok();
}

} // namespace chukan
