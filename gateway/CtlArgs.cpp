// CtlArgs: strict option parsing; unknown options and missing values are usage errors.
#include "gateway/CtlArgs.h"

namespace chukan {

Result<CtlArgs> CtlArgs::parse(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                               const std::set<std::string>& flagOptions)
{
    CtlArgs out;
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        const std::string& a = args[i];
        if (a.size() > 2 && a.compare(0, 2, "--") == 0)
        {
            std::string name = a.substr(2), value;
            bool inlineValue = false;
            std::size_t eq = name.find('=');
            if (eq != std::string::npos)
            {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                inlineValue = true;
            }
            if (flagOptions.count(name))
            {
                if (inlineValue)
                    return Status::invalid("option --" + name + " takes no value");
                out._options[name] = "1";
            }
            else if (valueOptions.count(name))
            {
                if (!inlineValue)
                {
                    if (i + 1 >= args.size())
                        return Status::invalid("option --" + name + " needs a value");
                    value = args[++i];
                }
                out._options[name] = value;
            }
            else
                return Status::invalid("unknown option --" + name);
        }
        else if (a == "--")
        {
            for (++i; i < args.size(); ++i)
                out._positionals.push_back(args[i]);
        }
        else
            out._positionals.push_back(a);
    }
    return out;
}

} // namespace chukan
