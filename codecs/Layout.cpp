// Layout: parses layout XML with Poco's DOM (no DTDs, no external entities) and validates it.
#include "codecs/Layout.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NamedNodeMap.h>
#include <Poco/DOM/Node.h>
#include <Poco/Exception.h>
#include <Poco/SAX/XMLReader.h>

#include <fstream>
#include <set>
#include <sstream>

namespace chukan
{

namespace
{

using Poco::XML::Element;
using Poco::XML::Node;

bool parseSize(const std::string& text, std::size_t& value)
{
    if (text.empty() || text.size() > 9)
        return false;
    value = 0;
    for (char c : text)
    {
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return true;
}

bool validName(const std::string& name)
{
    if (name.empty() || name.size() > 64)
        return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    return true;
}

/// Attributes not in `allowed` are typos; say so instead of ignoring them.
Status checkAttributes(const Element& e, const std::set<std::string>& allowed,
                       const std::string& where)
{
    Poco::AutoPtr<Poco::XML::NamedNodeMap> attrs = e.attributes();
    for (unsigned long i = 0; i < attrs->length(); ++i)
    {
        std::string n = attrs->item(i)->nodeName();
        if (!allowed.count(n))
            return Status::invalid(where + ": unknown attribute '" + n + "'");
    }
    return Status::ok();
}

Result<LayoutField> parseField(const Element& e, const std::string& source, std::size_t index)
{
    LayoutField f;
    f.name = e.getAttribute("name");
    std::string where = source + ": field " + std::to_string(index + 1) +
                        (f.name.empty() ? std::string() : " '" + f.name + "'");
    Status s = checkAttributes(
        e, {"name", "label", "offset", "length", "type", "sign", "zeros", "optional"}, where);
    if (!s)
        return s;
    if (!validName(f.name))
        return Status::invalid(where + ": name must be 1-64 characters of a-z, 0-9, _");
    f.label = e.getAttribute("label");
    if (!parseSize(e.getAttribute("offset"), f.offset))
        return Status::invalid(where + ": offset '" + e.getAttribute("offset") +
                               "' is not a byte offset");
    if (!parseSize(e.getAttribute("length"), f.length) || f.length == 0)
        return Status::invalid(where + ": length '" + e.getAttribute("length") +
                               "' is not a positive byte count");
    std::string type = e.getAttribute("type");
    if (type == "X")
        f.type = LayoutField::TEXT;
    else if (type == "N")
        f.type = LayoutField::WIDE_TEXT;
    else if (type == "9")
        f.type = LayoutField::NUMBER;
    else if (type == "date")
        f.type = LayoutField::DATE;
    else if (type == "datetime")
        f.type = LayoutField::DATETIME;
    else if (type == "wareki")
        f.type = LayoutField::WAREKI;
    else if (type == "code")
        f.type = LayoutField::CODE;
    else if (type == "M")
        f.type = LayoutField::MIXED_TEXT;
    else
        return Status::invalid(where + ": type '" + type +
                               "' is not X, N, M, 9, date, datetime, wareki or code");

    std::string sign = e.getAttribute("sign");
    std::string zeros = e.getAttribute("zeros");
    if (!sign.empty() || !zeros.empty())
    {
        if (f.type != LayoutField::NUMBER)
            return Status::invalid(where + ": sign and zeros apply to type 9 only");
        if (sign == "leading")
            f.sign = LayoutField::LEADING;
        else if (sign == "trailing")
            f.sign = LayoutField::TRAILING;
        else if (!sign.empty())
            return Status::invalid(where + ": sign '" + sign + "' is not leading or trailing");
        if (zeros == "keep")
            f.keepZeros = true;
        else if (!zeros.empty())
            return Status::invalid(where + ": zeros '" + zeros + "' is not keep");
    }
    std::string optional = e.getAttribute("optional");
    if (optional == "true")
        f.optional = true;
    else if (!optional.empty() && optional != "false")
        return Status::invalid(where + ": optional '" + optional + "' is not true or false");

    for (Node* child = e.firstChild(); child; child = child->nextSibling())
    {
        if (child->nodeType() == Node::COMMENT_NODE)
            continue;
        if (child->nodeType() != Node::ELEMENT_NODE || child->nodeName() != "value")
            return Status::invalid(
                where + ": only <value code=\"…\" label=\"…\"/> may appear inside a field");
        if (f.type != LayoutField::CODE)
            return Status::invalid(where + ": <value> is for type code only");
        const Element& v = static_cast<const Element&>(*child);
        Status vs = checkAttributes(v, {"code", "label"}, where + " <value>");
        if (!vs)
            return vs;
        std::string code = v.getAttribute("code");
        if (code.empty())
            return Status::invalid(where + ": <value> needs a code");
        for (char c : code)
            if (c < 0x21 || c > 0x7E)
                return Status::invalid(where + ": code '" + code +
                                       "' must be printable ASCII without spaces");
        if (code.size() > f.length)
            return Status::invalid(where + ": code '" + code + "' is longer than the field (" +
                                   std::to_string(f.length) + " bytes)");
        for (const auto& existing : f.codes)
            if (existing.first == code)
                return Status::invalid(where + ": code '" + code + "' is listed twice");
        f.codes.emplace_back(code, v.getAttribute("label"));
    }
    if (f.type == LayoutField::CODE && f.codes.empty())
        return Status::invalid(where + ": a code field needs at least one <value>");
    return f;
}

} // namespace

Result<Layout> Layout::load(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Status::notFound("layout '" + path + "': cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

Result<Layout> Layout::parse(const std::string& xml, const std::string& source)
{
    if (xml.find("<!DOCTYPE") != std::string::npos || xml.find("<!ENTITY") != std::string::npos)
        return Status::invalid(source +
                               ": DTDs and entity declarations are not allowed in layouts");
    Poco::AutoPtr<Poco::XML::Document> doc;
    try
    {
        Poco::XML::DOMParser parser;
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        parser.setFeature(Poco::XML::DOMParser::FEATURE_FILTER_WHITESPACE, true);
        doc = parser.parseString(xml);
    }
    catch (const Poco::Exception& e)
    {
        return Status::invalid(source + ": not well-formed XML: " + e.displayText());
    }
    Element* root = doc->documentElement();
    if (!root || root->nodeName() != "layout")
        return Status::invalid(source + ": the root element must be <layout>");
    Status s = checkAttributes(*root, {"name", "label", "length", "encoding", "terminator"},
                               source + ": <layout>");
    if (!s)
        return s;
    Layout layout;
    layout._name = root->getAttribute("name");
    if (!validName(layout._name))
        return Status::invalid(source + ": layout name '" + layout._name +
                               "' must be 1-64 characters of a-z, 0-9, _");
    layout._label = root->getAttribute("label");
    if (!parseSize(root->getAttribute("length"), layout._recordLength) || layout._recordLength == 0)
        return Status::invalid(source + ": record length '" + root->getAttribute("length") +
                               "' is not a positive byte count");
    std::string encoding = root->getAttribute("encoding");
    if (encoding == "cp932")
        layout._encoding = Charset::CP932;
    else if (encoding == "shift_jis")
        layout._encoding = Charset::SHIFT_JIS;
    else if (encoding == "ascii")
        layout._encoding = Charset::ASCII;
    else
        return Status::invalid(source + ": encoding '" + encoding +
                               "' is not cp932, shift_jis or ascii");
    std::string terminator = root->getAttribute("terminator");
    if (terminator == "crlf")
        layout._terminator = CRLF;
    else if (terminator == "lf")
        layout._terminator = LF;
    else if (terminator == "none")
        layout._terminator = NONE;
    else
        return Status::invalid(source + ": terminator '" + terminator +
                               "' is not crlf, lf or none");

    for (Node* child = root->firstChild(); child; child = child->nextSibling())
    {
        if (child->nodeType() == Node::COMMENT_NODE)
            continue;
        if (child->nodeType() == Node::ELEMENT_NODE && child->nodeName() == "description")
            continue;
        if (child->nodeType() != Node::ELEMENT_NODE || child->nodeName() != "field")
            return Status::invalid(
                source + ": only <field> and <description> may appear inside <layout>, found '" +
                child->nodeName() + "'");
        Result<LayoutField> f =
            parseField(static_cast<const Element&>(*child), source, layout._fields.size());
        if (!f)
            return f.status();
        layout._fields.push_back(f.value());
    }
    Status v = layout.validate(source);
    if (!v)
        return v;
    return layout;
}

Status Layout::validate(const std::string& source) const
{
    if (_fields.empty())
        return Status::invalid(source + ": a layout needs at least one field");
    std::set<std::string> names;
    std::size_t expected = 0;
    for (const LayoutField& f : _fields)
    {
        std::string where = source + ": field '" + f.name + "'";
        if (!names.insert(f.name).second)
            return Status::invalid(where + ": the name is used twice");
        if (f.offset < expected)
            return Status::invalid(where + " at offset " + std::to_string(f.offset) +
                                   " overlaps the previous field, which ends at " +
                                   std::to_string(expected));
        if (f.offset > expected)
            return Status::invalid(where + " at offset " + std::to_string(f.offset) +
                                   " leaves a gap of " + std::to_string(f.offset - expected) +
                                   " bytes after offset " + std::to_string(expected) +
                                   " (declare a filler X field)");
        expected = f.offset + f.length;
        if (expected > _recordLength)
            return Status::invalid(where + " ends at byte " + std::to_string(expected) +
                                   ", past the record length " + std::to_string(_recordLength));
        switch (f.type)
        {
        case LayoutField::WIDE_TEXT:
            if (f.length % 2)
                return Status::invalid(where + ": an N field needs an even length, got " +
                                       std::to_string(f.length));
            if (_encoding == Charset::ASCII)
                return Status::invalid(
                    where + ": N fields need a double-byte encoding (cp932 or shift_jis)");
            break;
        case LayoutField::NUMBER:
            if (f.sign != LayoutField::UNSIGNED && f.length < 2)
                return Status::invalid(where + ": a signed 9 field needs at least 2 bytes");
            if (f.length > 30)
                return Status::invalid(where + ": a 9 field may have at most 30 bytes");
            break;
        case LayoutField::DATE:
            if (f.length != 8)
                return Status::invalid(where + ": a date field is 8 bytes (YYYYMMDD), got " +
                                       std::to_string(f.length));
            break;
        case LayoutField::DATETIME:
            if (f.length != 14 && f.length != 17)
                return Status::invalid(where + ": a datetime field is 14 or 17 bytes, got " +
                                       std::to_string(f.length));
            break;
        case LayoutField::WAREKI:
            if (f.length != 7)
                return Status::invalid(where + ": a wareki field is 7 bytes (GYYMMDD), got " +
                                       std::to_string(f.length));
            break;
        default:
            break;
        }
    }
    if (expected != _recordLength)
        return Status::invalid(source + ": fields cover " + std::to_string(expected) +
                               " bytes but the record length is " + std::to_string(_recordLength));
    return Status::ok();
}

const LayoutField* Layout::field(const std::string& name) const
{
    for (const LayoutField& f : _fields)
        if (f.name == name)
            return &f;
    return nullptr;
}

} // namespace chukan
