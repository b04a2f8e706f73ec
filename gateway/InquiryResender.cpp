// InquiryResender: overdue sent inquiries, oldest first, resent under their deterministic message
// IDs.
#include "gateway/InquiryResender.h"

#include "adapters/FugoStore.h"

#include <Poco/Logger.h>

namespace chukan
{

InquiryResender::InquiryResender(GatewayServices& s, std::shared_ptr<InquiryService> inquiries)
    : _services(s), _inquiries(std::move(inquiries)),
      _resent(s.metrics.counter("chukan_inquiry_resent_total", "outcome=\"sent\"",
                                "Inquiries sent again because their answer was overdue")),
      _failed(s.metrics.counter("chukan_inquiry_resent_total", "outcome=\"refused\""))
{
}

int InquiryResender::resendOverdue(int limit)
{
    if (!_services.network)
        return 0;
    Poco::Int64 timeout = Poco::Int64(_services.settings.inquiryResendSeconds) * 1000000;
    int resent = 0;
    for (const TenantProfile& p : _services.settings.tenants)
        for (const Inquiry& q : InquiryStore(*_services.db).listByState(p.tenant, "sent", limit))
        {
            if (q.updatedAt + timeout > _services.clock->nowMicros())
                break; // least recently updated first: the rest are not overdue either
            Status st = resend(p, q.serial);
            if (st)
                ++resent;
            else
                Poco::Logger::get("chukan.inquiry")
                    .warning("tenant %s inquiry %s: resend failed: %s", p.tenant.str(), q.serial,
                             st.message());
        }
    return resent;
}

Status InquiryResender::resend(const TenantProfile& profile, const std::string& serial)
{
    InquiryStore inquiries(*_services.db);
    std::optional<Inquiry> q = inquiries.get(profile.tenant, serial);
    if (!q)
        return Status::notFound("inquiry " + serial + " does not exist");
    if (q->state != "sent" || !_services.network)
        return Status::ok();
    // Whatever happens next, the timeout starts again (a network that is down is not hammered).
    Status touched =
        inquiries.transition(profile.tenant, serial, "sent", "sent", _services.clock->nowMicros());
    if (!touched)
        return touched.code() == Status::FAILED_PRECONDITION ? Status::ok()
                                                             : touched; // answered meanwhile
    std::optional<FugoRow> fugo = FugoStore(*_services.db).findByAtena(profile.tenant, q->atenaNo);
    if (!fugo || fugo->fugo.empty())
        return fail(profile, *q,
                    Status::precondition("NO_FUGO: 指定された団体内統合宛名番号「" + q->atenaNo +
                                         "」は符号が未取得です。"));
    PermitAsk ask{"PR-" + serial,   q->providerCode, q->jimuCode,
                  q->procedureCode, q->itemCode,     fugo->fugo};
    Result<PermitGrant> permit = _services.network->requestPermit(profile, ask);
    if (!permit)
        return permit.status().code() == Status::UNAVAILABLE ? permit.status()
                                                             : fail(profile, *q, permit.status());
    Status sent = _services.network->sendInquiry(profile, "IQ-" + serial, serial, permit.value());
    if (!sent)
        return sent.code() == Status::UNAVAILABLE ? sent : fail(profile, *q, sent);
    _resent.inc();
    Poco::Logger::get("chukan.inquiry")
        .information("tenant %s inquiry %s: answer overdue, sent again as IQ-%s",
                     profile.tenant.str(), serial, serial);
    return Status::ok();
}

Status InquiryResender::fail(const TenantProfile& profile, const Inquiry& q, const Status& why)
{
    _failed.inc();
    const std::string& message = why.message();
    std::string code = message.substr(0, message.find(':')).substr(0, 32);
    Status st = InquiryStore(*_services.db)
                    .transition(profile.tenant, q.serial, "sent", "error",
                                _services.clock->nowMicros(), code, message.substr(0, 1000));
    if (!st)
        return st.code() == Status::FAILED_PRECONDITION ? Status::ok() : st; // answered meanwhile
    st = _inquiries->recordOutcome(profile, q, "error", message, false);
    _inquiries->finished(profile.tenant, q.serial);
    return st ? why : st;
}

} // namespace chukan
