// SimCsv: line splitting and header check for ipn-sim's CSV files.
#include "tests/netsim/SimCsv.h"

#include <fstream>

namespace chukan
{

namespace
{
std::string trim(const std::string& s)
{
    std::size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos)
        return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}
} // namespace

Result<std::vector<std::vector<std::string>>>
SimCsv::read(const std::string& path, const std::vector<std::string>& expected)
{
    std::ifstream in(path);
    if (!in)
        return Status::invalid("file '" + path + "' cannot be read");
    std::vector<std::vector<std::string>> rows;
    bool header = false;
    std::string line;
    for (std::size_t n = 1; std::getline(in, line); ++n)
    {
        std::string t = trim(line);
        if (t.empty() || t[0] == '#')
            continue;
        std::vector<std::string> fields;
        std::size_t start = 0;
        for (;;)
        {
            std::size_t comma = t.find(',', start);
            fields.push_back(trim(t.substr(start, comma - start)));
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
        if (!header)
        {
            if (fields != expected)
            {
                std::string want;
                for (const std::string& f : expected)
                    want += (want.empty() ? "" : ",") + f;
                return Status::invalid(path + " line " + std::to_string(n) +
                                       ": header must be '" + want + "'");
            }
            header = true;
            continue;
        }
        if (fields.size() != expected.size())
            return Status::invalid(path + " line " + std::to_string(n) + ": " +
                                   std::to_string(fields.size()) + " fields, expected " +
                                   std::to_string(expected.size()));
        rows.push_back(std::move(fields));
    }
    if (!header)
        return Status::invalid(path + ": no header line");
    return rows;
}

} // namespace chukan
