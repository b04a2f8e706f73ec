// FugoStore: 符号管理 — the (tenant, 統合宛名番号) ↔ 符号 map; 住民票コード never reaches it.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <map>
#include <optional>
#include <vector>

namespace chukan {

struct FugoRow
{
    std::string atenaNo;             ///< 団体内統合宛名番号, 15 digits
    std::string fugo;                ///< empty while requested
    std::string state;               ///< requested | obtained | failed
    Poco::Int64 requestedAt = 0;
    std::optional<Poco::Int64> obtainedAt;
};

class FugoStore
{
public:
    explicit FugoStore(Database& db) : _db(db) {}

    /// Records that a 符号 was requested for atenaNo (idempotent: an existing row is kept).
    Status markRequested(const TenantCode& tenant, const std::string& atenaNo, Poco::Int64 nowMicros);
    /// Stores the obtained 符号. ALREADY_EXISTS when the atena number already has a different
    /// 符号 or the 符号 belongs to another atena number of this tenant.
    Status putObtained(const TenantCode& tenant, const std::string& atenaNo, const std::string& fugo,
                       Poco::Int64 nowMicros);
    std::optional<FugoRow> findByAtena(const TenantCode& tenant, const std::string& atenaNo);
    std::optional<FugoRow> findByFugo(const TenantCode& tenant, const std::string& fugo);
    Poco::Int64 countObtained(const TenantCode& tenant);
    /// The obtained 符号 of each of atenaNos that has one (atena number -> 符号), looked up a few
    /// hundred at a time (bulk inquiries: no round trip per record).
    std::map<std::string, std::string> findObtained(const TenantCode& tenant,
                                                    const std::vector<std::string>& atenaNos);

    /// 15 ASCII digits.
    static Status validateAtena(const std::string& atenaNo);

private:
    Database& _db;
};

} // namespace chukan
