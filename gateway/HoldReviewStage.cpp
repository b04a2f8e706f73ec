// HoldReviewStage: JSON in and out; every decision goes through ProvisionService (recorded, queued).
#include "gateway/HoldReviewStage.h"

#include "adapters/HoldStore.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace chukan {

namespace {

std::string json(const Poco::JSON::Object& o)
{
    std::ostringstream out;
    o.stringify(out);
    out << "\n";
    return out.str();
}

} // namespace

Stage::Outcome HoldReviewStage::run(Exchange& ex)
{
    HoldStore holds(*_services.db);
    if (ex.method == "GET")
    {
        Poco::JSON::Array list;
        for (const Hold& h : holds.listPending(*ex.tenant, 500))
        {
            Poco::JSON::Object o;
            o.set("holdId", h.holdId);
            o.set("messageId", h.messageId);
            o.set("reason", h.reason);
            o.set("deadline", h.deadline);
            o.set("firstReviewer", h.firstReviewer);
            list.add(o);
        }
        Poco::JSON::Object body;
        body.set("holds", list);
        ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", json(body));
        return STOP;
    }
    std::string holdId, reviewer, reason;
    bool approve = false;
    try
    {
        Poco::JSON::Parser parser;
        Poco::JSON::Object::Ptr o = parser.parse(ex.body).extract<Poco::JSON::Object::Ptr>();
        holdId = o->getValue<std::string>("holdId");
        reviewer = o->getValue<std::string>("reviewer");
        approve = o->getValue<bool>("approve");
        reason = o->optValue<std::string>("reason", "");
    }
    catch (const Poco::Exception& e)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "body: expected {\"holdId\", \"approve\", \"reviewer\", \"reason\"}: " + e.message());
        return STOP;
    }
    if (reviewer.empty() || reviewer.size() > 64)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", "reviewer: 1 to 64 characters");
        return STOP;
    }
    Status st = _provisions->decideHold(*ex.tenant, holdId, approve, reviewer, reason);
    if (!st)
    {
        auto status = st.code() == Status::NOT_FOUND            ? Poco::Net::HTTPResponse::HTTP_NOT_FOUND
                      : st.code() == Status::PERMISSION_DENIED  ? Poco::Net::HTTPResponse::HTTP_FORBIDDEN
                      : st.code() == Status::INVALID_ARGUMENT ? Poco::Net::HTTPResponse::HTTP_BAD_REQUEST
                                                                : Poco::Net::HTTPResponse::HTTP_CONFLICT;
        ex.fail(status, Status::codeName(st.code()), st.message());
        return STOP;
    }
    std::optional<Hold> h = holds.get(*ex.tenant, holdId);
    Poco::JSON::Object body;
    body.set("holdId", holdId);
    body.set("state", h ? h->state : "unknown");
    body.set("firstReviewer", h ? h->firstReviewer : "");
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", json(body));
    return STOP;
}

} // namespace chukan
