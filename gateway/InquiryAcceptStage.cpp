// InquiryAcceptStage: decode, accept through InquiryService, answer with the 処理通番 or the typed refusal.
#include "gateway/InquiryAcceptStage.h"

#include "codecs/ReasonCodes.h"

#include <Poco/NumberParser.h>
#include <Poco/Clock.h>

namespace chukan {

InquiryAcceptStage::InquiryAcceptStage(GatewayServices& s, std::shared_ptr<InquiryService> inquiries)
    : _services(s), _inquiries(std::move(inquiries))
{
    Result<std::shared_ptr<const XmlSchema>> schema = s.schemas->get(InquiryMessageCodec::SCHEMA_NAME);
    if (schema)
        _codec.reset(new InquiryMessageCodec(schema.value()));
}

InquiryResponse InquiryAcceptStage::responseFor(const Inquiry& q)
{
    InquiryResponse r;
    r.header.messageId = "RES-" + q.serial;
    r.header.messageType = "InquiryResponse";
    r.header.sourceSystem = "chukan";
    r.header.destinationSystem = q.systemId.empty() ? "unknown" : q.systemId;
    r.serialNo = q.serial;
    if (q.state == "queued" || q.state == "sent")
        r.status = q.state == "queued" ? "accepted" : "processing";
    else if (q.state == "completed" && q.result)
    {
        r.status = "completed";
        r.detailStatus = InquiryResponse::DETAIL_NORMAL;
        r.itemStatus = InquiryResponse::ITEM_NORMAL;
        r.resultFormat = "xml";
        r.hasResultData = true;
        r.resultData = *q.result; // unaltered
    }
    else
    {
        r.status = q.state == "completed" ? "completed" : "aborted";
        r.errorCode = q.errorCode.empty() ? "ERROR" : q.errorCode;
        r.errorMessage = q.errorMessage.empty() ? q.errorCode : q.errorMessage;
        ReasonCodes::StatusPair codes = ReasonCodes::statusOf(q.state, r.errorCode);
        r.detailStatus = codes.detail;
        r.itemStatus = codes.item;
    }
    return r;
}

std::optional<Inquiry> InquiryAcceptStage::waitForResult(const TenantCode& tenant, const std::string& serial,
                                                         int seconds, const ExchangeSignals::Waiter& waiter)
{
    if (!waiter)
        return InquiryStore(*_services.db).get(tenant, serial);
    // The waiter was subscribed before the inquiry was queued, so an end on this node always sets
    // it: the first read of the store can wait for it. The store is re-read at least every
    // RECHECK_MS for an answer taken by another node.
    const long RECHECK_MS = 1000;
    std::optional<Inquiry> q;
    Poco::Clock started;
    const Poco::Clock::ClockDiff budget = Poco::Clock::ClockDiff(seconds) * 1000000;
    do
    {
        long left = static_cast<long>((budget - started.elapsed()) / 1000) + 1;
        waiter->tryWait(std::min(left, RECHECK_MS));
        q = InquiryStore(*_services.db).get(tenant, serial);
    } while (q && !InquiryStore::isTerminal(q->state) && started.elapsed() < budget);
    _services.signals->unsubscribe(tenant.str(), serial, waiter);
    return q;
}

Stage::Outcome InquiryAcceptStage::run(Exchange& ex)
{
    if (!_codec)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", "online-inquiry schema unavailable");
        return STOP;
    }
    Result<InquiryRequest> req = _codec->decodeRequest(ex.body);
    if (!req)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_MESSAGE", req.status().message());
        return STOP;
    }
    int wait = 0;
    auto it = ex.query.find("wait");
    if (it != ex.query.end() && Poco::NumberParser::tryParse(it->second, wait))
        wait = std::max(0, std::min(wait, 30));
    // With ?wait, subscribe to the inquiry's end before it is queued (see waitForResult).
    const std::string serialNo = InquiryService::newSerial();
    ExchangeSignals::Waiter waiter;
    if (wait > 0)
        waiter = _services.signals->subscribe(ex.tenant->str(), serialNo);
    Result<std::string> serial = Status::internal("not accepted");
    try
    {
        serial = _inquiries->accept(ex, req.value(), "", serialNo);
    }
    catch (...)
    {
        if (waiter)
            _services.signals->unsubscribe(ex.tenant->str(), serialNo, waiter);
        throw;
    }
    if (!serial && waiter)
        _services.signals->unsubscribe(ex.tenant->str(), serialNo, waiter);
    InquiryResponse r;
    r.header.messageId = "RES-" + req.value().header.messageId.substr(0, 48);
    r.header.messageType = "InquiryResponse";
    r.header.sourceSystem = "chukan";
    r.header.destinationSystem = req.value().header.sourceSystem;
    if (!serial)
    {
        r.serialNo = "-";
        r.status = "aborted";
        r.errorCode = Status::codeName(serial.status().code());
        r.errorMessage = serial.status().message();
        Result<std::string> xml = InquiryMessageCodec::encodeResponse(r);
        ex.reply(serial.status().code() == Status::PERMISSION_DENIED ? Poco::Net::HTTPResponse::HTTP_FORBIDDEN
                                                                     : Poco::Net::HTTPResponse::HTTP_CONFLICT,
                 "application/xml; charset=UTF-8", xml ? xml.value() : serial.status().message());
        ex.errorCode = r.errorCode;
        return STOP;
    }
    std::optional<Inquiry> q = waitForResult(*ex.tenant, serial.value(), wait, waiter);
    InquiryResponse now = q ? responseFor(*q) : r;
    now.header.destinationSystem = req.value().header.sourceSystem;
    Result<std::string> xml = InquiryMessageCodec::encodeResponse(now);
    if (!xml)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", xml.status().message());
        return STOP;
    }
    ex.reply(q && InquiryStore::isTerminal(q->state) ? Poco::Net::HTTPResponse::HTTP_OK
                                                     : Poco::Net::HTTPResponse::HTTP_ACCEPTED,
             "application/xml; charset=UTF-8", xml.value());
    return STOP;
}

} // namespace chukan
