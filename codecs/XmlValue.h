// XmlValue: typed reads of simple-content children (trimmed tokens, xs:int, xs:boolean) for message decoders.
#pragma once

#include "codecs/XmlElement.h"

#include <optional>
#include <string>

namespace chukan {

class XmlValue
{
public:
    /// The child's text with XML whitespace trimmed (xs:token-like types); "" when absent.
    static std::string token(const XmlElement& parent, const std::string& child);
    /// xs:int value of the child, or nullopt when absent or not an int.
    static std::optional<long> integer(const XmlElement& parent, const std::string& child);
    /// xs:boolean ("true"/"1" or "false"/"0"), or nullopt.
    static std::optional<bool> boolean(const XmlElement& parent, const std::string& child);
    static std::string trim(const std::string& text);
};

} // namespace chukan
