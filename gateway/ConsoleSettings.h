// ConsoleSettings: the staff console's configuration (chukan.console.*), validated by Settings::load.
#pragma once

#include "adapters/PasswordHasher.h"
#include "policy/AccountPolicy.h"

#include <string>
#include <vector>

namespace chukan
{

/// Keys and ranges are listed in docs/console-api.md, "Configuration".
struct ConsoleSettings
{
    std::string dir = "gateway/console"; ///< static files served at /console/
    int idleTimeoutMinutes = 15;         ///< automatic log-off after this long without a request
    /// chukan.console.idleTimeoutSeconds (5–14400; 0 = unset): the idle time-out in seconds, for
    /// tests that watch the automatic log-off; setting it and idleTimeoutMinutes is an error.
    int idleTimeoutSeconds = 0;
    int absoluteTimeoutMinutes = 480;    ///< a session never lives longer
    AccountRules account;                ///< lock-out, expiry, dormancy
    int passwordMinLength = 12;
    KdfParams kdf;
    std::vector<std::string> origins; ///< allowed Origin values; empty: https://<Host>

    /// The idle time-out in seconds, whichever key set it: use this, not idleTimeoutMinutes.
    long long idleSeconds() const
    {
        return idleTimeoutSeconds > 0 ? idleTimeoutSeconds : static_cast<long long>(idleTimeoutMinutes) * 60;
    }
};

} // namespace chukan
