// XmlString: conversions between UTF-8 std::string and Xerces' UTF-16 XMLCh strings.
#pragma once

#include <xercesc/util/XercesDefs.hpp>

#include <string>

namespace chukan {

/// REQUIRES: XmlRuntime::ensureInitialized() has succeeded.
class XmlString
{
public:
    static std::string toUtf8(const XMLCh* text);
    static std::string toUtf8(const XMLCh* text, XMLSize_t length);
    /// Appends the UTF-8 of text[0, length) to `out` (no temporary string); a lone surrogate
    /// becomes U+FFFD, as in toUtf8.
    static void appendUtf8(std::string& out, const XMLCh* text, XMLSize_t length);
    static std::u16string fromUtf8(const std::string& text);
};

} // namespace chukan
