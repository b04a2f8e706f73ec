// CryptoError: turns this thread's OpenSSL error queue into a Status message.
#pragma once

#include "codecs/Status.h"

#include <string>

namespace chukan {

/// OpenSSL keeps a per-thread error queue, so these are safe to call from any thread.
class CryptoError
{
public:
    /// Removes every queued error and returns their reason strings joined by "; " ("" if none).
    static std::string drain();
    /// Discards queued errors (call before an operation whose errors will be reported).
    static void clear();
    /// Status(code, "what: <queued OpenSSL reasons>"); drains the queue.
    static Status status(Status::Code code, const std::string& what);
};

} // namespace chukan
