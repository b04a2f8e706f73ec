// CharsetTables: builds the tables from Poco::Windows932Encoding with Microsoft's preferences.
#include "codecs/CharsetTables.h"

#include <Poco/Windows932Encoding.h>

#include <cstring>

namespace chukan
{

namespace
{

bool isJisLead(unsigned lead)
{
    // JIS X 0208 rows 1-8 (0x81-0x84) and 16-84 (0x88-0x9F, 0xE0-0xEA).
    return (lead >= 0x81 && lead <= 0x84) || (lead >= 0x88 && lead <= 0x9F) ||
           (lead >= 0xE0 && lead <= 0xEA);
}

bool isExtensionLead(unsigned lead)
{
    return lead == 0x87 || lead == 0xED || lead == 0xEE || (lead >= 0xFA && lead <= 0xFC);
}

} // namespace

const CharsetTables& CharsetTables::cp932()
{
    static const CharsetTables* tables = new CharsetTables(false);
    return *tables;
}

const CharsetTables& CharsetTables::shiftJis()
{
    static const CharsetTables* tables = new CharsetTables(true);
    return *tables;
}

int CharsetTables::preference(std::uint16_t bytes)
{
    // What Windows' WideCharToMultiByte produces when CP932 has several byte sequences for
    // one code point: single byte, then JIS X 0208, then NEC row 13, then IBM extensions
    // (0xFA-0xFC), and NEC-selected IBM extensions (0xED/0xEE) last.
    unsigned lead = bytes >> 8;
    if (lead == 0)
        return 0;
    if (isJisLead(lead))
        return 1;
    if (lead == 0x87)
        return 2;
    if (lead >= 0xFA)
        return 3;
    return 4;
}

void CharsetTables::addEncoding(std::uint32_t cp, std::uint16_t bytes)
{
    std::unique_ptr<std::uint16_t[]>& page = _pages[cp >> 8];
    if (!page)
    {
        page.reset(new std::uint16_t[256]);
        std::memset(page.get(), 0, 256 * sizeof(std::uint16_t));
    }
    std::uint16_t& slot = page[cp & 0xFF];
    if (slot == 0 || preference(bytes) < preference(slot))
        slot = bytes;
}

CharsetTables::CharsetTables(bool jisOnly)
{
    std::memset(kind, 0, sizeof kind);
    std::memset(single, 0, sizeof single);
    std::memset(pair, 0, sizeof pair);

    Poco::Windows932Encoding source;
    for (unsigned b = 0; b < 256; ++b)
    {
        unsigned char s[1] = {static_cast<unsigned char>(b)};
        if (b >= 0x81 && b <= 0xFC && !(b >= 0xA0 && b <= 0xDF))
        {
            if (b >= 0xF0 && b <= 0xF9)
                kind[b] = GAIJI_LEAD;
            else if (jisOnly && !isJisLead(b))
                kind[b] = isExtensionLead(b) ? EXTENSION_LEAD : INVALID;
            else
                kind[b] = LEAD;
            continue;
        }
        int cp = source.sequenceLength(s, 1) == 1 ? source.queryConvert(s, 1) : -1;
        if (cp >= 0)
        {
            kind[b] = SINGLE;
            single[b] = static_cast<std::uint16_t>(cp);
            addEncoding(static_cast<std::uint32_t>(cp), static_cast<std::uint16_t>(b));
        }
    }
    for (unsigned lead = 0x81; lead <= 0xFC; ++lead)
    {
        if (kind[lead] != LEAD)
            continue;
        for (unsigned trail = 0x40; trail <= 0xFC; ++trail)
        {
            if (!isTrail(static_cast<unsigned char>(trail)))
                continue;
            unsigned char s[2] = {static_cast<unsigned char>(lead),
                                  static_cast<unsigned char>(trail)};
            int cp = source.queryConvert(s, 2);
            if (cp > 0 && cp <= 0xFFFF)
                pair[lead << 8 | trail] = static_cast<std::uint16_t>(cp);
        }
    }
    if (jisOnly)
    {
        // JIS X 0208 (as in Unicode's SHIFTJIS.TXT / JIS X 0221) where Microsoft differs.
        pair[0x8160] = 0x301C; // WAVE DASH (cp932: U+FF5E FULLWIDTH TILDE)
        pair[0x8161] = 0x2016; // DOUBLE VERTICAL LINE (cp932: U+2225 PARALLEL TO)
        pair[0x817C] = 0x2212; // MINUS SIGN (cp932: U+FF0D FULLWIDTH HYPHEN-MINUS)
        pair[0x8191] = 0x00A2; // CENT SIGN (cp932: U+FFE0)
        pair[0x8192] = 0x00A3; // POUND SIGN (cp932: U+FFE1)
        pair[0x81CA] = 0x00AC; // NOT SIGN (cp932: U+FFE2)
    }
    for (unsigned code = 0x8140; code <= 0xFCFC; ++code)
        if (pair[code])
            addEncoding(pair[code], static_cast<std::uint16_t>(code));
}

} // namespace chukan
