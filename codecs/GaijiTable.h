// GaijiTable: a tenant's 外字 table, CP932 user-defined bytes (0xF040-0xF9FC) to and from Unicode.
#pragma once

#include "codecs/Result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace chukan
{

/// File format (UTF-8 text), one mapping a line, '#' starts a comment:
///
///     F040<TAB>U+E000        # a private-use character
///     F041 U+20BB7           # 𠮷 (not in CP932)
///
/// The byte code must lie in the user-defined area (lead 0xF0-0xF9, trail 0x40-0x7E or
/// 0x80-0xFC). Each byte code and each code point may appear once, so the table is a
/// bijection. Immutable after loading; share it between threads freely.
class GaijiTable
{
public:
    /// Reads and validates a table file; errors name the file and line.
    static Result<std::shared_ptr<const GaijiTable>> load(const std::string& path);
    /// Parses table text; `source` names it in error messages.
    static Result<std::shared_ptr<const GaijiTable>> parse(const std::string& text,
                                                           const std::string& source);

    /// The code point for a user-defined byte pair (lead << 8 | trail), 0 when unmapped.
    std::uint32_t toUnicode(std::uint16_t code) const
    {
        unsigned lead = code >> 8;
        if (lead < 0xF0 || lead > 0xF9)
            return 0;
        return _decode[(lead - 0xF0) << 8 | (code & 0xFF)];
    }
    /// The byte pair for a code point, 0 when the table has none.
    std::uint16_t fromUnicode(std::uint32_t cp) const
    {
        auto it = _encode.find(cp);
        return it == _encode.end() ? 0 : it->second;
    }
    std::size_t size() const { return _encode.size(); }

private:
    GaijiTable() : _decode(10 * 256, 0) {}
    std::vector<std::uint32_t> _decode;
    std::unordered_map<std::uint32_t, std::uint16_t> _encode;
};

} // namespace chukan
