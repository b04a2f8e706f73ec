// chukanctl: the administration CLI; dispatches to the command groups of CtlCommands.cpp.
#include "gateway/CtlCommand.h"

#include <Poco/Environment.h>
#include <Poco/Exception.h>

#include <iostream>

using namespace chukan;

namespace {

void usage(std::ostream& out, const std::vector<std::unique_ptr<CtlCommand>>& commands)
{
    out << "usage: chukanctl [--config FILE] COMMAND [ARGS...]\n"
           "       chukanctl COMMAND --help\n"
           "\n"
           "Administers a chukan intermediate server (中間サーバー).\n"
           "\n"
           "options:\n"
           "  --config FILE   configuration (default: $CHUKAN_CONFIG, else conf/chukan.properties)\n"
           "  --help          show this help\n"
           "\n"
           "commands:\n";
    for (const auto& c : commands)
    {
        std::string n = c->name();
        out << "  " << n << std::string(n.size() < 14 ? 14 - n.size() : 1, ' ') << c->summary() << "\n";
    }
    out << "\nexit codes: 0 ok, 1 failed, 2 usage, 69 store/network unavailable, 78 configuration error\n";
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::unique_ptr<CtlCommand>> commands = allCtlCommands();
    std::string configFile = Poco::Environment::get("CHUKAN_CONFIG", "conf/chukan.properties");
    int i = 1;
    for (; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a == "--help" || a == "-h")
        {
            usage(std::cout, commands);
            return CTL_OK;
        }
        if (a == "--config" && i + 1 < argc)
            configFile = argv[++i];
        else if (a.compare(0, 9, "--config=") == 0)
            configFile = a.substr(9);
        else if (a.compare(0, 2, "--") == 0)
        {
            std::cerr << "chukanctl: unknown option " << a << " (or missing value)\n";
            usage(std::cerr, commands);
            return CTL_USAGE;
        }
        else
            break;
    }
    if (i >= argc)
    {
        usage(std::cerr, commands);
        return CTL_USAGE;
    }
    std::string name = argv[i++];
    std::vector<std::string> rest(argv + i, argv + argc);
    for (const auto& c : commands)
    {
        if (c->name() != name)
            continue;
        for (const std::string& a : rest)
            if (a == "--help" || a == "-h")
            {
                std::cout << c->help();
                return CTL_OK;
            }
        CtlContext ctx(configFile, std::cout, std::cerr);
        try
        {
            return c->run(ctx, rest);
        }
        catch (const Poco::Exception& e)
        {
            std::cerr << "chukanctl " << name << ": " << e.displayText() << std::endl;
            return CTL_UNAVAILABLE;
        }
        catch (const std::exception& e)
        {
            std::cerr << "chukanctl " << name << ": " << e.what() << std::endl;
            return CTL_FAILED;
        }
    }
    std::cerr << "chukanctl: unknown command '" << name << "'\n";
    usage(std::cerr, commands);
    return CTL_USAGE;
}
