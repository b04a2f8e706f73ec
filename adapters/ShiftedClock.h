// ShiftedClock: the system clock moved by a whole number of days, for process tests of retention
// only (CHUKAN_TEST_CLOCK=1 with CHUKAN_TEST_CLOCK_SHIFT_DAYS=N); never configured in production.
#pragma once

#include "adapters/Clock.h"

#include <memory>

namespace chukan
{

class ShiftedClock : public Clock
{
public:
    explicit ShiftedClock(Poco::Int64 shiftDays) : _shiftMicros(shiftDays * 86400LL * 1000000LL) {}
    Poco::Int64 nowMicros() const override
    {
        return Poco::Timestamp().epochMicroseconds() + _shiftMicros;
    }

    /// A ShiftedClock when CHUKAN_TEST_CLOCK=1 and CHUKAN_TEST_CLOCK_SHIFT_DAYS is a whole number
    /// of days (shiftDays set to it), else the system clock (shiftDays 0). A shift without
    /// CHUKAN_TEST_CLOCK=1, or one that is not a number, is ignored.
    static std::shared_ptr<Clock> fromEnvironment(int& shiftDays);

private:
    Poco::Int64 _shiftMicros;
};

} // namespace chukan
