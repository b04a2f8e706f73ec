// Retention: cutoff computation shared by record, audit and inquiry-result purges.
#include "policy/Retention.h"

#include <string>

namespace chukan {

Result<Poco::Int64> Retention::cutoff(Poco::Int64 nowMicros, int days)
{
    if (days < 1)
        return Status::invalid("retention of " + std::to_string(days) + " days: must be at least 1 day");
    return nowMicros - days * MICROS_PER_DAY;
}

} // namespace chukan
