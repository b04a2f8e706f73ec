// InquiryService: 情報照会 — accepts a business system's inquiry, sends it under a permit, and keeps the decrypted result.
#pragma once

#include "adapters/InquiryStore.h"
#include "codecs/InquiryRequest.h"
#include "codecs/IpnMessage.h"
#include "gateway/Exchange.h"
#include "gateway/FileCache.h"
#include "gateway/GatewayServices.h"

namespace chukan {

/// The requester side, in three steps that may run on different nodes:
///   accept()   — policy (InquiryPolicy: system rights, local list, 符号) then a queued row and a
///                処理通番; a refusal is recorded and returned as a typed Status;
///   dispatch() — permit request and Inquiry, with deterministic message IDs ("PR-"/"IQ-" + serial)
///                so a resend after a crash is deduplicated by the network; queued → sent;
///   receive()  — the ProvisionResponse: decrypt with this tenant's key, keep the content
///                unaltered, record, sent → completed.
class InquiryService
{
public:
    explicit InquiryService(GatewayServices& services);

    /// Returns the 処理通番 (`serial` when given, one from newSerial() otherwise: a caller that made
    /// it can subscribe to the inquiry's end before the worker sees it). PERMISSION_DENIED /
    /// FAILED_PRECONDITION carry the business-facing texts.
    Result<std::string> accept(const Exchange& ex, const InquiryRequest& request, const std::string& batchId = "",
                               const std::string& serial = "");

    /// Sends one queued inquiry. UNAVAILABLE leaves it queued for the next round; a typed refusal
    /// by the network ends it in state error (recorded).
    Status dispatch(const TenantCode& tenant, const std::string& serial);

    /// dispatch() for several inquiries of one tenant: their permit requests in one network
    /// message, then their inquiries in one, then one transaction for their state changes.
    /// Answer n is dispatch()'s for serials[n].
    std::vector<Status> dispatchBatch(const TenantCode& tenant, const std::vector<std::string>& serials);

    /// Dispatches up to `limit` queued inquiries of every hosted tenant; returns how many were sent.
    int dispatchQueued(int limit);

    /// The network delivering a result: Ack, or a typed Error.
    IpnMessage receive(const IpnMessage& response);

    /// A new 処理通番 (Q + 16 hex digits).
    static std::string newSerial();

    /// Writes the inquiry's 情報提供等記録 once per 処理通番 (InquiryResender uses it too).
    Status recordOutcome(const TenantProfile& profile, const Inquiry& inquiry, const std::string& outcome,
                         const std::string& reason, bool provided)
    {
        return record(profile, inquiry, outcome, reason, provided);
    }

    /// Wakes the requests waiting for `serial` (it reached a final state); returns `st`.
    Status finished(const TenantCode& tenant, const std::string& serial, const Status& st = Status::ok());

private:
    /// `checkRecorded` false: the caller has just moved the inquiry to its final state in this
    /// transaction, so no record of it can exist yet (records are written only for final states).
    Status record(const TenantProfile& profile, const Inquiry& inquiry, const std::string& outcome,
                  const std::string& reason, bool provided, bool checkRecorded = true);
    /// queued → error with `code` and the business-facing `message`, recorded with `recordedReason`;
    /// wakes the inquiry's waiters.
    Status fail(const TenantProfile& profile, const Inquiry& q, const std::string& code, const std::string& message,
                const std::string& recordedReason);
    GatewayServices& _services;
    FileCache _keyFiles; ///< the tenants' encryption key PEMs
    Counter& _accepted;
    Counter& _refused;
    Counter& _sent;
    Counter& _completed;
};

} // namespace chukan
