// LayoutField: one field of a fixed-length layout (name, offset, length, type, options).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace chukan
{

/// Plain data, validated by Layout::parse.
///
/// Types (byte lengths are in the record's encoding):
///   X         single-byte text (ASCII 0x20-0x7E, 半角カナ), padded right with spaces
///   N         double-byte (全角) text, even length, padded right with U+3000 (cp932 0x8140)
///   M         mixed text: single- and double-byte characters (no control characters), padded
///             right with spaces; a double-byte character may not be cut by the field's end
///   9         zoned digits, zero-padded left; sign="leading"|"trailing" adds one '+'/'-' byte;
///             zeros="keep" keeps leading zeros in decoded values (identifiers)
///   date      YYYYMMDD (8 bytes), decoded as YYYY-MM-DD
///   datetime  YYYYMMDDhhmmss (14) or YYYYMMDDhhmmssfff (17), decoded as YYYY-MM-DDThh:mm:ss[.fff]
///   wareki    GYYMMDD 和暦 (7 bytes), decoded as the Gregorian YYYY-MM-DD
///   code      single-byte code from a fixed list of values, padded right with spaces
/// optional="true" lets 9/date/datetime/wareki/code fields be blank (all spaces; for dates also
/// all zeros), decoded as "". X, N and M fields may always be blank.
class LayoutField
{
public:
    enum Type
    {
        TEXT,      ///< X
        WIDE_TEXT, ///< N
        NUMBER,    ///< 9
        DATE,
        DATETIME,
        WAREKI,
        CODE,
        MIXED_TEXT ///< M
    };
    enum Sign
    {
        UNSIGNED,
        LEADING,
        TRAILING
    };

    std::string name;
    std::string label; ///< Japanese name, for people
    std::size_t offset = 0;
    std::size_t length = 0;
    Type type = TEXT;
    Sign sign = UNSIGNED;
    bool keepZeros = false;
    bool optional = false;
    /// For CODE: allowed values and their labels, in layout order.
    std::vector<std::pair<std::string, std::string>> codes;

    static const char* typeName(Type type)
    {
        switch (type)
        {
        case TEXT:
            return "X";
        case WIDE_TEXT:
            return "N";
        case NUMBER:
            return "9";
        case DATE:
            return "date";
        case DATETIME:
            return "datetime";
        case WAREKI:
            return "wareki";
        case CODE:
            return "code";
        case MIXED_TEXT:
            return "M";
        }
        return "?";
    }

    /// "sex (性別)" for messages.
    std::string describe() const { return label.empty() ? name : name + " (" + label + ")"; }
};

} // namespace chukan
