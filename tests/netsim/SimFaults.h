// SimFaults: the fault-injection switches of ipn-sim (delay, drop, duplicate, reorder, corrupt signatures, down).
#pragma once

#include "codecs/Result.h"

#include <Poco/Types.h>

#include <mutex>
#include <string>

namespace chukan
{

/// Settable from the configuration (ipn.faults.*) and at runtime (POST /sim/v1/faults):
///   delayMs               every answer and every delivery waits this long first
///   dropNext N            the next N forwards are accepted (Ack) and then silently dropped
///   duplicateNext N       the next N forwards are delivered twice (same MessageId)
///   reorder               the next forward is held and sent after the one that follows it
///   corruptSignatureNext N the next N issued permits get one signature byte flipped
///   expirePermitNext N    the next N issued permits are already expired, and the network routes
///                         inquiries under them without its own validity check (the provider's
///                         check must catch them: a permit that expired in transit)
///   replayNext N          the next N forwarded inquiries are delivered twice: once as sent, then
///                         under a new MessageId ("<id>.rp") with the same permit (a replay)
///   downForMs             for this long (from the change) the network answers UNAVAILABLE
///   noBatch               the network knows no batches: POST /ipn/v1/batch is answered 404 (not a
///                         protocol message) and every forward goes alone
/// Counters are consumed with take*(); thread-safe.
class SimFaults
{
public:
    struct State
    {
        int delayMs = 0;
        int dropNext = 0;
        int duplicateNext = 0;
        bool reorder = false;
        bool noBatch = false; ///< behave as a network without batches
        int corruptSignatureNext = 0;
        int expirePermitNext = 0;
        int replayNext = 0;
        Poco::Int64 downUntilMicros = 0; ///< absolute
    };

    State state() const;
    /// Applies a JSON object of the members above (any subset; "reset": true first clears all).
    /// `nowMicros` anchors downForMs. INVALID_ARGUMENT naming the member otherwise.
    Status apply(const std::string& json, Poco::Int64 nowMicros);
    void set(const State& s);

    int delayMs() const;
    /// True when no delay, drop or duplicate fault is set: forwards may then go several to a
    /// message (SimDeliverer), since no fault has to be applied to one of them.
    bool plainForwards() const;
    bool noBatch() const;
    bool takeDrop() { return take(&State::dropNext); }
    bool takeDuplicate() { return take(&State::duplicateNext); }
    bool takeCorruptSignature() { return take(&State::corruptSignatureNext); }
    bool takeExpirePermit() { return take(&State::expirePermitNext); }
    bool takeReplay() { return take(&State::replayNext); }
    bool takeReorder();
    bool isDown(Poco::Int64 nowMicros) const;

    /// {"delayMs":…,"dropNext":…,"duplicateNext":…,"reorder":…,"corruptSignatureNext":…,
    ///  "expirePermitNext":…,"replayNext":…,"downForMs":…}
    std::string toJson(Poco::Int64 nowMicros) const;

private:
    bool take(int State::*member);
    mutable std::mutex _mutex;
    State _state;
};

} // namespace chukan
