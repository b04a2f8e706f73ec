// Clock: the injected source of time (microseconds since the Unix epoch); tests use ManualClock.
#pragma once

#include <Poco/Timestamp.h>
#include <Poco/Types.h>

#include <atomic>

namespace chukan {

class Clock
{
public:
    virtual ~Clock() = default;
    /// Microseconds since 1970-01-01T00:00:00Z. Thread-safe.
    virtual Poco::Int64 nowMicros() const = 0;
};

class SystemClock : public Clock
{
public:
    Poco::Int64 nowMicros() const override { return Poco::Timestamp().epochMicroseconds(); }
};

/// A clock that moves only when told to. Thread-safe.
class ManualClock : public Clock
{
public:
    explicit ManualClock(Poco::Int64 startMicros = 1767225600000000LL /* 2026-01-01 */) : _now(startMicros) {}
    Poco::Int64 nowMicros() const override { return _now.load(); }
    void set(Poco::Int64 micros) { _now.store(micros); }
    void advanceSeconds(Poco::Int64 seconds) { _now.fetch_add(seconds * 1000000); }

private:
    std::atomic<Poco::Int64> _now;
};

} // namespace chukan
