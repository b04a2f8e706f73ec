// JsonText: the one JSON string escaper of hand-written JSON lines (logs, chukanctl layout decode).
#include "codecs/JsonText.h"

namespace chukan
{

void JsonText::appendEscaped(std::string& out, const std::string& s)
{
    static const char* hex = "0123456789abcdef";
    // Runs of bytes that need no escape (most of any text) are appended at once.
    auto plain = [](unsigned char c) { return c >= 0x20 && c != '"' && c != '\\' && c != 0x7F; };
    out.reserve(out.size() + s.size() + 2);
    std::size_t from = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (plain(c))
            continue;
        out.append(s, from, i - from);
        from = i + 1;
        switch (c)
        {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: // other control characters and DEL
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    out.append(s, from, std::string::npos);
}

void JsonText::appendQuoted(std::string& out, const std::string& s)
{
    out += '"';
    appendEscaped(out, s);
    out += '"';
}

} // namespace chukan
