// IpnNetworkPort: the NetworkPort that speaks docs/protocol.md to the network through IpnClient, one identity per tenant.
#pragma once

#include "adapters/IpnClient.h"
#include "gateway/NetworkPort.h"
#include "gateway/Settings.h"

#include <atomic>
#include <map>
#include <memory>

namespace chukan {

class IpnNetworkPort : public NetworkPort
{
public:
    /// One IpnClient per hosted tenant, presenting that tenant's network certificate.
    IpnNetworkPort(const Settings& settings, std::shared_ptr<const SecureXmlParser> parser,
                   std::shared_ptr<Clock> clock);

    Result<std::string> obtainFugo(const TenantProfile& tenant, const std::string& juminhyoCode) override;
    Result<PermitGrant> requestPermit(const TenantProfile& tenant, const PermitAsk& ask) override;
    Status sendInquiry(const TenantProfile& tenant, const std::string& messageId, const std::string& serial,
                       const PermitGrant& permit) override;
    Status sendResponse(const TenantProfile& tenant, const std::string& xml) override;
    /// More than one item: Batch messages to /ipn/v1/batch of at most IpnMessage::MAX_BATCH items.
    std::vector<Result<PermitGrant>> requestPermits(const TenantProfile& tenant,
                                                    const std::vector<PermitAsk>& asks) override;
    std::vector<Status> sendInquiries(const TenantProfile& tenant, const std::vector<InquirySend>& inquiries) override;
    std::vector<Status> sendResponses(const TenantProfile& tenant, const std::vector<StoredMessage>& messages) override;
    Result<std::string> fetchPermissionList(const TenantProfile& tenant) override;
    Result<std::string> fetchDirectory(const TenantProfile& tenant) override;

    /// A typed Error reply as a Status whose message starts with the protocol code.
    static Status fromError(const IpnMessage& reply);

private:
    IpnHeader header(const TenantProfile& tenant, const std::string& messageId) const;
    Result<IpnMessage> post(const TenantProfile& tenant, const std::string& path, const IpnMessage& message,
                            IpnMessage::Kind expected);
    /// The reply to `xml` (already serialised) when it is of kind `expected`, else the Error as a Status.
    Result<IpnMessage> postXml(const TenantProfile& tenant, const std::string& path, const std::string& xml,
                               IpnMessage::Kind expected);
    IpnMessage permitRequest(const TenantProfile& tenant, const PermitAsk& ask) const;
    IpnMessage inquiry(const TenantProfile& tenant, const InquirySend& q) const;
    /// The answers to `items` sent as Batches: answer n is the reply to item n, of kind `expected`
    /// or the Status the single call would give. A failure of a whole Batch (transport, a typed
    /// Error, a reply that does not match it) is each of its items' answer; an item without
    /// bytes is refused alone (INVALID_ARGUMENT) and not sent. A network that answers a Batch with
    /// something that is not a protocol message (CORRUPTION: one without /ipn/v1/batch, a 404)
    /// gets the items one by one at `path`, then and from then on.
    std::vector<Result<IpnMessage>> postBatch(const TenantProfile& tenant, const std::vector<StoredMessage>& items,
                                              const std::string& path, IpnMessage::Kind expected);
    /// The single call's Result from one item of a BatchReply.
    static Result<IpnMessage> expect(const Result<IpnMessage>& reply, IpnMessage::Kind expected);
    IpnClient& client(const TenantProfile& tenant);

    std::string _url;
    std::shared_ptr<const SecureXmlParser> _parser;
    std::shared_ptr<Clock> _clock;
    std::map<std::string, std::unique_ptr<IpnClient>> _clients; ///< by tenant code; built once
    std::atomic<bool> _noBatches{false}; ///< the network answered a Batch as an unknown request
};

} // namespace chukan
