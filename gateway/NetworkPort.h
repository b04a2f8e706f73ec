// NetworkPort: what the gateway asks of the national network; IpnNetworkPort speaks the protocol, tests fake it.
#pragma once

#include "codecs/Result.h"
#include "gateway/TenantProfile.h"

#include <string>
#include <vector>

namespace chukan {

/// A permit the network issued for one inquiry.
struct PermitGrant
{
    std::string permitId;
    std::string signedPermit; ///< SignedEnvelope JSON, carried unchanged to the provider
};

/// What an inquiry asks for (the subject named by the requester's own 符号).
struct PermitAsk
{
    std::string messageId;     ///< deterministic per inquiry, so a resend is deduplicated
    std::string provider;
    std::string jimuCode;
    std::string procedureCode;
    std::string dataItemCode;
    std::string requesterFugo;
};

/// One inquiry to send under its permit (sendInquiries).
struct InquirySend
{
    std::string messageId; ///< "IQ-" + serial
    std::string serial;
    PermitGrant permit;
};

/// A message already serialised (a ProvisionResponse from the outbox), with its MessageId.
struct StoredMessage
{
    std::string messageId;
    std::string xml;
};

/// Errors come back as values. A typed refusal by the network keeps its protocol code as the
/// first word of the message ("NOT_PERMITTED: …", "NO_FUGO: …"); UNAVAILABLE means the network
/// could not be reached after the configured retries.
class NetworkPort
{
public:
    virtual ~NetworkPort() = default;

    /// 符号取得: sends the 住民票コード once and returns this institution's 符号 for the person.
    /// REQUIRES: juminhyoCode is 11 digits. The caller must not keep juminhyoCode afterwards.
    virtual Result<std::string> obtainFugo(const TenantProfile& tenant, const std::string& juminhyoCode) = 0;

    /// 情報提供許可証 for one inquiry.
    virtual Result<PermitGrant> requestPermit(const TenantProfile& tenant, const PermitAsk& ask) = 0;

    /// Sends the inquiry under the permit; OK once the network acknowledged it.
    virtual Status sendInquiry(const TenantProfile& tenant, const std::string& messageId, const std::string& serial,
                               const PermitGrant& permit) = 0;

    /// Sends an already serialised protocol message (a ProvisionResponse from the outbox).
    virtual Status sendResponse(const TenantProfile& tenant, const std::string& xml) = 0;

    /// Several of the calls above at once: item n of the answer answers item n of the input,
    /// exactly as the single call would. IpnNetworkPort sends more than one as one Batch
    /// message (docs/protocol.md "Batches"); this default makes the single calls in turn.
    virtual std::vector<Result<PermitGrant>> requestPermits(const TenantProfile& tenant,
                                                            const std::vector<PermitAsk>& asks);
    virtual std::vector<Status> sendInquiries(const TenantProfile& tenant, const std::vector<InquirySend>& inquiries);
    virtual std::vector<Status> sendResponses(const TenantProfile& tenant, const std::vector<StoredMessage>& messages);

    /// The signed permission list and directory (SignedEnvelope JSON), unverified.
    virtual Result<std::string> fetchPermissionList(const TenantProfile& tenant) = 0;
    virtual Result<std::string> fetchDirectory(const TenantProfile& tenant) = 0;
};

} // namespace chukan
