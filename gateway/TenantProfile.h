// TenantProfile: what the gateway needs to act for one hosted institution (codes, keys, network identity).
#pragma once

#include "codecs/TenantCode.h"

#include <string>

namespace chukan {

struct TenantProfile
{
    TenantCode tenant;
    std::string institutionCode;     ///< 16-character 機関コード
    std::string encryptionCertPath;  ///< results are sealed to this certificate by providers
    std::string encryptionKeyPath;   ///< opens them (never leaves the gateway)
    std::string networkCertPath;     ///< TLS client certificate toward the network (O=tenant)
    std::string networkKeyPath;
};

} // namespace chukan
