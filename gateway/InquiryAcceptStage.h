// InquiryAcceptStage: POST /api/v1/inquiries — an online InquiryRequest in, a 処理通番 (or the refusal) out.
#pragma once

#include "codecs/InquiryMessageCodec.h"
#include "gateway/ExchangeSignals.h"
#include "gateway/InquiryService.h"
#include "gateway/Stage.h"

namespace chukan {

/// Replies with an InquiryResponse (urn:chukan:inquiry:1): 202 and Status "accepted" with the
/// SerialNo; 403/409 and Status "aborted" with Error Code/Message for a refusal (the texts
/// business systems know: 「…の照会は許可されていません。」, 「…は符号が未取得です。」).
/// With ?wait=SECONDS (at most 30) it first waits, bounded, for the result: woken at once when this
/// node finishes the inquiry (ExchangeSignals), re-reading the store every second otherwise.
class InquiryAcceptStage : public Stage
{
public:
    InquiryAcceptStage(GatewayServices& services, std::shared_ptr<InquiryService> inquiries);
    const char* name() const override { return "inquiry_accept"; }
    Outcome run(Exchange& exchange) override;

    /// The InquiryResponse for the current state of an inquiry (shared with the result endpoint).
    static InquiryResponse responseFor(const Inquiry& inquiry);

private:
    /// The inquiry after up to `seconds` of waiting for a final state on `waiter`, subscribed before
    /// the inquiry was queued (so no end can pass unseen and the store is first read after a wait);
    /// with no waiter, the inquiry as it is now.
    std::optional<Inquiry> waitForResult(const TenantCode& tenant, const std::string& serial, int seconds,
                                         const ExchangeSignals::Waiter& waiter);

    GatewayServices& _services;
    std::shared_ptr<InquiryService> _inquiries;
    std::unique_ptr<InquiryMessageCodec> _codec;
};

} // namespace chukan
