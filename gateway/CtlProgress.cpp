// CtlProgress: a 30-column bar with percent and counts on a terminal; "label: N of M unit" lines
// elsewhere.
#include "gateway/CtlProgress.h"

#include <iostream>

#include <unistd.h>

namespace chukan
{

namespace
{
const int kBarWidth = 30;
}

CtlProgress::CtlProgress(std::ostream& err, std::string label, std::string unit, bool tty,
                         Poco::Int64 every)
    : _err(err), _label(std::move(label)), _unit(std::move(unit)), _tty(tty),
      _every(every > 0 ? every : 100000), _nextLine(_every)
{
}

bool CtlProgress::isTerminal(const std::ostream& err)
{
    return &err == &std::cerr && ::isatty(STDERR_FILENO);
}

void CtlProgress::update(Poco::Int64 done, Poco::Int64 total)
{
    if (_tty)
    {
        int percent = total > 0 ? static_cast<int>(done * 100 / total) : 0;
        if (percent == _lastPercent && _drawn)
            return;
        _lastPercent = percent;
        int filled = total > 0 ? static_cast<int>(done * kBarWidth / total) : 0;
        _err << "\r" << _label << " [" << std::string(filled, '#')
             << std::string(kBarWidth - filled, '.') << "] " << percent << "% " << done;
        if (total > 0)
            _err << "/" << total;
        _err << " " << _unit << std::flush;
        _drawn = true;
        return;
    }
    if (done < _nextLine)
        return;
    _err << _label << ": " << done;
    if (total > 0)
        _err << " of " << total;
    _err << " " << _unit << std::endl;
    while (_nextLine <= done)
        _nextLine += _every;
}

void CtlProgress::finish()
{
    if (_tty && _drawn)
        _err << std::endl;
    _drawn = false;
}

} // namespace chukan
