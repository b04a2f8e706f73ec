// CtlArgs: parses a chukanctl command line into positionals and --key value / --key=value options.
#pragma once

#include "codecs/Result.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace chukan {

class CtlArgs
{
public:
    /// valueOptions take an argument, flagOptions do not; anything else starting with "--"
    /// is an error naming the option.
    static Result<CtlArgs> parse(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                                 const std::set<std::string>& flagOptions = {});

    const std::vector<std::string>& positionals() const { return _positionals; }
    bool has(const std::string& option) const { return _options.count(option) > 0; }
    std::string get(const std::string& option, const std::string& fallback = "") const
    {
        auto it = _options.find(option);
        return it == _options.end() ? fallback : it->second;
    }

private:
    std::vector<std::string> _positionals;
    std::map<std::string, std::string> _options;
};

} // namespace chukan
