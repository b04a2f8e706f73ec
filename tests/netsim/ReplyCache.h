// ReplyCache: ipn-sim's bounded memory of answered message IDs, so duplicates get the first answer and act once.
#pragma once

#include "codecs/IpnMessage.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace chukan
{

/// Keyed by sender + MessageId. begin() either returns the stored reply (a duplicate), or claims
/// the key for the caller (nullopt), who must then finish() or abandon() it; a concurrent
/// duplicate waits for the claim to end. Oldest keys are forgotten beyond `capacity`.
/// Thread-safe.
class ReplyCache
{
public:
    struct Stored
    {
        int status = 200;
        IpnMessage reply;
    };

    explicit ReplyCache(std::size_t capacity) : _capacity(capacity == 0 ? 1 : capacity) {}

    std::optional<Stored> begin(const std::string& key);
    void finish(const std::string& key, Stored stored);
    /// Releases the claim without storing (e.g. the answer was UNAVAILABLE: a retry must act).
    void abandon(const std::string& key);
    std::size_t size() const;

private:
    mutable std::mutex _mutex;
    std::condition_variable _done;
    std::size_t _capacity;
    std::unordered_map<std::string, Stored> _stored; ///< hashed: keys share long prefixes
    std::deque<std::string> _order;
    std::unordered_set<std::string> _inFlight;
};

} // namespace chukan
