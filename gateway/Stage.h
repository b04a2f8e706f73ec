// Stage: one small step of the request pipeline; it continues or stops (having written the reply itself).
#pragma once

#include "gateway/Exchange.h"

namespace chukan {

class Stage
{
public:
    enum Outcome
    {
        CONTINUE,
        STOP ///< the stage has set the reply (usually with Exchange::fail) and counted why
    };

    virtual ~Stage() = default;
    /// Short name used in logs and metric labels, e.g. "authenticate".
    virtual const char* name() const = 0;
    /// REQUIRES: thread-safe; per-request state lives only in `exchange`.
    virtual Outcome run(Exchange& exchange) = 0;
};

} // namespace chukan
