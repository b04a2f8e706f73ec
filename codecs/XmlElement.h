// XmlElement: a parsed (and validated) XML element as a plain C++ value: name, attributes, text, children.
#pragma once

#include <string>
#include <vector>

namespace chukan {

/// The tree SecureXmlParser builds. Text is the concatenation of the element's own character
/// data (CDATA sections included, entity and character references resolved); whitespace
/// between child elements is kept as is. Names are local names with their namespace URI.
struct XmlElement
{
    struct Attribute
    {
        std::string ns;   ///< namespace URI, empty for unqualified attributes
        std::string name; ///< local name
        std::string value;
    };

    static constexpr const char* XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";

    std::string ns;   ///< namespace URI
    std::string name; ///< local name
    std::vector<Attribute> attributes;
    std::string text;
    std::vector<XmlElement> children;
    std::size_t line = 0;   ///< where the start tag ends (as Xerces reports it)
    std::size_t column = 0;

    /// The first child with this local name (any namespace), or null.
    const XmlElement* child(const std::string& localName) const;
    /// Every child with this local name, in document order.
    std::vector<const XmlElement*> childrenNamed(const std::string& localName) const;
    /// The text of the first child with this name, or fallback when there is none.
    std::string childText(const std::string& localName, const std::string& fallback = "") const;
    /// The attribute's value, or null.
    const std::string* attribute(const std::string& localName, const std::string& nsUri = "") const;
    /// True when xsi:nil is "true" or "1".
    bool isNil() const;
    /// "line 12, column 5" for messages.
    std::string where() const;
};

} // namespace chukan
