// ProcStats: CPU seconds and peak resident memory of a process, read from /proc (Linux only).
#pragma once

#include <string>

namespace chukan
{

/// One reading of /proc/PID/stat (utime + stime) and /proc/PID/status (VmHWM, VmRSS).
struct ProcSample
{
    bool ok = false;
    double cpuSeconds = 0; ///< user + system time since the process started
    double peakRssMb = 0;  ///< VmHWM, MB = 10^6 bytes
    double rssMb = 0;      ///< VmRSS now
    int threads = 0;       ///< Threads
};

class ProcStats
{
public:
    /// pid 0 = this process. ok = false when the process is gone or /proc is unreadable.
    static ProcSample read(int pid);
};

} // namespace chukan
