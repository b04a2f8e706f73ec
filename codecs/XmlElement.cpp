// XmlElement: child and attribute lookups over the plain tree.
#include "codecs/XmlElement.h"

namespace chukan {

const XmlElement* XmlElement::child(const std::string& localName) const
{
    for (const XmlElement& c : children)
        if (c.name == localName)
            return &c;
    return nullptr;
}

std::vector<const XmlElement*> XmlElement::childrenNamed(const std::string& localName) const
{
    std::vector<const XmlElement*> out;
    for (const XmlElement& c : children)
        if (c.name == localName)
            out.push_back(&c);
    return out;
}

std::string XmlElement::childText(const std::string& localName, const std::string& fallback) const
{
    const XmlElement* c = child(localName);
    return c ? c->text : fallback;
}

const std::string* XmlElement::attribute(const std::string& localName, const std::string& nsUri) const
{
    for (const Attribute& a : attributes)
        if (a.name == localName && a.ns == nsUri)
            return &a.value;
    return nullptr;
}

bool XmlElement::isNil() const
{
    const std::string* nil = attribute("nil", XSI_NAMESPACE);
    return nil && (*nil == "true" || *nil == "1");
}

std::string XmlElement::where() const
{
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

} // namespace chukan
