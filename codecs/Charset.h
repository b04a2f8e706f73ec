// Charset: text between UTF-8 and cp932, shift_jis or ascii; bad bytes reported by offset.
#pragma once

#include "codecs/GaijiTable.h"
#include "codecs/Result.h"

#include <memory>
#include <string>
#include <string_view>

namespace chukan
{

class CharsetTables;

/// One character set, optionally with a 外字 table (cp932 and shift_jis only).
///
/// - cp932: Microsoft's Windows-31J, every character of CP932.TXT incl. NEC row 13 and the
///   NEC-selected IBM / IBM extensions; 0x8160 <-> U+FF5E. Where several byte sequences
///   decode to one code point, encoding picks the one Windows produces (JIS X 0208 row,
///   then NEC row 13, then IBM 0xFA-0xFC, never NEC-selected 0xED/0xEE).
/// - shift_jis: JIS X 0208 only (0x8160 <-> U+301C WAVE DASH, …); extension bytes are errors.
/// - ascii: 0x00-0x7F. utf-8: validated, copied.
/// 外字 bytes (0xF040-0xF9FC) decode through the gaiji table; without a mapping they are an
/// error, never dropped or replaced. Nothing throws for bad data: errors are Status values
/// whose message names the byte offset; the offset is also stored in *errorOffset.
///
/// Thread-safety: immutable; share freely.
class Charset
{
public:
    enum Id
    {
        UTF8,
        CP932,
        SHIFT_JIS,
        ASCII
    };

    /// utf-8 (utf8), cp932 (windows-31j, ms932, windows-932), shift_jis (sjis, shift-jis), ascii
    /// (us-ascii); case-insensitive.
    static Result<Charset> byName(const std::string& name,
                                  std::shared_ptr<const GaijiTable> gaiji = nullptr);
    explicit Charset(Id id, std::shared_ptr<const GaijiTable> gaiji = nullptr);

    Id id() const { return _id; }
    /// Canonical name: "utf-8", "cp932", "shift_jis", "ascii".
    const char* name() const;
    const GaijiTable* gaiji() const { return _gaiji.get(); }

    /// Appends the UTF-8 form of `bytes` to `out`. On error `out` is left as it was.
    Status decode(std::string_view bytes, std::string& out,
                  std::size_t* errorOffset = nullptr) const;
    Result<std::string> decode(std::string_view bytes) const;
    /// Appends `utf8` in this charset to `out`; offsets in errors are into `utf8`.
    Status encode(std::string_view utf8, std::string& out,
                  std::size_t* errorOffset = nullptr) const;
    Result<std::string> encode(std::string_view utf8) const;

    /// Length of the character that starts at bytes[pos] judged by its first byte alone
    /// (1, 2 for a double-byte lead, or 0 for a byte that cannot start a character).
    int charLength(unsigned char first) const;
    /// Byte offset of the character with index `index` (0-based) in valid `bytes`.
    std::size_t offsetOfChar(std::string_view bytes, std::size_t index) const;

private:
    Status decodeShiftJis(std::string_view bytes, std::string& out, std::size_t* errorOffset) const;
    Status encodeShiftJis(std::string_view utf8, std::string& out, std::size_t* errorOffset) const;

    Id _id;
    std::shared_ptr<const GaijiTable> _gaiji;
    const CharsetTables* _tables = nullptr;
};

} // namespace chukan
