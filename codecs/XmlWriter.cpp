// XmlWriter: escaping, CDATA splitting and character checks for the message encoders.
#include "codecs/XmlWriter.h"

#include "codecs/CsvCharset.h"

namespace chukan {

namespace {

/// Two facts per byte. `escaped`: text or an attribute writes it as a reference (& < > " and
/// tab, LF, CR; which of them depends on the context). `clean`: ASCII that XML allows as it is
/// (0x20-0x7F, tab, LF, CR). Message values (ids, codes, base64) are all clean bytes: they need
/// one pass of checks instead of decoding UTF-8 and a second scan.
struct ByteTable
{
    bool escaped[256] = {};
    bool clean[256] = {};
    constexpr ByteTable()
    {
        escaped['&'] = escaped['<'] = escaped['>'] = escaped['"'] = true;
        escaped['\t'] = escaped['\n'] = escaped['\r'] = true;
        for (int c = 0x20; c < 0x80; ++c)
            clean[c] = true;
        clean['\t'] = clean['\n'] = clean['\r'] = true;
    }
};
constexpr ByteTable kBytes; // constant-initialised: usable from any static initialiser

/// True when every byte of value is clean: then it is valid UTF-8 with no character XML refuses.
bool allClean(const std::string& value)
{
    for (unsigned char c : value)
        if (!kBytes.clean[c])
            return false;
    return true;
}

} // namespace

XmlWriter::XmlWriter()
{
    _out.reserve(1024); // a network message fits; larger documents grow from there
    _out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
}

std::string XmlWriter::checkCharacters(const std::string& value)
{
    if (allClean(value))
        return "";
    std::size_t bad = CsvCharset::invalidUtf8Offset(value);
    if (bad != std::string::npos)
        return "invalid UTF-8 at offset " + std::to_string(bad);
    for (std::size_t i = 0; i < value.size(); ++i)
    {
        unsigned char c = static_cast<unsigned char>(value[i]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return "control character " + std::to_string(c) + " at offset " + std::to_string(i) +
                   " is not allowed in XML";
        if (c == 0xEF && i + 2 < value.size() && value[i + 1] == '\xBF' &&
            (value[i + 2] == '\xBE' || value[i + 2] == '\xBF'))
            return "U+FFFE/U+FFFF at offset " + std::to_string(i) + " is not allowed in XML";
    }
    return "";
}

std::string XmlWriter::escape(const std::string& value, bool attribute)
{
    std::string out;
    appendEscaped(out, value, attribute);
    return out;
}

void XmlWriter::appendEscaped(std::string& out, const std::string& value, bool attribute)
{
    out.reserve(out.size() + value.size() + 8);
    std::size_t from = 0;
    for (std::size_t i = 0; i < value.size(); ++i)
    {
        char c = value[i];
        if (!kBytes.escaped[static_cast<unsigned char>(c)])
            continue;
        out.append(value, from, i - from); // the run before it, as it is
        from = i + 1;
        switch (c)
        {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += attribute ? "&quot;" : "\""; break;
        case '\r': out += "&#13;"; break;
        case '\n': out += attribute ? "&#10;" : "\n"; break;
        case '\t': out += attribute ? "&#9;" : "\t"; break;
        }
    }
    out.append(value, from, std::string::npos);
}

std::string XmlWriter::cdata(const std::string& value)
{
    std::string out = "<![CDATA[";
    std::size_t from = 0, at;
    while ((at = value.find("]]>", from)) != std::string::npos)
    {
        out.append(value, from, at + 2 - from); // up to and including "]]"
        out += "]]><![CDATA[";
        from = at + 2; // the ">" starts the next section
    }
    out.append(value, from, std::string::npos);
    out += "]]>";
    return out;
}

void XmlWriter::check(const std::string& name, const std::string& value)
{
    if (!_status)
        return;
    std::string reason = checkCharacters(value);
    if (!reason.empty())
        _status = Status::invalid("element " + name + ": " + reason);
}

void XmlWriter::open(const std::string& name, const Attributes& attributes, bool selfClose)
{
    _out.append(_open.size() * 2, ' ');
    _out += '<';
    _out += name;
    for (const auto& a : attributes)
    {
        check(name + "/@" + a.first, a.second);
        _out += ' ';
        _out += a.first;
        _out += "=\"";
        appendEscaped(_out, a.second, true);
        _out += '"';
    }
    _out += selfClose ? "/>" : ">";
}

void XmlWriter::start(const std::string& name, const Attributes& attributes)
{
    open(name, attributes, false);
    _out += "\n";
    _open.push_back(name);
}

void XmlWriter::document(const std::string& document)
{
    std::size_t from = 0;
    if (document.compare(0, 5, "<?xml") == 0)
    {
        from = document.find("?>");
        from = from == std::string::npos ? document.size() : from + 2;
        while (from < document.size() && (document[from] == '\n' || document[from] == '\r'))
            ++from;
    }
    _out.append(document, from, std::string::npos);
    if (!_out.empty() && _out.back() != '\n')
        _out += '\n';
}

void XmlWriter::end()
{
    if (_open.empty())
        return;
    _out.append((_open.size() - 1) * 2, ' ');
    _out += "</";
    _out += _open.back();
    _out += ">\n";
    _open.pop_back();
}

void XmlWriter::text(const std::string& name, const std::string& value)
{
    check(name, value);
    open(name, {}, false);
    appendEscaped(_out, value, false);
    _out += "</";
    _out += name;
    _out += ">\n";
}

void XmlWriter::data(const std::string& name, const std::string& value, const Attributes& attributes)
{
    check(name, value);
    open(name, attributes, false);
    _out += (value.find('\r') == std::string::npos ? cdata(value) : escape(value, false)) + "</" + name + ">\n";
}

void XmlWriter::empty(const std::string& name, const Attributes& attributes)
{
    open(name, attributes, true);
    _out += "\n";
}

} // namespace chukan
