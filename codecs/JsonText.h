// JsonText: escapes UTF-8 text for the inside of a JSON string (quotes, backslashes, control
// characters), leaving other UTF-8 as is.
#pragma once

#include <string>

namespace chukan
{

class JsonText
{
public:
    /// Appends s to out as the inside of a JSON string: " and \ escaped, \n \r \t by name,
    /// other control characters (and DEL) as \u00XX; multi-byte UTF-8 passes through unchanged,
    /// so one value is always one line.
    static void appendEscaped(std::string& out, const std::string& s);
    /// "…" — appendEscaped between quotes.
    static void appendQuoted(std::string& out, const std::string& s);
};

} // namespace chukan
