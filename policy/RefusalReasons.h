// RefusalReasons: the fixed reason codes a reviewer may give when refusing (拒否) a held provision.
#pragma once

#include <string>
#include <vector>

namespace chukan
{

/// Pure and thread-safe.
class RefusalReasons
{
public:
    struct Reason
    {
        std::string code;  ///< recorded in 情報提供等記録 and sent to the requester: never reveals
                           ///< why the person is held
        std::string label; ///< Japanese label for the console
    };

    static const std::vector<Reason>& all();
    static bool isKnown(const std::string& code);
};

} // namespace chukan
