// GaijiTable: parsing and validation of 外字 table files.
#include "codecs/GaijiTable.h"

#include <fstream>
#include <sstream>

namespace chukan
{

namespace
{

bool parseHex(const std::string& text, std::uint32_t& value)
{
    if (text.empty() || text.size() > 8)
        return false;
    value = 0;
    for (char c : text)
    {
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            return false;
        value = value * 16 + static_cast<std::uint32_t>(d);
    }
    return true;
}

std::string hex(std::uint32_t v, int width)
{
    static const char digits[] = "0123456789ABCDEF";
    std::string s(static_cast<std::size_t>(width), '0');
    for (int i = width - 1; i >= 0; --i, v >>= 4)
        s[static_cast<std::size_t>(i)] = digits[v & 0xF];
    return s;
}

} // namespace

Result<std::shared_ptr<const GaijiTable>> GaijiTable::load(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Status::notFound("gaiji table '" + path + "': cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

Result<std::shared_ptr<const GaijiTable>> GaijiTable::parse(const std::string& text,
                                                            const std::string& source)
{
    std::shared_ptr<GaijiTable> table(new GaijiTable);
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line))
    {
        ++number;
        std::string where = "gaiji table '" + source + "' line " + std::to_string(number) + ": ";
        std::size_t hash = line.find('#');
        if (hash != std::string::npos)
            line.erase(hash);
        std::istringstream words(line);
        std::string bytesWord, cpWord, extra;
        if (!(words >> bytesWord))
            continue;
        if (!(words >> cpWord) || (words >> extra))
            return Status::invalid(where + "expected 'F040<TAB>U+XXXX'");
        if (bytesWord.size() > 2 &&
            (bytesWord.compare(0, 2, "0x") == 0 || bytesWord.compare(0, 2, "0X") == 0))
            bytesWord.erase(0, 2);
        std::uint32_t code = 0, cp = 0;
        if (bytesWord.size() != 4 || !parseHex(bytesWord, code))
            return Status::invalid(where + "byte code '" + bytesWord + "' is not 4 hex digits");
        unsigned lead = code >> 8, trail = code & 0xFF;
        if (lead < 0xF0 || lead > 0xF9 || trail < 0x40 || trail > 0xFC || trail == 0x7F)
            return Status::invalid(
                where + "byte code " + hex(code, 4) +
                " is outside the user-defined area F040-F9FC (trail 40-7E, 80-FC)");
        if (cpWord.size() < 3 ||
            (cpWord.compare(0, 2, "U+") != 0 && cpWord.compare(0, 2, "u+") != 0) ||
            !parseHex(cpWord.substr(2), cp))
            return Status::invalid(where + "code point '" + cpWord + "' is not U+XXXX");
        if (cp < 0x80 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return Status::invalid(where + "U+" + hex(cp, 4) +
                                   " is not a non-ASCII Unicode scalar value");
        std::uint32_t& slot = table->_decode[(lead - 0xF0) << 8 | trail];
        if (slot)
            return Status::invalid(where + "byte code " + hex(code, 4) + " is mapped twice");
        if (table->_encode.count(cp))
            return Status::invalid(where + "U+" + hex(cp, 4) + " is already mapped from " +
                                   hex(table->_encode[cp], 4) +
                                   " (a 外字 table must be one-to-one)");
        slot = cp;
        table->_encode[cp] = static_cast<std::uint16_t>(code);
    }
    return std::shared_ptr<const GaijiTable>(table);
}

} // namespace chukan
