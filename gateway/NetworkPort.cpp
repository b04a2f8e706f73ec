// NetworkPort: the batched calls made one by one, for ports that have no batch message.
#include "gateway/NetworkPort.h"

namespace chukan {

std::vector<Result<PermitGrant>> NetworkPort::requestPermits(const TenantProfile& tenant,
                                                             const std::vector<PermitAsk>& asks)
{
    std::vector<Result<PermitGrant>> out;
    out.reserve(asks.size());
    for (const PermitAsk& ask : asks)
        out.push_back(requestPermit(tenant, ask));
    return out;
}

std::vector<Status> NetworkPort::sendInquiries(const TenantProfile& tenant, const std::vector<InquirySend>& inquiries)
{
    std::vector<Status> out;
    out.reserve(inquiries.size());
    for (const InquirySend& q : inquiries)
        out.push_back(sendInquiry(tenant, q.messageId, q.serial, q.permit));
    return out;
}

std::vector<Status> NetworkPort::sendResponses(const TenantProfile& tenant, const std::vector<StoredMessage>& messages)
{
    std::vector<Status> out;
    out.reserve(messages.size());
    for (const StoredMessage& m : messages)
        out.push_back(sendResponse(tenant, m.xml));
    return out;
}

} // namespace chukan
