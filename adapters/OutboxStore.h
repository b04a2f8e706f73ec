// OutboxStore: messages that must reach the network at least once, claimed and retried by any node.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <optional>
#include <vector>

namespace chukan {

struct OutboxMessage
{
    std::string messageId;   ///< the protocol MessageId (deterministic, so resends dedup)
    std::string kind;        ///< e.g. ProvisionResponse
    std::string destination; ///< where it goes: IPN, or an institution code
    std::string body;        ///< the serialised message
    std::string state;       ///< pending | sent | failed (set by the store)
    int attempts = 0;
    Poco::Int64 nextAttemptAt = 0;
    std::string lastError;
    Poco::Int64 createdAt = 0;
    std::optional<Poco::Int64> sentAt;
};

class OutboxStore
{
public:
    explicit OutboxStore(Database& db) : _db(db) {}

    /// Queues a message (due now). The same message ID again is OK and changes nothing, so the
    /// step that writes it may be repeated after a crash.
    Status add(const TenantCode& tenant, const OutboxMessage& message, Poco::Int64 nowMicros);
    std::optional<OutboxMessage> get(const TenantCode& tenant, const std::string& messageId);
    /// Pending messages due at nowMicros, oldest first.
    std::vector<OutboxMessage> due(const TenantCode& tenant, Poco::Int64 nowMicros, int limit);
    /// The same without the bodies (left empty): for a lister that hands each message to a task,
    /// which reads the one body it sends (get) once it has claimed the message.
    std::vector<OutboxMessage> dueWithoutBody(const TenantCode& tenant, Poco::Int64 nowMicros, int limit);
    /// Takes a due message for one send attempt: pending, with `attempts` unchanged since it was
    /// read, moves next_attempt_at to leaseUntil and counts the attempt. False when another node
    /// took it first.
    bool claim(const TenantCode& tenant, const OutboxMessage& message, Poco::Int64 leaseUntil);
    Status markSent(const TenantCode& tenant, const std::string& messageId, Poco::Int64 nowMicros);
    /// Leaves it pending, due again at nextAttemptAt, remembering why this attempt failed.
    Status markRetry(const TenantCode& tenant, const std::string& messageId, Poco::Int64 nextAttemptAt,
                     const std::string& error);
    /// A final, typed refusal by the receiver: the message will not be sent again.
    Status markFailed(const TenantCode& tenant, const std::string& messageId, const std::string& error);
    Poco::Int64 countByState(const TenantCode& tenant, const std::string& state);

private:
    std::vector<OutboxMessage> select(const std::string& where, const std::string& tenant,
                                      const std::vector<std::string>& args, Poco::Int64 number, int limit,
                                      bool withBody = true);
    Status update(const TenantCode& tenant, const std::string& messageId, const std::string& setSql,
                  const std::string& text, Poco::Int64 number);
    Database& _db;
};

} // namespace chukan
