// ConsoleHoldsStage: holds joined with their provision requests; content read from the 副本 as ProvisionService would provide it.
#include "gateway/ConsoleHoldsStage.h"

#include "adapters/FugoStore.h"
#include "adapters/HoldStore.h"
#include "adapters/ReplicaStore.h"
#include "gateway/ConsoleContext.h"
#include "gateway/ConsoleFormat.h"
#include "policy/RefusalReasons.h"

#include <Poco/JSON/Array.h>

namespace chukan
{

namespace
{

Poco::JSON::Object holdJson(const Hold& h, const std::optional<ProvisionRequest>& r,
                            const std::string& requesterName)
{
    Poco::JSON::Object o;
    o.set("holdId", h.holdId);
    o.set("requesterCode", r ? r->requesterCode : "");
    o.set("requesterName", requesterName);
    o.set("jimuCode", r ? r->jimuCode : "");
    o.set("procedureCode", r ? r->procedureCode : "");
    o.set("itemCode", r ? r->itemCode : "");
    o.set("receivedAt", ConsoleFormat::optIso(r ? std::optional<Poco::Int64>(r->receivedAt)
                                                : std::optional<Poco::Int64>(h.createdAt)));
    o.set("deadline", ConsoleFormat::isoJst(h.deadline));
    o.set("reason", h.reason);
    o.set("firstReviewer", h.firstReviewer);
    o.set("awaitingSecondReviewer", h.state == "pending" && !h.firstReviewer.empty());
    return o;
}

} // namespace

const char* ConsoleHoldsStage::name() const
{
    switch (_mode)
    {
    case LIST: return "console_holds";
    case REASONS: return "console_hold_reasons";
    case DETAIL: return "console_hold_detail";
    case DECIDE: return "console_hold_decision";
    }
    return "console_holds";
}

std::string ConsoleHoldsStage::institutionName(const std::string& code) const
{
    if (!_services.documents)
        return "";
    std::shared_ptr<const SignedDirectory> dir = _services.documents->directory();
    const SignedDirectory::Institution* i = dir ? dir->find(code) : nullptr;
    return i ? i->name : "";
}

Stage::Outcome ConsoleHoldsStage::run(Exchange& ex)
{
    switch (_mode)
    {
    case LIST: return list(ex);
    case REASONS: return reasons(ex);
    case DETAIL: return detail(ex);
    case DECIDE: return decide(ex);
    }
    return STOP;
}

Stage::Outcome ConsoleHoldsStage::list(Exchange& ex)
{
    ProvisionStore requests(*_services.db);
    Poco::JSON::Array holds;
    std::size_t n = 0;
    for (const Hold& h : HoldStore(*_services.db).listPending(*ex.tenant, 500))
    {
        std::optional<ProvisionRequest> r = requests.get(*ex.tenant, h.messageId);
        holds.add(holdJson(h, r, r ? institutionName(r->requesterCode) : ""));
        ++n;
    }
    Poco::JSON::Object o;
    o.set("fourEyes", _services.settings.holdFourEyes);
    o.set("holds", holds);
    ex.console->auditDetail = std::to_string(n) + " pending";
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
    return STOP;
}

Stage::Outcome ConsoleHoldsStage::reasons(Exchange& ex)
{
    Poco::JSON::Array list;
    for (const RefusalReasons::Reason& r : RefusalReasons::all())
    {
        Poco::JSON::Object o;
        o.set("code", r.code);
        o.set("label", r.label);
        list.add(o);
    }
    Poco::JSON::Object o;
    o.set("reasons", list);
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
    return STOP;
}

Stage::Outcome ConsoleHoldsStage::detail(Exchange& ex)
{
    const std::string& holdId = ex.console->pathParams["holdId"];
    ex.console->auditTarget = holdId;
    std::optional<Hold> h = HoldStore(*_services.db).get(*ex.tenant, holdId);
    if (!h)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND",
                "hold " + holdId + " does not exist");
        return STOP;
    }
    std::optional<ProvisionRequest> r = ProvisionStore(*_services.db).get(*ex.tenant, h->messageId);
    Poco::JSON::Object o = holdJson(*h, r, r ? institutionName(r->requesterCode) : "");
    o.set("messageId", h->messageId);
    o.set("state", h->state);
    o.set("decidedBy", h->decidedBy);
    o.set("decidedAt", ConsoleFormat::optIso(h->decidedAt));
    o.set("decisionReason", h->decisionReason);
    o.set("fourEyes", _services.settings.holdFourEyes);
    // What would be provided: the current, published 副本 of the subject and item, unaltered
    // (the same selection as ProvisionService::process).
    Poco::JSON::Array items;
    std::string atena;
    if (r)
        if (std::optional<FugoRow> subject =
                FugoStore(*_services.db).findByFugo(*ex.tenant, r->fugo))
        {
            atena = subject->atenaNo;
            Poco::Int64 now = _services.clock->nowMicros();
            for (const ReplicaItem& item :
                 ReplicaStore(*_services.db).findCurrent(*ex.tenant, atena, r->itemCode))
            {
                if ((item.publishFrom && *item.publishFrom > now) ||
                    (item.publishTo && *item.publishTo <= now))
                    continue;
                Poco::JSON::Object i;
                i.set("recordId", item.recordId);
                i.set("itemCode", item.itemCode);
                i.set("dataSetKey", item.datasetKey);
                i.set("version", item.version);
                i.set("data", item.payload ? *item.payload : "");
                i.set("nilReason", item.nilReason);
                items.add(i);
            }
        }
    o.set("atenaNo", atena);
    o.set("items", items);
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
    return STOP;
}

Stage::Outcome ConsoleHoldsStage::decide(Exchange& ex)
{
    ConsoleContext& c = *ex.console;
    const std::string& holdId = c.pathParams["holdId"];
    c.auditTarget = holdId;
    Result<Poco::JSON::Object::Ptr> body = ConsoleFormat::parseObject(ex.body);
    Result<std::string> decision = body ? ConsoleFormat::text(body.value(), "decision", true)
                                        : Result<std::string>(body.status());
    Result<std::string> reason = body ? ConsoleFormat::text(body.value(), "reasonCode", false)
                                      : Result<std::string>(body.status());
    Status bad;
    if (!decision)
        bad = decision.status();
    else if (!reason)
        bad = reason.status();
    else if (decision.value() != "provide" && decision.value() != "refuse")
        bad = Status::invalid("decision: must be provide or refuse");
    else if (decision.value() == "refuse" && !RefusalReasons::isKnown(reason.value()))
        bad = Status::invalid("reasonCode: required for refuse; one of GET /console/api/holds/reasons");
    else if (decision.value() == "provide" && !reason.value().empty())
        bad = Status::invalid("reasonCode: only for refuse");
    if (!bad.isOk())
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", bad.message());
        return STOP;
    }
    bool approve = decision.value() == "provide";
    c.auditDetail = approve ? "provide" : "refuse " + reason.value();
    Status st = _provisions->decideHold(*ex.tenant, holdId, approve, c.staff->loginId,
                                        reason.value());
    if (!st)
    {
        switch (st.code())
        {
        case Status::NOT_FOUND:
            ex.fail(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND", st.message());
            break;
        case Status::PERMISSION_DENIED:
            ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "SAME_REVIEWER", st.message());
            break;
        case Status::FAILED_PRECONDITION:
        case Status::ALREADY_EXISTS:
            ex.fail(Poco::Net::HTTPResponse::HTTP_CONFLICT, "CONFLICT", st.message());
            break;
        case Status::INVALID_ARGUMENT:
            ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", st.message());
            break;
        case Status::UNAVAILABLE:
            ex.fail(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "UNAVAILABLE", st.message());
            break;
        default:
            ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", st.message());
        }
        return STOP;
    }
    std::optional<Hold> h = HoldStore(*_services.db).get(*ex.tenant, holdId);
    Poco::JSON::Object o;
    o.set("holdId", holdId);
    o.set("state", h ? h->state : "unknown");
    o.set("firstReviewer", h ? h->firstReviewer : "");
    o.set("awaitingSecondReviewer", h && h->state == "pending" && !h->firstReviewer.empty());
    if (h && h->state == "pending")
        c.auditDetail += " (first approval)";
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
    return STOP;
}

} // namespace chukan
