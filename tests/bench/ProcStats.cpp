// ProcStats: parses /proc/PID/stat and /proc/PID/status.
#include "tests/bench/ProcStats.h"

#include <fstream>
#include <sstream>

#include <unistd.h>

namespace chukan
{

ProcSample ProcStats::read(int pid)
{
    ProcSample s;
    const std::string dir = pid ? "/proc/" + std::to_string(pid) : std::string("/proc/self");
    std::ifstream stat(dir + "/stat");
    std::string line;
    if (!std::getline(stat, line))
        return s;
    // The command name (field 2) is in parentheses and may hold spaces: fields count from the
    // last ')'. utime and stime are fields 14 and 15.
    std::size_t close = line.rfind(')');
    if (close == std::string::npos)
        return s;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && (rest >> field); ++i)
    {
        if (i == 14)
            utime = std::stoull(field);
        if (i == 15)
            stime = std::stoull(field);
    }
    s.cpuSeconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    std::ifstream status(dir + "/status");
    while (std::getline(status, line))
    {
        std::istringstream in(line);
        std::string key;
        double kb = 0;
        in >> key >> kb;
        if (key == "VmHWM:")
            s.peakRssMb = kb * 1024 / 1e6;
        else if (key == "VmRSS:")
            s.rssMb = kb * 1024 / 1e6;
        else if (key == "Threads:")
            s.threads = static_cast<int>(kb);
    }
    s.ok = true;
    return s;
}

} // namespace chukan
