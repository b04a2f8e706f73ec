// FuzzCheck: the property check every fuzz target uses — print what broke and abort, so
// libFuzzer saves the input as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace chukan
{

/// Aborts with "fuzz property violated: WHAT (DETAIL)" on stderr when `holds` is false.
inline void fuzzCheck(bool holds, const char* what, const std::string& detail = std::string())
{
    if (holds)
        return;
    std::fprintf(stderr, "fuzz property violated: %s%s%s%s\n", what, detail.empty() ? "" : " (",
                 detail.c_str(), detail.empty() ? "" : ")");
    std::abort();
}

} // namespace chukan
