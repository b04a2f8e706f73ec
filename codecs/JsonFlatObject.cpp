// JsonFlatObject: reads {"name": "value", …} of plain strings by hand; anything else is Poco's to
// read.
#include "codecs/JsonFlatObject.h"

namespace chukan
{

namespace
{

/// Reads one JSON string at text[i] (the opening quote) into out and moves i past it. Only the
/// plain cases: ASCII, the short escapes and \uXXXX outside the surrogates. False for anything
/// else, which the caller hands to Poco's parser instead (so odd input gets its usual result).
bool plainJsonString(const std::string& text, std::size_t& i, std::string& out)
{
    if (i >= text.size() || text[i] != '"')
        return false;
    out.clear();
    for (++i; i < text.size(); ++i)
    {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '"')
        {
            ++i;
            return true;
        }
        if (c < 0x20 || c >= 0x80)
            return false;
        if (c != '\\')
        {
            out += static_cast<char>(c);
            continue;
        }
        if (++i >= text.size())
            return false;
        switch (text[i])
        {
        case '"':
            out += '"';
            break;
        case '\\':
            out += '\\';
            break;
        case '/':
            out += '/';
            break;
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u':
        {
            if (i + 4 >= text.size())
                return false;
            unsigned cp = 0;
            for (int k = 1; k <= 4; ++k)
            {
                char h = text[i + k];
                cp <<= 4;
                if (h >= '0' && h <= '9')
                    cp |= static_cast<unsigned>(h - '0');
                else if (h >= 'a' && h <= 'f')
                    cp |= static_cast<unsigned>(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    cp |= static_cast<unsigned>(h - 'A' + 10);
                else
                    return false;
            }
            if (cp >= 0x80) // multi-byte and surrogates: Poco's parser
                return false;
            out += static_cast<char>(cp);
            i += 4;
            break;
        }
        default:
            return false;
        }
    }
    return false;
}

} // namespace

bool JsonFlatObject::read(const std::string& json, Members& members)
{
    members.clear();
    std::size_t i = 0;
    auto skip = [&]
    {
        while (i < json.size() &&
               (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
            ++i;
    };
    skip();
    if (i >= json.size() || json[i] != '{')
        return false;
    ++i;
    skip();
    if (i < json.size() && json[i] == '}')
    {
        ++i;
        skip();
        return i == json.size();
    }
    std::string name, value;
    for (;;)
    {
        skip();
        if (!plainJsonString(json, i, name))
            return false;
        for (const auto& m : members)
            if (m.first == name)
                return false; // twice: Poco's parser decides what that means
        skip();
        if (i >= json.size() || json[i] != ':')
            return false;
        ++i;
        skip();
        if (!plainJsonString(json, i, value))
            return false;
        members.emplace_back(name, value);
        skip();
        if (i >= json.size())
            return false;
        if (json[i] == '}')
            break;
        if (json[i] != ',')
            return false;
        ++i;
    }
    ++i;
    skip();
    return i == json.size();
}

} // namespace chukan
