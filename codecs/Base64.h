// Base64: the standard alphabet with '=' padding (RFC 4648 section 4), written in one pass and read
// strictly.
#pragma once

#include "codecs/Result.h"

#include <string>
#include <string_view>

namespace chukan
{

/// One spelling per byte string: encode() writes no line breaks and decode() accepts exactly
/// what xs:base64Binary does — XML white space (space, tab, CR, LF) anywhere is ignored; what
/// is left must be whole groups of four characters of the alphabet, '=' only as the padding of
/// the last group, and the padding's unused bits zero. Table-driven, into strings sized once
/// (Poco's stream encoder and decoder spent tens of instructions a character).
class Base64
{
public:
    static std::string encode(std::string_view bytes);
    /// The bytes, or INVALID_ARGUMENT "<what>: not base64: <reason>" naming the first bad
    /// character and its offset (counted without white space), a length that is not a multiple
    /// of four, or non-zero unused bits.
    static Result<std::string> decode(std::string_view text, const std::string& what);
};

} // namespace chukan
