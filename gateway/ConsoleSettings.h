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
    int absoluteTimeoutMinutes = 480;    ///< a session never lives longer
    AccountRules account;                ///< lock-out, expiry, dormancy
    int passwordMinLength = 12;
    KdfParams kdf;
    std::vector<std::string> origins; ///< allowed Origin values; empty: https://<Host>
};

} // namespace chukan
