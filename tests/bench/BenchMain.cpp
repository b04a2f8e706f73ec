// BenchMain: chukan-bench entry point — runs one named benchmark section (codecs, replica,
// exchange).
#include "tests/bench/CodecsBench.h"
#include "tests/bench/ExchangeBench.h"
#include "tests/bench/ReplicaBench.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace
{

/// One benchmark section: `chukan-bench NAME ARGS…` calls run(ARGS). Add new sections here.
struct Section
{
    const char* name;
    int (*run)(const std::vector<std::string>& args);
    const char* (*usage)();
};

const Section SECTIONS[] = {
    {"codecs", &chukan::CodecsBench::run, &chukan::CodecsBench::usage},
    {"replica", &chukan::ReplicaBench::run, &chukan::ReplicaBench::usage},
    {"exchange", &chukan::ExchangeBench::run, &chukan::ExchangeBench::usage},
};

void printUsage(std::FILE* to)
{
    std::fprintf(to, "usage: chukan-bench SECTION [ARGS...]   (normally run by scripts/bench)\n");
    for (const Section& s : SECTIONS)
        std::fprintf(to, "  %s", s.usage());
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || !std::strcmp(argv[1], "--help"))
    {
        printUsage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    std::vector<std::string> args(argv + 2, argv + argc);
    for (const Section& s : SECTIONS)
        if (s.name == std::string(argv[1]))
            return s.run(args);
    std::fprintf(stderr, "chukan-bench: unknown section '%s'\n", argv[1]);
    printUsage(stderr);
    return 2;
}
