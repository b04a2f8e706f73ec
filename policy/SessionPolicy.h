// SessionPolicy: pure decision whether a console session is still valid (idle timeout, absolute lifetime).
#pragma once

#include <Poco/Types.h>

namespace chukan
{

/// Pure and thread-safe.
class SessionPolicy
{
public:
    enum State
    {
        ACTIVE,
        IDLE_TIMEOUT,    ///< no request for longer than the idle limit (automatic log-off)
        ABSOLUTE_TIMEOUT ///< older than the absolute lifetime, however active
    };

    /// Absolute lifetime is checked first. A session is valid at exactly the limit and expires
    /// one microsecond after it.
    static State check(Poco::Int64 createdAt, Poco::Int64 lastSeenAt, Poco::Int64 nowMicros,
                       Poco::Int64 idleSeconds, Poco::Int64 absoluteSeconds);
    /// When the session ends if nothing happens: min(lastSeen + idle, created + absolute).
    static Poco::Int64 expiresAt(Poco::Int64 createdAt, Poco::Int64 lastSeenAt,
                                 Poco::Int64 idleSeconds, Poco::Int64 absoluteSeconds);
    static const char* name(State state);
};

} // namespace chukan
