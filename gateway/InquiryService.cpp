// InquiryService: policy, queue, permit, send, decrypt, record — the requester side of an exchange.
#include "gateway/InquiryService.h"

#include "adapters/FugoStore.h"
#include "adapters/RecordStore.h"
#include "codecs/CmsEnvelope.h"
#include "codecs/ReasonCodes.h"
#include "gateway/PipelineHandler.h"
#include "policy/InquiryPolicy.h"

#include <Poco/Logger.h>

namespace chukan
{

namespace
{

Poco::Timestamp toTimestamp(Poco::Int64 micros)
{
    return Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(micros));
}

} // namespace

InquiryService::InquiryService(GatewayServices& s)
    : _services(s),
      _accepted(s.metrics.counter("chukan_inquiry_total", "step=\"accepted\"", "情報照会 steps")),
      _refused(s.metrics.counter("chukan_inquiry_total", "step=\"refused\"")),
      _sent(s.metrics.counter("chukan_inquiry_total", "step=\"sent\"")),
      _completed(s.metrics.counter("chukan_inquiry_total", "step=\"completed\""))
{
}

std::string InquiryService::newSerial()
{
    return "Q" + PipelineHandler::newRequestId();
}

Status InquiryService::record(const TenantProfile& profile, const Inquiry& q,
                              const std::string& outcome, const std::string& reason, bool provided,
                              bool checkRecorded)
{
    RecordStore records(*_services.db);
    RecordFilter already;
    already.refId = q.serial;
    already.kind = "inquiry";
    if (checkRecorded && records.count(profile.tenant, already) > 0)
        return Status::ok();
    std::optional<FugoRow> fugo = FugoStore(*_services.db).findByAtena(profile.tenant, q.atenaNo);
    ProvisionRecord r;
    r.kind = "inquiry";
    r.requesterCode = profile.institutionCode;
    r.providerCode = q.providerCode;
    r.jimuCode = q.jimuCode;
    r.procedureCode = q.procedureCode;
    r.itemCode = q.itemCode;
    r.subjectFugo = fugo && !fugo->fugo.empty() ? fugo->fugo : "-";
    r.subjectAtena = q.atenaNo;
    r.requestedAt = q.requestedAt ? q.requestedAt : _services.clock->nowMicros();
    if (provided)
        r.providedAt = _services.clock->nowMicros();
    r.outcome = outcome;
    r.reason = reason.substr(0, 200);
    r.refId = q.serial;
    r.createdAt = _services.clock->nowMicros();
    Result<Poco::Int64> seq = records.append(profile.tenant, r);
    return seq ? Status::ok() : seq.status();
}

Result<std::string> InquiryService::accept(const Exchange& ex, const InquiryRequest& req,
                                           const std::string& batchId, const std::string& serial)
{
    const TenantProfile* profile = _services.settings.profile(ex.tenant->str());
    std::optional<FugoRow> fugo = FugoStore(*_services.db).findByAtena(*ex.tenant, req.atenaNo);
    InquiryFacts facts;
    facts.systemId = ex.systemId;
    facts.systemMayInquire = ex.systemOperations.count("inquiry") > 0;
    facts.systemJimuCodes = ex.systemJimuCodes;
    facts.requesterInstitution = profile->institutionCode;
    facts.providerInstitution = req.providerCode;
    facts.jimuCode = req.jimuCode;
    facts.procedureCode = req.jimuTetsuzukiCode;
    facts.dataItemCode = req.dataItemCode;
    facts.atenaNo = req.atenaNo;
    facts.fugoKnown = fugo && fugo->state == "obtained";
    std::shared_ptr<const PermitList> list =
        _services.documents ? _services.documents->permissionList() : nullptr;
    Status decision =
        InquiryPolicy::decide(facts, list.get(), toTimestamp(_services.clock->nowMicros()));

    Inquiry q;
    q.serial = serial.empty() ? newSerial() : serial;
    q.systemId = ex.systemId;
    q.batchId = batchId;
    q.atenaNo = req.atenaNo;
    q.jimuCode = req.jimuCode;
    q.procedureCode = req.jimuTetsuzukiCode;
    q.itemCode = req.dataItemCode;
    q.providerCode = req.providerCode;
    q.requestedAt = _services.clock->nowMicros();
    if (!decision)
    {
        _refused.inc();
        Status st = record(*profile, q, "refused", decision.message(), false);
        if (!st)
            return st;
        return decision;
    }
    Status st = InquiryStore(*_services.db).add(*ex.tenant, q, _services.clock->nowMicros());
    if (!st)
        return st;
    _accepted.inc();
    _services.signals->wakeWorker();
    return q.serial;
}

Status InquiryService::dispatch(const TenantCode& tenant, const std::string& serial)
{
    return dispatchBatch(tenant, {serial}).front();
}

Status InquiryService::fail(const TenantProfile& profile, const Inquiry& q, const std::string& code,
                            const std::string& message, const std::string& recordedReason)
{
    Status st = InquiryStore(*_services.db)
                    .transition(profile.tenant, q.serial, "queued", "error", _services.clock->nowMicros(),
                                code.substr(0, 32), message);
    return finished(profile.tenant, q.serial, st ? record(profile, q, "error", recordedReason, false) : st);
}

std::vector<Status> InquiryService::dispatchBatch(const TenantCode& tenant, const std::vector<std::string>& serials)
{
    std::vector<Status> out(serials.size(), Status::ok());
    const TenantProfile* profile = _services.settings.profile(tenant.str());
    InquiryStore inquiries(*_services.db);
    // 1. What is still queued, with its 符号 (none: the inquiry ends here, NO_FUGO).
    std::vector<std::size_t> asked; // index into serials, per ask
    std::vector<Inquiry> queued;    // per ask
    std::vector<PermitAsk> asks;
    for (std::size_t i = 0; i < serials.size(); ++i)
    {
        std::optional<Inquiry> q = profile ? inquiries.get(tenant, serials[i]) : std::nullopt;
        if (!profile || !q)
        {
            out[i] = Status::notFound("inquiry " + serials[i] + " does not exist");
            continue;
        }
        if (q->state != "queued")
            continue;
        if (!_services.network)
        {
            out[i] = Status::unavailable("no network is configured");
            continue;
        }
        std::optional<FugoRow> fugo = FugoStore(*_services.db).findByAtena(tenant, q->atenaNo);
        if (!fugo || fugo->fugo.empty())
        {
            out[i] = fail(*profile, *q, "NO_FUGO",
                          "指定された団体内統合宛名番号「" + q->atenaNo + "」は符号が未取得です。", "NO_FUGO");
            continue;
        }
        asks.push_back(PermitAsk{"PR-" + q->serial, q->providerCode, q->jimuCode, q->procedureCode, q->itemCode,
                                 fugo->fugo});
        asked.push_back(i);
        queued.push_back(std::move(*q));
    }
    if (asks.empty())
        return out;
    // 2. Permits (one network message for all of them where the port can). UNAVAILABLE leaves
    // the inquiry queued; a typed refusal ends it in state error (recorded).
    std::vector<Result<PermitGrant>> permits = _services.network->requestPermits(*profile, asks);
    std::vector<std::size_t> granted; // index into asks
    std::vector<InquirySend> sends;
    for (std::size_t k = 0; k < asks.size(); ++k)
    {
        if (permits[k])
        {
            sends.push_back(InquirySend{"IQ-" + queued[k].serial, queued[k].serial, permits[k].value()});
            granted.push_back(k);
        }
        else if (permits[k].status().code() == Status::UNAVAILABLE)
            out[asked[k]] = permits[k].status();
        else
        {
            const std::string& message = permits[k].status().message();
            out[asked[k]] = fail(*profile, queued[k], message.substr(0, message.find(':')), message, message);
        }
    }
    if (sends.empty())
        return out;
    // 3. The inquiries, then queued → sent for every one the network acknowledged, in one
    // transaction (one commit for the lot); another node may have been faster (no change).
    std::vector<Status> sent = _services.network->sendInquiries(*profile, sends);
    std::size_t moved = 0;
    Status stored = _services.db->write([&](Poco::Data::Session&) {
        moved = 0;
        for (std::size_t g = 0; g < sends.size(); ++g)
        {
            if (!sent[g])
                continue;
            Status st = inquiries.transition(tenant, sends[g].serial, "queued", "sent", _services.clock->nowMicros(),
                                             "", "", sends[g].messageId);
            if (st)
                ++moved;
            else if (st.code() != Status::FAILED_PRECONDITION)
                return st;
        }
        return Status::ok();
    });
    _sent.inc(stored ? moved : 0);
    for (std::size_t g = 0; g < sends.size(); ++g)
    {
        const std::size_t k = granted[g];
        if (sent[g])
            out[asked[k]] = stored;
        else if (sent[g].code() == Status::UNAVAILABLE)
            out[asked[k]] = sent[g];
        else
        {
            const std::string& message = sent[g].message();
            out[asked[k]] = fail(*profile, queued[k], message.substr(0, message.find(':')), message, message);
        }
    }
    return out;
}

Status InquiryService::finished(const TenantCode& tenant, const std::string& serial, const Status& st)
{
    _services.signals->finished(tenant.str(), serial);
    return st;
}

int InquiryService::dispatchQueued(int limit)
{
    int sent = 0;
    for (const TenantProfile& p : _services.settings.tenants)
        for (const Inquiry& q : InquiryStore(*_services.db).listByState(p.tenant, "queued", limit))
            if (dispatch(p.tenant, q.serial))
                ++sent;
    return sent;
}

IpnMessage InquiryService::receive(const IpnMessage& response)
{
    Poco::Timestamp now = toTimestamp(_services.clock->nowMicros());
    const TenantProfile* profile = _services.settings.profileByInstitution(response.header.to);
    if (!profile)
        return IpnMessage::error(response.header, IpnErrorCode::UNKNOWN_INSTITUTION,
                                 "institution " + response.header.to + " is not hosted here", now);
    InquiryStore inquiries(*_services.db);
    std::optional<Inquiry> q = inquiries.get(profile->tenant, response.serial);
    if (!q)
        return IpnMessage::error(response.header, IpnErrorCode::INVALID_MESSAGE,
                                 "no inquiry with 処理通番 " + response.serial, now);
    if (InquiryStore::isTerminal(q->state))
        return IpnMessage::ack(response.header, true, now);
    if (response.outcome == "provided")
    {
        std::string key;
        try
        {
            key = _keyFiles.read(profile->encryptionKeyPath); // read once, again when renewed
        }
        catch (const Poco::Exception& e)
        {
            return IpnMessage::error(response.header, IpnErrorCode::INTERNAL,
                                     "encryption key unreadable", now);
        }
        Result<std::string> plain = CmsEnvelope::open(response.payload, key);
        if (!plain)
            return IpnMessage::error(
                response.header, IpnErrorCode::INVALID_MESSAGE,
                "payload does not open with our key: " + plain.status().message(), now);
        // The record and the result in one transaction (one commit). The state change comes
        // first: a record is only ever written for an inquiry in a final state, so the call that
        // moved it there knows there is no earlier record and needs no search for one (a scan of
        // the tenant's records); any other outcome keeps the search.
        Status st = _services.db->write([&](Poco::Data::Session&) {
            Status stored = inquiries.setResult(profile->tenant, q->serial, plain.value(),
                                                _services.clock->nowMicros());
            if (!stored && stored.code() != Status::FAILED_PRECONDITION)
                return stored;
            return record(*profile, *q, "provided", "", true, !stored.isOk());
        });
        if (!st)
            return IpnMessage::error(response.header, IpnErrorCode::INTERNAL, st.message(), now);
    }
    else
    {
        // Error/Code is the typed reason (ReasonCodes), the message its business-facing text.
        std::string code = response.reasonCode.empty()
                               ? (response.outcome == "no_data" ? "NO_DATA" : "REFUSED")
                               : response.reasonCode.substr(0, 32);
        std::optional<ReasonCodes::Info> info = ReasonCodes::find(code);
        const std::string text = info ? info->text : response.outcome + ": " + code;
        // The record and the state in one transaction (one commit), the state change first as
        // above: only the call that finished the inquiry skips the search for an earlier record.
        Status st = _services.db->write([&](Poco::Data::Session&) {
            // From 'sent', or from 'queued' when the answer beat the sender's own UPDATE to 'sent'.
            Status done = inquiries.transition(profile->tenant, q->serial, "sent", "completed",
                                               _services.clock->nowMicros(), code, text);
            if (done.code() == Status::FAILED_PRECONDITION)
                done = inquiries.transition(profile->tenant, q->serial, "queued", "completed",
                                            _services.clock->nowMicros(), code, text);
            return record(*profile, *q, response.outcome, response.reasonCode, false, !done.isOk());
        });
        if (!st)
            return IpnMessage::error(response.header, IpnErrorCode::INTERNAL, st.message(), now);
    }
    _completed.inc();
    _services.signals->finished(profile->tenant.str(), q->serial);
    Poco::Logger::get("chukan.inquiry")
        .information("tenant %s inquiry %s: %s", profile->tenant.str(), q->serial,
                     response.outcome);
    return IpnMessage::ack(response.header, false, now);
}

} // namespace chukan
