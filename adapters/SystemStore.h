// SystemStore: the allow-list of connected business systems — certificate fingerprint, operations
// and 事務.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <optional>
#include <set>
#include <vector>

namespace chukan
{

struct ConnectedSystem
{
    std::string systemId; ///< e.g. juki, zeimu, yobo
    std::string name;
    std::string certFingerprint;      ///< SHA-256 of the client certificate, 64 lowercase hex
    std::set<std::string> operations; ///< e.g. fugo.register, replica.register, inquiry
    std::set<std::string> jimuCodes;  ///< 事務コード (16 characters) it may act for
    bool enabled = true;
    Poco::Int64 createdAt = 0;
};

class SystemStore
{
public:
    explicit SystemStore(Database& db) : _db(db) {}

    /// Registers an enabled system. ALREADY_EXISTS when the id or the fingerprint is taken.
    Status add(const TenantCode& tenant, const ConnectedSystem& system, Poco::Int64 nowMicros);
    std::optional<ConnectedSystem> get(const TenantCode& tenant, const std::string& systemId);
    /// The system presenting this certificate (enabled or not: the caller checks enabled).
    std::optional<ConnectedSystem> findByFingerprint(const TenantCode& tenant,
                                                     const std::string& fingerprint);
    /// Ordered by system id.
    std::vector<ConnectedSystem> list(const TenantCode& tenant);
    /// NOT_FOUND for an unknown system.
    Status setEnabled(const TenantCode& tenant, const std::string& systemId, bool enabled);

    static Status validate(const ConnectedSystem& system);

private:
    std::vector<ConnectedSystem> select(const std::string& where, const std::string& tenant,
                                        const std::string& value);

    Database& _db;
};

} // namespace chukan
