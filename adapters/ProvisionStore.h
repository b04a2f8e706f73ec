// ProvisionStore: 情報提供 requests received from the network — idempotent by message ID, one use
// per permit.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <optional>
#include <vector>

namespace chukan
{

struct ProvisionRequest
{
    std::string messageId;     ///< the network's message ID (key)
    std::string permitId;      ///< 情報提供許可証 ID; a permit is used once
    std::string requesterCode; ///< 機関コード, 16 characters
    std::string jimuCode;      ///< 事務コード, 16 characters
    std::string procedureCode; ///< 事務手続きコード, 16 characters
    std::string itemCode;      ///< 特定個人情報名コード, 16 characters
    std::string fugo;          ///< the requester's view of the subject, translated by the network
    std::string route;         ///< 経路情報 the network gave
    std::string serial;        ///< the requester's 処理通番, echoed on the answer (may be empty)
    std::string state;         ///< received | held | answered (set by the store)
    std::string outcome;       ///< empty until answered (provided, refused, not_found, ...)
    std::string response;      ///< the stored answer (encrypted bytes); empty until answered
    Poco::Int64 receivedAt = 0;
    std::optional<Poco::Int64> answeredAt;
};

/// What add() did: the stored row, and whether the message had been received before.
struct ProvisionAdd
{
    ProvisionRequest row;
    bool duplicate = false; ///< true: the network resent; answer with row.response if answered
};

class ProvisionStore
{
public:
    explicit ProvisionStore(Database& db) : _db(db) {}

    /// Stores a new request in state received. The same message ID again returns the stored row
    /// with duplicate = true (ALREADY_EXISTS if it names a different permit). ALREADY_EXISTS
    /// "permit … already used" when another message used the permit (a replay).
    Result<ProvisionAdd> add(const TenantCode& tenant, const ProvisionRequest& request,
                             Poco::Int64 nowMicros);
    std::optional<ProvisionRequest> get(const TenantCode& tenant, const std::string& messageId);
    /// received -> held (the answer waits for a reviewer). FAILED_PRECONDITION from any other
    /// state.
    Status markHeld(const TenantCode& tenant, const std::string& messageId, Poco::Int64 nowMicros);
    /// received|held -> answered, storing the outcome and the response bytes. FAILED_PRECONDITION
    /// when already answered (two nodes cannot both answer), NOT_FOUND when unknown.
    Status setAnswered(const TenantCode& tenant, const std::string& messageId,
                       const std::string& outcome, const std::string& responseBytes,
                       Poco::Int64 nowMicros);
    /// Oldest first.
    std::vector<ProvisionRequest> listByState(const TenantCode& tenant, const std::string& state,
                                              int limit);

    static Status validate(const ProvisionRequest& request);

private:
    Status classify(const TenantCode& tenant, const std::string& messageId,
                    const std::string& expected);

    Database& _db;
};

} // namespace chukan
