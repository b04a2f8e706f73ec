// ProvisionService: the provider side of an exchange — permit, list, code map, 副本, hold or seal, record, outbox.
#include "gateway/ProvisionService.h"

#include "adapters/FugoStore.h"
#include "adapters/HoldStore.h"
#include "adapters/OutboxStore.h"
#include "adapters/RecordStore.h"
#include "adapters/ReplicaStore.h"
#include "codecs/CmsEnvelope.h"
#include "codecs/ReasonCodes.h"
#include "codecs/SignedEnvelope.h"
#include "codecs/XmlWriter.h"

#include <Poco/Logger.h>

namespace chukan {

namespace {

const std::string kNoAtena = "000000000000000";
const std::string kUnknownCode = "0000000000000000";

Poco::Timestamp toTimestamp(Poco::Int64 micros)
{
    return Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(micros));
}

bool contains(const std::string& s, const char* what)
{
    return s.find(what) != std::string::npos;
}

} // namespace

ProvisionService::ProvisionService(GatewayServices& s)
    : _services(s),
      _provided(s.metrics.counter("chukan_provision_total", "outcome=\"provided\"", "情報提供 outcomes")),
      _noData(s.metrics.counter("chukan_provision_total", "outcome=\"no_data\"")),
      _refused(s.metrics.counter("chukan_provision_total", "outcome=\"refused\"")),
      _held(s.metrics.counter("chukan_provision_total", "outcome=\"held\"")),
      _errors(s.metrics.counter("chukan_provision_total", "outcome=\"error\""))
{
}

std::string ProvisionService::payloadXml(const std::vector<ReplicaItem>& items)
{
    XmlWriter w;
    w.start("ProvisionData", {{"xmlns", "urn:chukan:provision:1"}});
    for (const ReplicaItem& item : items)
    {
        XmlWriter::Attributes attrs = {{"recordId", item.recordId},
                                       {"itemCode", item.itemCode},
                                       {"dataSetKey", item.datasetKey},
                                       {"version", std::to_string(item.version)}};
        if (item.payload)
            w.data("Item", *item.payload, attrs);
        else
        {
            attrs.push_back({"nilReason", item.nilReason});
            w.empty("Item", attrs);
        }
    }
    w.end();
    return w.str();
}

Status ProvisionService::record(const TenantProfile& profile, const ProvisionRequest& request, const std::string& atena,
                                const std::string& outcome, const std::string& reason, bool provided,
                                bool checkRecorded)
{
    RecordStore records(*_services.db);
    RecordFilter already;
    already.refId = request.messageId;
    already.kind = "provision";
    already.outcome = outcome;
    if (checkRecorded && records.count(profile.tenant, already) > 0)
        return Status::ok(); // a resend after a crash: recorded before
    ProvisionRecord r;
    r.kind = "provision";
    r.requesterCode = request.requesterCode.size() == 16 ? request.requesterCode : kUnknownCode;
    r.providerCode = profile.institutionCode;
    r.jimuCode = request.jimuCode.size() == 16 ? request.jimuCode : kUnknownCode;
    r.procedureCode = request.procedureCode.size() == 16 ? request.procedureCode : kUnknownCode;
    r.itemCode = request.itemCode.size() == 16 ? request.itemCode : kUnknownCode;
    r.subjectFugo = request.fugo.empty() ? "-" : request.fugo;
    r.subjectAtena = atena.empty() ? kNoAtena : atena;
    r.requestedAt = request.receivedAt ? request.receivedAt : _services.clock->nowMicros();
    if (provided)
        r.providedAt = _services.clock->nowMicros();
    r.outcome = outcome;
    r.reason = reason;
    r.refId = request.messageId;
    r.createdAt = _services.clock->nowMicros();
    Result<Poco::Int64> seq = records.append(profile.tenant, r);
    return seq ? Status::ok() : seq.status();
}

IpnMessage ProvisionService::refuseMessage(const IpnMessage& inquiry, IpnErrorCode code, const std::string& message,
                                           const TenantProfile* profile, const std::string& requester)
{
    _refused.inc();
    if (profile)
    {
        // Refusals before the request is stored are recorded too: whatever the outcome.
        ProvisionRequest r;
        r.messageId = inquiry.header.messageId;
        r.permitId = inquiry.permitId;
        r.requesterCode = requester;
        r.fugo = inquiry.providerFugo;
        r.receivedAt = _services.clock->nowMicros();
        Status st = record(*profile, r, "", "refused", IpnErrorCodes::name(code), false);
        if (!st)
            Poco::Logger::get("chukan.provision")
                .error("message %s: could not record refusal: %s", inquiry.header.messageId, st.message());
        // A permit that fails its checks is also answered to the requester (typed, no payload), so
        // its business system sees the refusal instead of waiting; the network routes it by its own
        // record of the permit. A replay is not answered: the first use already was.
        bool answerable = code == IpnErrorCode::PERMIT_EXPIRED || code == IpnErrorCode::PERMIT_NOT_YET_VALID ||
                          code == IpnErrorCode::BAD_PERMIT;
        if (st && answerable && !inquiry.serial.empty() && !inquiry.permitId.empty() && requester.size() == 16)
        {
            Status queued = queueResponse(*profile, r.messageId, requester, inquiry.serial, inquiry.permitId,
                                          inquiry.route, "refused", IpnErrorCodes::name(code), "");
            if (!queued)
                Poco::Logger::get("chukan.provision")
                    .error("message %s: could not queue the refusal: %s", inquiry.header.messageId, queued.message());
        }
    }
    Poco::Logger::get("chukan.provision")
        .warning("message %s: refused %s: %s", inquiry.header.messageId, std::string(IpnErrorCodes::name(code)), message);
    return IpnMessage::error(inquiry.header, code, message, toTimestamp(_services.clock->nowMicros()));
}

IpnMessage ProvisionService::receive(const IpnMessage& inquiry)
{
    Poco::Timestamp now = toTimestamp(_services.clock->nowMicros());
    const TenantProfile* profile = _services.settings.profileByInstitution(inquiry.header.to);
    if (!profile)
        return refuseMessage(inquiry, IpnErrorCode::UNKNOWN_INSTITUTION,
                             "institution " + inquiry.header.to + " is not hosted here", nullptr, "");
    if (!_services.documents)
        return IpnMessage::error(inquiry.header, IpnErrorCode::UNAVAILABLE, "no network trust anchor configured", now);

    PermitVerifier verifier(_services.documents->trustPtr(), profile->institutionCode);
    Result<Permit> permit = verifier.verify(inquiry.signedPermit, now, [](const Permit&) { return false; });
    if (!permit)
    {
        // The permit's claimed content, for the record of the refusal (not trusted: it failed).
        std::string claimedRequester;
        if (Result<SignedEnvelope> env = SignedEnvelope::parse(inquiry.signedPermit))
            if (Result<Permit> claimed = Permit::parse(env.value().payload()))
                claimedRequester = claimed.value().requesterInstitution;
        const std::string& m = permit.status().message();
        IpnErrorCode code = IpnErrorCode::BAD_PERMIT;
        if (permit.status().code() == Status::FAILED_PRECONDITION)
            code = contains(m, "not yet valid") ? IpnErrorCode::PERMIT_NOT_YET_VALID : IpnErrorCode::PERMIT_EXPIRED;
        else if (permit.status().code() == Status::PERMISSION_DENIED && contains(m, "wrongly addressed"))
            code = IpnErrorCode::PERMIT_MISADDRESSED;
        return refuseMessage(inquiry, code, m, profile, claimedRequester);
    }
    const Permit& p = permit.value();
    if (p.permitId != inquiry.permitId)
        return refuseMessage(inquiry, IpnErrorCode::BAD_PERMIT,
                             "message names permit " + inquiry.permitId + " but carries permit " + p.permitId, profile,
                             p.requesterInstitution);

    ProvisionRequest request;
    request.messageId = inquiry.header.messageId;
    request.permitId = p.permitId;
    request.requesterCode = p.requesterInstitution;
    request.jimuCode = p.jimuCode;
    request.procedureCode = p.procedureCode;
    request.itemCode = p.dataItemCode;
    request.fugo = inquiry.providerFugo;
    request.route = inquiry.route.empty() ? p.requesterInstitution : inquiry.route;
    request.serial = inquiry.serial;
    ProvisionStore requests(*_services.db);
    Result<ProvisionAdd> added = requests.add(profile->tenant, request, _services.clock->nowMicros());
    if (!added)
    {
        if (added.status().code() == Status::ALREADY_EXISTS && contains(added.status().message(), "already used"))
            return refuseMessage(inquiry, IpnErrorCode::PERMIT_REPLAYED, added.status().message(), profile,
                                 p.requesterInstitution);
        return refuseMessage(inquiry, IpnErrorCode::INVALID_MESSAGE, added.status().message(), profile,
                             p.requesterInstitution);
    }
    const ProvisionRequest& row = added.value().row;
    if (row.state == "received")
    {
        Status st = process(*profile, row);
        if (!st)
        {
            _errors.inc();
            Poco::Logger::get("chukan.provision").error("message %s: %s", row.messageId, st.message());
            return IpnMessage::error(inquiry.header, IpnErrorCode::INTERNAL, "could not process: " + st.message(), now);
        }
    }
    return IpnMessage::ack(inquiry.header, added.value().duplicate, toTimestamp(_services.clock->nowMicros()));
}

Status ProvisionService::process(const TenantProfile& profile, const ProvisionRequest& request)
{
    Poco::Timestamp now = toTimestamp(_services.clock->nowMicros());
    std::shared_ptr<const PermitList> list = _services.documents->permissionList();
    if (!list || !list->find(request.requesterCode, profile.institutionCode, request.jimuCode, request.procedureCode,
                             request.itemCode, now))
        return answer(profile, request, {"refused", "NOT_PERMITTED_LOCAL", "", ""});

    std::optional<FugoRow> subject = FugoStore(*_services.db).findByFugo(profile.tenant, request.fugo);
    if (!subject)
        return answer(profile, request, {"no_data", "UNKNOWN_SUBJECT", "", ""});

    std::vector<ReplicaItem> items;
    for (ReplicaItem& item : ReplicaStore(*_services.db).findCurrent(profile.tenant, subject->atenaNo, request.itemCode))
    {
        Poco::Int64 t = _services.clock->nowMicros();
        if (item.publishFrom && *item.publishFrom > t)
            continue;
        if (item.publishTo && *item.publishTo <= t)
            continue;
        items.push_back(std::move(item));
    }
    if (items.empty())
        return answer(profile, request, {"no_data", "NO_DATA", "", subject->atenaNo});

    for (const ReplicaItem& item : items)
        if (!item.autoAnswer)
        {
            HoldStore holds(*_services.db);
            std::string holdId = "H-" + request.messageId.substr(0, 62);
            if (!holds.get(profile.tenant, holdId))
            {
                Hold h;
                h.holdId = holdId;
                h.messageId = request.messageId;
                h.reason = "自動応答不可 (record " + item.recordId + ")";
                h.deadline = _services.clock->nowMicros() + _services.settings.holdDeadlineSeconds * 1000000;
                Status st = holds.add(profile.tenant, h, _services.clock->nowMicros());
                if (!st)
                    return st;
            }
            Status st = record(profile, request, subject->atenaNo, "held", "自動応答不可", false);
            if (!st)
                return st;
            ProvisionStore(*_services.db).markHeld(profile.tenant, request.messageId, _services.clock->nowMicros());
            _held.inc();
            return Status::ok();
        }

    std::shared_ptr<const SignedDirectory> dir = _services.documents->directory();
    const SignedDirectory::Institution* requester = dir ? dir->find(request.requesterCode) : nullptr;
    if (!requester || requester->encryptionCertificate.empty())
        return answer(profile, request, {"refused", "UNKNOWN_REQUESTER", "", subject->atenaNo});
    Result<std::string> sealed = CmsEnvelope::seal(payloadXml(items), requester->encryptionCertificate);
    if (!sealed)
        return sealed.status();
    return answer(profile, request, {"provided", "", sealed.value(), subject->atenaNo});
}

Status ProvisionService::answer(const TenantProfile& profile, const ProvisionRequest& request, const Answer& a)
{
    // One transaction, one commit: the record, the answer and its outbox row are stored together
    // or not at all, so nothing can leave unrecorded (the stores' writes join this one).
    Status st = _services.db->write([&](Poco::Data::Session&) {
        // 1. the answer, kept for the network's resends (received or held → answered)
        Status answered = ProvisionStore(*_services.db)
                              .setAnswered(profile.tenant, request.messageId, a.outcome, a.payload,
                                           _services.clock->nowMicros());
        if (!answered && answered.code() != Status::FAILED_PRECONDITION)
            return answered;
        // 2. the record. Outcomes provided and no_data are recorded only here, by the call that
        // answered the request, so that call has no earlier record of them to search for (a scan
        // of the tenant's records); refused (also written by refuseMessage) and a repeated
        // answer keep the search.
        bool first = answered.isOk() && (a.outcome == "provided" || a.outcome == "no_data");
        Status recorded =
            record(profile, request, a.atenaNo, a.outcome, a.reason, a.outcome == "provided", !first);
        if (!recorded)
            return recorded;
        // 3. the ProvisionResponse, queued (deterministic ID: a repeat is the same message)
        return queueResponse(profile, request.messageId, request.requesterCode, request.serial, request.permitId,
                             request.route, a.outcome, a.reason, a.payload);
    });
    if (!st)
        return st;
    _services.signals->wakeWorker(); // committed now: the outbox row is visible to the worker
    if (a.outcome == "provided")
        _provided.inc();
    else if (a.outcome == "no_data")
        _noData.inc();
    else
        _refused.inc();
    Poco::Logger::get("chukan.provision")
        .information("tenant %s message %s: %s %s", profile.tenant.str(), request.messageId, a.outcome, a.reason);
    return Status::ok();
}

Status ProvisionService::queueResponse(const TenantProfile& profile, const std::string& messageId,
                                       const std::string& requester, const std::string& serial,
                                       const std::string& permitId, const std::string& route,
                                       const std::string& outcome, const std::string& reason,
                                       const std::string& payload)
{
    IpnMessage response;
    response.kind = IpnMessage::Kind::ProvisionResponse;
    response.header.messageId = "R-" + messageId.substr(0, 62);
    response.header.sentAt = toTimestamp(_services.clock->nowMicros());
    response.header.from = profile.institutionCode;
    response.header.to = requester;
    response.header.inReplyTo = messageId;
    response.serial = serial;
    response.permitId = permitId;
    response.outcome = outcome;
    response.reasonCode = reason;
    response.route = route;
    if (!payload.empty())
    {
        response.payload = payload;
        response.hasPayload = true;
    }
    Result<std::string> xml = response.toXml();
    if (!xml)
        return xml.status();
    OutboxMessage out;
    out.messageId = response.header.messageId;
    out.kind = "ProvisionResponse";
    out.destination = requester;
    out.body = xml.value();
    Status st = OutboxStore(*_services.db).add(profile.tenant, out, _services.clock->nowMicros());
    if (st)
        _services.signals->wakeWorker(); // committed: the worker sends it now, not on its next round
    return st;
}

Status ProvisionService::decideHold(const TenantCode& tenant, const std::string& holdId, bool approve,
                                    const std::string& reviewer, const std::string& reason)
{
    const TenantProfile* profile = _services.settings.profile(tenant.str());
    if (!profile)
        return Status::notFound("tenant " + tenant.str() + " is not hosted here");
    const std::string refusal = reason.empty() ? "REJECTED_BY_REVIEWER" : reason;
    if (!approve && !ReasonCodes::isReviewerCode(refusal))
        return Status::invalid("reason: a refusal needs one of " + ReasonCodes::reviewerCodeList() + ", got '" +
                               reason.substr(0, 64) + "'");
    HoldStore holds(*_services.db);
    std::optional<Hold> hold = holds.get(tenant, holdId);
    if (!hold)
        return Status::notFound("hold " + holdId + " does not exist");
    std::optional<ProvisionRequest> request = ProvisionStore(*_services.db).get(tenant, hold->messageId);
    if (!request)
        return Status::internal("hold " + holdId + ": its provision request " + hold->messageId + " is missing");
    Poco::Int64 now = _services.clock->nowMicros();
    bool fourEyes = _services.settings.holdFourEyes;
    if (approve && fourEyes && hold->firstReviewer.empty())
        return holds.recordFirstApproval(tenant, holdId, reviewer, now);
    Status st = holds.decide(tenant, holdId, approve ? "approved" : "rejected", reviewer, approve ? "" : refusal, now,
                             fourEyes);
    if (!st)
        return st;
    std::optional<FugoRow> subject = FugoStore(*_services.db).findByFugo(tenant, request->fugo);
    // A refusal is recorded under the person too (records search, the resident's disclosure).
    if (!approve)
        return answer(*profile, *request, {"refused", refusal, "", subject ? subject->atenaNo : ""});
    // Approved: the same path as an automatic answer, without the hold check.
    if (!subject)
        return answer(*profile, *request, {"no_data", "UNKNOWN_SUBJECT", "", ""});
    std::vector<ReplicaItem> items = ReplicaStore(*_services.db).findCurrent(tenant, subject->atenaNo, request->itemCode);
    if (items.empty())
        return answer(*profile, *request, {"no_data", "NO_DATA", "", subject->atenaNo});
    std::shared_ptr<const SignedDirectory> dir = _services.documents ? _services.documents->directory() : nullptr;
    const SignedDirectory::Institution* requester = dir ? dir->find(request->requesterCode) : nullptr;
    if (!requester)
        return answer(*profile, *request, {"refused", "UNKNOWN_REQUESTER", "", subject->atenaNo});
    Result<std::string> sealed = CmsEnvelope::seal(payloadXml(items), requester->encryptionCertificate);
    if (!sealed)
        return sealed.status();
    return answer(*profile, *request, {"provided", "", sealed.value(), subject->atenaNo});
}

int ProvisionService::expireHolds(const TenantCode& tenant)
{
    const TenantProfile* profile = _services.settings.profile(tenant.str());
    if (!profile)
        return 0;
    HoldStore holds(*_services.db);
    int n = 0;
    for (const std::string& holdId : holds.expireDue(tenant, _services.clock->nowMicros()))
    {
        std::optional<Hold> hold = holds.get(tenant, holdId);
        std::optional<ProvisionRequest> request =
            hold ? ProvisionStore(*_services.db).get(tenant, hold->messageId) : std::nullopt;
        std::optional<FugoRow> subject =
            request ? FugoStore(*_services.db).findByFugo(tenant, request->fugo) : std::nullopt;
        if (request && answer(*profile, *request, {"refused", "HOLD_DEADLINE", "", subject ? subject->atenaNo : ""}))
            ++n;
    }
    return n;
}

} // namespace chukan
