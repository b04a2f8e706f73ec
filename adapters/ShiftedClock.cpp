// ShiftedClock: reads the test-only shift from the environment.
#include "adapters/ShiftedClock.h"

#include <Poco/Environment.h>
#include <Poco/NumberParser.h>

namespace chukan
{

std::shared_ptr<Clock> ShiftedClock::fromEnvironment(int& shiftDays)
{
    shiftDays = 0;
    int days = 0;
    if (Poco::Environment::get("CHUKAN_TEST_CLOCK", "") != "1" ||
        !Poco::NumberParser::tryParse(Poco::Environment::get("CHUKAN_TEST_CLOCK_SHIFT_DAYS", ""),
                                      days) ||
        days == 0 || days < -36500 || days > 36500)
        return std::make_shared<SystemClock>();
    shiftDays = days;
    return std::make_shared<ShiftedClock>(days);
}

} // namespace chukan
