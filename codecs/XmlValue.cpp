// XmlValue: whitespace collapse and number/boolean parsing as XSD defines them.
#include "codecs/XmlValue.h"

#include <cerrno>
#include <climits>
#include <cstdlib>

namespace chukan {

std::string XmlValue::trim(const std::string& t)
{
    const char* ws = " \t\r\n";
    std::size_t b = t.find_first_not_of(ws);
    if (b == std::string::npos)
        return "";
    return t.substr(b, t.find_last_not_of(ws) - b + 1);
}

std::string XmlValue::token(const XmlElement& parent, const std::string& child)
{
    return trim(parent.childText(child));
}

std::optional<long> XmlValue::integer(const XmlElement& parent, const std::string& child)
{
    const XmlElement* c = parent.child(child);
    if (!c)
        return std::nullopt;
    std::string t = trim(c->text);
    if (t.empty())
        return std::nullopt;
    errno = 0;
    char* end = nullptr;
    long v = std::strtol(t.c_str(), &end, 10);
    if (errno != 0 || *end != '\0' || v < INT_MIN || v > INT_MAX)
        return std::nullopt;
    return v;
}

std::optional<bool> XmlValue::boolean(const XmlElement& parent, const std::string& child)
{
    std::string t = token(parent, child);
    if (t == "true" || t == "1")
        return true;
    if (t == "false" || t == "0")
        return false;
    return std::nullopt;
}

} // namespace chukan
