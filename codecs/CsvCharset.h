// CsvCharset: the character encoding of a CSV file (UTF-8 or CP932) and its conversion to and from UTF-8.
#pragma once

#include "codecs/Result.h"

#include <functional>
#include <string>

namespace chukan {

/// Converts whole field values between the file's bytes and UTF-8. CSV structure (commas,
/// quotes, CR, LF) is found on the raw bytes first: every CP932 trail byte is >= 0x40, so it
/// can never be mistaken for one of those ASCII characters.
///
/// CP932 uses Poco::Windows932Encoding unless hooks are given (e.g. a codec with a 外字 table).
/// A hook returns the converted text or a Status whose message names the offending byte.
/// Thread-safety: immutable after construction; safe to share.
class CsvCharset
{
public:
    enum Kind
    {
        UTF8,
        CP932
    };
    using Hook = std::function<Result<std::string>(const std::string&)>;

    static CsvCharset utf8() { return CsvCharset(UTF8, nullptr, nullptr); }
    static CsvCharset cp932() { return CsvCharset(CP932, nullptr, nullptr); }
    /// CP932 through caller-supplied conversions: decode (CP932 bytes -> UTF-8), encode (UTF-8 -> CP932).
    static CsvCharset cp932(Hook decode, Hook encode)
    {
        return CsvCharset(CP932, std::move(decode), std::move(encode));
    }

    Kind kind() const { return _kind; }
    const char* name() const { return _kind == UTF8 ? "UTF-8" : "CP932"; }

    /// File bytes -> UTF-8. Invalid sequences are an INVALID_ARGUMENT naming the byte offset.
    Result<std::string> decode(const std::string& bytes) const;
    /// UTF-8 -> file bytes. Characters the charset cannot represent are an INVALID_ARGUMENT.
    Result<std::string> encode(const std::string& utf8) const;

    /// Returns the offset of the first invalid UTF-8 sequence (overlong, surrogate, > U+10FFFF,
    /// truncated), or std::string::npos when text is valid UTF-8.
    static std::size_t invalidUtf8Offset(const std::string& text);

private:
    CsvCharset(Kind kind, Hook decode, Hook encode)
        : _kind(kind), _decode(std::move(decode)), _encode(std::move(encode))
    {
    }

    Kind _kind;
    Hook _decode;
    Hook _encode;
};

} // namespace chukan
