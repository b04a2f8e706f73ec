// NetworkPort: what the gateway asks of the national network; IpnNetworkPort speaks the protocol, tests fake it.
#pragma once

#include "codecs/Result.h"
#include "gateway/TenantProfile.h"

#include <string>

namespace chukan {

/// Errors come back as values. A typed refusal by the network keeps its protocol code as the
/// first word of the message ("NOT_PERMITTED: …", "NO_FUGO: …"); UNAVAILABLE means the network
/// could not be reached after the configured retries.
class NetworkPort
{
public:
    virtual ~NetworkPort() = default;

    /// 符号取得: sends the 住民票コード once and returns this institution's 符号 for the person.
    /// REQUIRES: juminhyoCode is 11 digits. The caller must not keep juminhyoCode afterwards.
    virtual Result<std::string> obtainFugo(const TenantProfile& tenant, const std::string& juminhyoCode) = 0;
};

} // namespace chukan
