// CharsetTables: lookup tables for CP932 and strict Shift_JIS, built once from Poco's CP932 table.
#pragma once

#include <cstdint>
#include <memory>

namespace chukan
{

/// Byte-level tables for one Shift_JIS-family encoding.
///
/// Decode: kind[byte] classifies a byte; single[byte] is the code point of a single-byte
/// character; pair[lead << 8 | trail] the code point of a double-byte one (0 = undefined).
/// Encode: encode(cp) gives the bytes (0xXX for one byte, 0xLLTT for two, 0 = none).
///
/// Thread-safety: the two instances are built on first use (function-local statics) and are
/// read-only afterwards; any number of threads may use them.
class CharsetTables
{
public:
    enum Kind : std::uint8_t
    {
        INVALID = 0,   ///< never valid as a first byte (0x80, 0xA0, 0xFD-0xFF)
        SINGLE,        ///< a single-byte character (ASCII or 半角カナ)
        LEAD,          ///< first byte of a double-byte character
        GAIJI_LEAD,    ///< first byte of a user-defined character (外字, 0xF0-0xF9)
        EXTENSION_LEAD ///< NEC/IBM extension lead byte: valid in cp932, not in shift_jis
    };

    /// Microsoft's CP932 (Windows-31J): JIS X 0208 plus NEC row 13, NEC-selected IBM
    /// extensions (0xED/0xEE) and IBM extensions (0xFA-0xFC).
    static const CharsetTables& cp932();
    /// JIS X 0208 only, with the JIS mappings of the six characters where Microsoft differs.
    static const CharsetTables& shiftJis();

    /// True for bytes valid as the second byte of a double-byte character (0x40-0x7E, 0x80-0xFC).
    static bool isTrail(unsigned char c) { return c >= 0x40 && c <= 0xFC && c != 0x7F; }

    /// Bytes for a code point (0 when the encoding has none). REQUIRES: cp >= 0x80 (ASCII maps
    /// to itself and callers handle it first).
    std::uint16_t encode(std::uint32_t cp) const
    {
        if (cp > 0xFFFF)
            return 0;
        const std::uint16_t* page = _pages[cp >> 8].get();
        return page ? page[cp & 0xFF] : 0;
    }

    Kind kind[256];
    std::uint16_t single[256];
    std::uint16_t pair[65536];

private:
    explicit CharsetTables(bool jisOnly);
    void addEncoding(std::uint32_t cp, std::uint16_t bytes);
    static int preference(std::uint16_t bytes);

    std::unique_ptr<std::uint16_t[]> _pages[256];
};

} // namespace chukan
