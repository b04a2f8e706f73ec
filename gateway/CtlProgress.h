// CtlProgress: progress of a long chukanctl operation on stderr — a bar on a terminal, plain
// periodic lines otherwise.
#pragma once

#include <Poco/Types.h>

#include <ostream>
#include <string>

namespace chukan
{

/// Not thread-safe: one operation reports through one instance.
class CtlProgress
{
public:
    /// tty: draw a bar redrawn in place (\r); otherwise write a line every `every` units.
    CtlProgress(std::ostream& err, std::string label, std::string unit, bool tty,
                Poco::Int64 every = 100000);

    /// True when err is the process's stderr and that is a terminal.
    static bool isTerminal(const std::ostream& err);

    /// done of total (total <= 0: unknown).
    void update(Poco::Int64 done, Poco::Int64 total);
    /// Ends the bar's line (terminal) so later output starts on a fresh line.
    void finish();

private:
    std::ostream& _err;
    std::string _label;
    std::string _unit;
    bool _tty;
    Poco::Int64 _every;
    Poco::Int64 _nextLine;
    int _lastPercent = -1;
    bool _drawn = false;
};

} // namespace chukan
