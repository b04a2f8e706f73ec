// JsonText: the one JSON string escaper of hand-written JSON lines (logs, chukanctl layout decode).
#include "codecs/JsonText.h"

namespace chukan
{

void JsonText::appendEscaped(std::string& out, const std::string& s)
{
    static const char* hex = "0123456789abcdef";
    for (char ch : s)
    {
        unsigned char c = static_cast<unsigned char>(ch);
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
        default:
            if (c < 0x20 || c == 0x7F)
            {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            }
            else
                out += ch;
        }
    }
}

void JsonText::appendQuoted(std::string& out, const std::string& s)
{
    out += '"';
    appendEscaped(out, s);
    out += '"';
}

} // namespace chukan
