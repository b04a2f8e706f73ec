// InquiryResender: sends an inquiry again, with the same message IDs, when its answer is overdue.
#pragma once

#include "gateway/InquiryService.h"

namespace chukan
{

/// An inquiry in state sent whose last send is older than chukan.inquiry.resendSeconds is sent
/// again exactly as before: PermitRequest "PR-<serial>" (the network answers it with the permit
/// it issued the first time) and Inquiry "IQ-<serial>" under that permit. The network and the
/// provider deduplicate by message ID, so a resend never causes a second provision; it recovers
/// a forward the network lost (the network forwards a resent message again when its first
/// forward was not delivered, docs/protocol.md). Each attempt restarts the timeout; a typed
/// refusal (anything but UNAVAILABLE) ends the inquiry in state error, recorded.
/// Any number of nodes may run it: the state change after a send is conditional.
class InquiryResender
{
public:
    InquiryResender(GatewayServices& services, std::shared_ptr<InquiryService> inquiries);

    /// Resends up to `limit` overdue inquiries per tenant; returns how many were sent again.
    int resendOverdue(int limit);

    /// Resends one inquiry if it is still in state sent (OK and nothing sent otherwise).
    /// UNAVAILABLE: try again after the next timeout. Any other error is the network's typed
    /// refusal, after which the inquiry is in state error and recorded.
    Status resend(const TenantProfile& profile, const std::string& serial);

private:
    Status fail(const TenantProfile& profile, const Inquiry& q, const Status& why);

    GatewayServices& _services;
    std::shared_ptr<InquiryService> _inquiries;
    Counter& _resent;
    Counter& _failed;
};

} // namespace chukan
