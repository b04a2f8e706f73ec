// Base64: one-pass table encoder and strict decoder of the standard alphabet; errors name the
// character and its offset.
#include "codecs/Base64.h"

#include <array>

namespace chukan
{

namespace
{

const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr signed char WHITE = -2; ///< XML white space, skipped
constexpr signed char BAD = -1;   ///< anything else outside the alphabet ('=' included)

/// Per byte: its value (0-63), WHITE or BAD. The padding is found from the end of the text
/// before the groups are read, so '=' is BAD wherever a group reads it.
const std::array<signed char, 256>& table()
{
    static const std::array<signed char, 256> t = []
    {
        std::array<signed char, 256> v{};
        v.fill(BAD);
        for (int i = 0; i < 64; ++i)
            v[static_cast<unsigned char>(ALPHABET[i])] = static_cast<signed char>(i);
        v[' '] = v['\t'] = v['\r'] = v['\n'] = WHITE;
        return v;
    }();
    return t;
}

} // namespace

std::string Base64::encode(std::string_view bytes)
{
    const unsigned char* in = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    std::string out((n + 2) / 3 * 4, '=');
    char* o = out.data();
    std::size_t i = 0;
    for (; i + 3 <= n; i += 3, o += 4)
    {
        unsigned v = (unsigned(in[i]) << 16) | (unsigned(in[i + 1]) << 8) | in[i + 2];
        o[0] = ALPHABET[v >> 18];
        o[1] = ALPHABET[(v >> 12) & 63];
        o[2] = ALPHABET[(v >> 6) & 63];
        o[3] = ALPHABET[v & 63];
    }
    if (i < n)
    {
        unsigned v = unsigned(in[i]) << 16 | (i + 1 < n ? unsigned(in[i + 1]) << 8 : 0u);
        o[0] = ALPHABET[v >> 18];
        o[1] = ALPHABET[(v >> 12) & 63];
        if (i + 1 < n)
            o[2] = ALPHABET[(v >> 6) & 63];
    }
    return out;
}

Result<std::string> Base64::decode(std::string_view text, const std::string& what)
{
    auto refuse = [&what](const std::string& why)
    { return Status::invalid(what + ": not base64: " + why); };
    const std::array<signed char, 256>& t = table();
    // Only a text with white space in it is copied without it.
    std::string compact;
    std::string_view in = text;
    for (unsigned char c : text)
        if (t[c] == WHITE)
        {
            compact.reserve(text.size());
            for (char k : text)
                if (t[static_cast<unsigned char>(k)] != WHITE)
                    compact += k;
            in = compact;
            break;
        }
    const std::size_t n = in.size();
    if (n % 4 != 0)
        return refuse(std::to_string(n) + " characters (without white space), not a multiple of 4");
    const std::size_t pad = n >= 1 && in[n - 1] == '=' ? (n >= 2 && in[n - 2] == '=' ? 2 : 1) : 0;
    std::string out(n / 4 * 3 - pad, '\0');
    char* o = out.data();
    const unsigned char* p = reinterpret_cast<const unsigned char*>(in.data());
    // Every group but the last: four sextets, three bytes; a group with anything outside the
    // alphabet (its sextets' OR is negative) goes to the careful loop below, which names it.
    std::size_t i = 0;
    for (; i + 4 < n; i += 4, o += 3)
    {
        const int a = t[p[i]], b = t[p[i + 1]], c = t[p[i + 2]], d = t[p[i + 3]];
        if ((a | b | c | d) < 0)
            break;
        const unsigned bits =
            (unsigned(a) << 18) | (unsigned(b) << 12) | (unsigned(c) << 6) | unsigned(d);
        o[0] = static_cast<char>(bits >> 16);
        o[1] = static_cast<char>((bits >> 8) & 0xFF);
        o[2] = static_cast<char>(bits & 0xFF);
    }
    for (; i < n; i += 4)
    {
        const bool last = i + 4 == n;
        const std::size_t real = last ? 4 - pad : 4; // characters of the group that are not padding
        int v[4] = {0, 0, 0, 0};
        bool bad = false;
        for (std::size_t k = 0; k < real; ++k)
        {
            v[k] = t[p[i + k]];
            bad |= v[k] < 0;
        }
        if (bad)
            for (std::size_t k = 0; k < real; ++k)
                if (v[k] < 0)
                {
                    unsigned char c = p[i + k];
                    std::string shown = c >= 0x20 && c < 0x7F
                                            ? std::string("'") + static_cast<char>(c) + "'"
                                            : "byte " + std::to_string(static_cast<unsigned>(c));
                    return refuse(shown + " at offset " + std::to_string(i + k) +
                                  (c == '=' ? " (padding only ends the last group)" : ""));
                }
        unsigned bits = (unsigned(v[0]) << 18) | (unsigned(v[1]) << 12) | (unsigned(v[2]) << 6) |
                        unsigned(v[3]);
        if (last && ((pad == 2 && (bits & 0xFFFF) != 0) || (pad == 1 && (bits & 0xFF) != 0)))
            return refuse("the last group before the padding has unused bits set (offset " +
                          std::to_string(i) + ")");
        *o++ = static_cast<char>(bits >> 16);
        if (real > 2)
            *o++ = static_cast<char>((bits >> 8) & 0xFF);
        if (real > 3)
            *o++ = static_cast<char>(bits & 0xFF);
    }
    return out;
}

} // namespace chukan
