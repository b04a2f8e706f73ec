// TenantStore: the hosted institutions (tenants) and their 機関コード.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <optional>
#include <vector>

namespace chukan {

struct TenantRow
{
    std::string tenantCode;      ///< 地方公共団体コード
    std::string name;            ///< e.g. 千葉市
    std::string institutionCode; ///< 16-character 機関コード
    std::string status = "active";
    Poco::Int64 createdAt = 0;
};

class TenantStore
{
public:
    explicit TenantStore(Database& db) : _db(db) {}

    /// ALREADY_EXISTS when the tenant is registered; INVALID_ARGUMENT for a bad 機関コード or name.
    Status add(const TenantCode& tenant, const std::string& name, const std::string& institutionCode,
               Poco::Int64 nowMicros);
    std::optional<TenantRow> get(const TenantCode& tenant);
    /// Platform administration only: every hosted tenant.
    std::vector<TenantRow> listAll();

private:
    Database& _db;
};

} // namespace chukan
