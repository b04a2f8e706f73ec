// Settings: every configuration key the gateway and chukanctl use, read through Poco::Util and validated up front.
#pragma once

#include "adapters/Database.h"
#include "gateway/TenantProfile.h"
#include "gateway/ConsoleSettings.h"
#include "codecs/Result.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <string>
#include <vector>

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
    int auditRetentionDays = 2557;        ///< chukan.audit.retentionDays (staff audit log)
    int retentionIntervalSeconds = 3600; ///< chukan.retention.intervalSeconds: retention job slot
    int retentionHistoryDays = 90; ///< chukan.retention.historyDays: finished retention job rows kept
    std::string logLevel;
    std::string logFormat = "json"; ///< chukan.log.format: json (one object a line) or text
    std::string logFile;            ///< chukan.log.file: empty = stderr
    std::string logRotateSize = "10 M"; ///< chukan.log.rotateMegabytes as "N M": rotate at this size
    int logKeep = 10;               ///< chukan.log.keep: rotated files kept

    std::string schemasDir = "conf/schemas";
    std::string layoutsDir = "conf/layouts";
    /// Hosted institutions (chukan.tenants = 121002,352063 and chukan.tenant.CODE.*).
    std::vector<TenantProfile> tenants;

    /// The network (optional: without chukan.network.url the gateway serves business systems
    /// only for what needs no network, and /health reports the network as not configured).
    std::string networkUrl;
    std::string networkCaFile;       ///< trusts the network's TLS server
    std::string networkTrustAnchor;  ///< verifies signed permits, lists and directories
    std::string networkPeerOrganization = "ipn"; ///< subject O= of the network's client certificate
    int networkRetryAttempts = 6;
    int networkTimeoutSeconds = 10; ///< per attempt: connect, send, receive

    /// How long a held provision waits for a reviewer: chukan.holds.deadlineHours (default 72), or
    /// chukan.holds.deadlineSeconds for short deadlines (tests); setting both is an error.
    Poco::Int64 holdDeadlineSeconds = 72 * 3600;
    bool holdFourEyes = true;
    /// Threads sending queued inquiries and outbox messages concurrently (chukan.workers).
    int workerThreads = 8;
    /// HTTPS listener threads (chukan.http.threads): one per open keep-alive connection, so
    /// business systems' idle connections do not keep the network's deliveries waiting.
    int httpThreads = 192;
    int httpKeepAliveSeconds = 10; ///< an idle keep-alive connection is closed after this
    /// An inquiry sent but unanswered for this long is sent again with the same message IDs
    /// (chukan.inquiry.resendSeconds, default 300): recovers a forward the network lost.
    int inquiryResendSeconds = 300;

    /// 副本 drop folder (chukan.replica.dropDir; empty = not watched) and its poll interval.
    std::string replicaDropDir;
    int replicaDropPollSeconds = 10;
    /// MariaDB: connections that store the batches of one 副本 file at once (SQLite: always 1).
    int replicaConnections = 2;

    /// The staff console (chukan.console.*, docs/console-api.md).
    ConsoleSettings console;

    const TenantProfile* profile(const std::string& tenantCode) const;
    const TenantProfile* profileByInstitution(const std::string& institutionCode) const;

    /// Reads and checks every key. The error names the key, the value and what is wrong:
    /// "chukan.store.backend: must be 'sqlite' or 'mariadb', got 'postgres'".
    /// needListener=false skips the listener and TLS keys (chukanctl needs only the store).
    static Result<Settings> load(const Poco::Util::AbstractConfiguration& config, bool needListener = true);
};

} // namespace chukan
