// SessionPolicy: idle and absolute limits compared in microseconds.
#include "policy/SessionPolicy.h"

#include <algorithm>

namespace chukan
{

SessionPolicy::State SessionPolicy::check(Poco::Int64 createdAt, Poco::Int64 lastSeenAt,
                                          Poco::Int64 now, Poco::Int64 idleSeconds,
                                          Poco::Int64 absoluteSeconds)
{
    if (now - createdAt > absoluteSeconds * 1000000)
        return ABSOLUTE_TIMEOUT;
    if (now - lastSeenAt > idleSeconds * 1000000)
        return IDLE_TIMEOUT;
    return ACTIVE;
}

Poco::Int64 SessionPolicy::expiresAt(Poco::Int64 createdAt, Poco::Int64 lastSeenAt,
                                     Poco::Int64 idleSeconds, Poco::Int64 absoluteSeconds)
{
    return std::min(lastSeenAt + idleSeconds * 1000000, createdAt + absoluteSeconds * 1000000);
}

const char* SessionPolicy::name(State state)
{
    switch (state)
    {
    case ACTIVE: return "active";
    case IDLE_TIMEOUT: return "idle";
    case ABSOLUTE_TIMEOUT: return "absolute";
    }
    return "unknown";
}

} // namespace chukan
