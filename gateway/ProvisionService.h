// ProvisionService: 情報提供 — answers the network's inquiries from the 副本, holding what may not be answered automatically.
#pragma once

#include "adapters/ProvisionStore.h"
#include "codecs/IpnMessage.h"
#include "codecs/PermitVerifier.h"
#include "gateway/GatewayServices.h"

namespace chukan {

/// receive() is the whole provider side of one inquiry, in this order:
///   1. the Inquiry is addressed to a hosted institution (else UNKNOWN_INSTITUTION);
///   2. the permit verifies: network signature under the trust anchor, validity, addressed to
///      this institution, same permit id as the message (else a typed Error, recorded; an
///      expired, not yet valid or badly signed permit is also answered "refused" to the requester);
///   3. the request is stored (idempotent by message ID; a permit used by another message is
///      PERMIT_REPLAYED, recorded);
///   4. the local permission list allows requester × us × 事務 × 手続き × item (else refused);
///   5. 符号 → 統合宛名番号 (else no_data), then the current, published 副本 (else no_data);
///   6. any item flagged 自動応答不可 → held for a reviewer (recorded as held);
///      otherwise the items are sealed to the requester's encryption certificate.
/// An answer is recorded (情報提供等記録) before its ProvisionResponse is queued in the outbox,
/// so no answer leaves unrecorded. Every step is idempotent: the network's resend of the same
/// message resumes where a crash stopped and never answers twice.
class ProvisionService
{
public:
    explicit ProvisionService(GatewayServices& services);

    /// Returns the reply for the network: an Ack (the answer follows through the outbox) or a
    /// typed Error.
    IpnMessage receive(const IpnMessage& inquiry);

    /// A reviewer's decision on a held provision. approve: provide (with four-eyes, the first
    /// approval only records the reviewer); reject: refused with `reason`, a reviewer code of
    /// ReasonCodes (empty = REJECTED_BY_REVIEWER; anything else is INVALID_ARGUMENT).
    Status decideHold(const TenantCode& tenant, const std::string& holdId, bool approve, const std::string& reviewer,
                      const std::string& reason);

    /// Refuses every held provision past its deadline; returns how many.
    int expireHolds(const TenantCode& tenant);

    /// The payload document sealed to the requester: the items as registered, unaltered.
    static std::string payloadXml(const std::vector<struct ReplicaItem>& items);

private:
    struct Answer
    {
        std::string outcome; ///< provided | no_data | refused
        std::string reason;
        std::string payload; ///< sealed CMS, provided only
        std::string atenaNo;
    };
    Status answer(const TenantProfile& profile, const ProvisionRequest& request, const Answer& answer);
    /// `checkRecorded` false: the caller knows no record of this outcome exists yet (it has just
    /// answered the request in this transaction), so the search for one is skipped.
    Status record(const TenantProfile& profile, const ProvisionRequest& request, const std::string& atena,
                  const std::string& outcome, const std::string& reason, bool provided, bool checkRecorded = true);
    /// Queues the ProvisionResponse "R-<messageId>" in the outbox (the same ID again changes nothing).
    Status queueResponse(const TenantProfile& profile, const std::string& messageId, const std::string& requester,
                         const std::string& serial, const std::string& permitId, const std::string& route,
                         const std::string& outcome, const std::string& reason, const std::string& payload);
    IpnMessage refuseMessage(const IpnMessage& inquiry, IpnErrorCode code, const std::string& message,
                             const TenantProfile* profile, const std::string& requester);
    /// Steps 4-6 for a stored request in state received.
    Status process(const TenantProfile& profile, const ProvisionRequest& request);

    GatewayServices& _services;
    std::unique_ptr<SecureXmlParser> _parser;
    Counter& _provided;
    Counter& _noData;
    Counter& _refused;
    Counter& _held;
    Counter& _errors;
};

} // namespace chukan
