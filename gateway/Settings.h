// Settings: every configuration key the gateway and chukanctl use, read through Poco::Util and validated up front.
#pragma once

#include "adapters/Database.h"
#include "codecs/Result.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <string>

namespace chukan {

struct Settings
{
    std::string nodeId;
    std::string dataDir;
    Database::Options store;
    std::string listenHost;
    int listenPort = 0;
    std::string tlsCertificate;
    std::string tlsPrivateKey;
    std::string tlsCaFile;
    int recordsRetentionDays = 2557;
    int inquiryResultRetentionDays = 30;
    std::string logLevel;

    /// Reads and checks every key. The error names the key, the value and what is wrong:
    /// "chukan.store.backend: must be 'sqlite' or 'mariadb', got 'postgres'".
    /// needListener=false skips the listener and TLS keys (chukanctl needs only the store).
    static Result<Settings> load(const Poco::Util::AbstractConfiguration& config, bool needListener = true);
};

} // namespace chukan
