// Retention: pure decisions about when stored data has outlived its retention period.
#pragma once

#include "codecs/Result.h"

#include <Poco/Types.h>

namespace chukan {

class Retention
{
public:
    static constexpr Poco::Int64 MICROS_PER_DAY = 86400LL * 1000000LL;

    /// Rows created strictly before the returned instant are past a retention of `days`.
    /// INVALID_ARGUMENT for days < 1 (nothing may be kept for less than a day).
    static Result<Poco::Int64> cutoff(Poco::Int64 nowMicros, int days);

    /// True when a row created at createdMicros is past a retention of `days` at nowMicros.
    /// REQUIRES: days >= 1.
    static bool isExpired(Poco::Int64 createdMicros, Poco::Int64 nowMicros, int days)
    {
        return createdMicros < nowMicros - days * MICROS_PER_DAY;
    }
};

} // namespace chukan
