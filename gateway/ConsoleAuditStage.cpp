// ConsoleAuditStage: AuditStore::query one page (+1 to know whether more follow) and AuditStore::verify.
#include "gateway/ConsoleAuditStage.h"

#include "adapters/AuditStore.h"
#include "gateway/ConsoleContext.h"
#include "gateway/ConsoleFormat.h"
#include "gateway/ConsolePaging.h"

#include <Poco/JSON/Array.h>

namespace chukan
{

namespace
{

std::string param(const std::map<std::string, std::string>& q, const char* name)
{
    auto it = q.find(name);
    return it == q.end() ? std::string() : it->second;
}

} // namespace

Stage::Outcome ConsoleAuditStage::run(Exchange& ex)
{
    AuditStore audit(*_services.db);
    if (_mode == VERIFY)
    {
        Result<ChainCheck> check = audit.verify(*ex.tenant);
        Poco::JSON::Object o;
        o.set("ok", check.isOk());
        if (check)
        {
            o.set("verified", check.value().verified);
            o.set("headSeq", check.value().headSeq);
            o.set("anchorSeq", check.value().anchorSeq);
            ex.console->auditDetail = "verified " + std::to_string(check.value().verified);
        }
        else
        {
            o.set("error", check.status().message());
            ex.console->auditOutcome = "failed";
            ex.console->auditDetail = check.status().message();
        }
        ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
        return STOP;
    }
    Result<ConsolePaging> paging = ConsolePaging::of(ex.query);
    AuditFilter f;
    f.staffId = param(ex.query, "staff").substr(0, 64);
    f.operation = param(ex.query, "operation").substr(0, 64);
    Status bad = paging ? Status::ok() : paging.status();
    if (bad && !param(ex.query, "from").empty())
    {
        Result<Poco::Int64> from = ConsoleFormat::parseDay("from", param(ex.query, "from"), false);
        if (from)
            f.from = from.value();
        else
            bad = from.status();
    }
    if (bad && !param(ex.query, "to").empty())
    {
        Result<Poco::Int64> to = ConsoleFormat::parseDay("to", param(ex.query, "to"), true);
        if (to)
            f.to = to.value();
        else
            bad = to.status();
    }
    if (!bad)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", bad.message());
        return STOP;
    }
    const ConsolePaging& p = paging.value();
    std::vector<AuditEntry> rows = audit.query(*ex.tenant, f, p.offset(), p.pageSize + 1);
    bool more = rows.size() > static_cast<std::size_t>(p.pageSize);
    if (more)
        rows.pop_back();
    Poco::JSON::Array entries;
    for (const AuditEntry& e : rows)
    {
        Poco::JSON::Object o;
        o.set("seq", e.seq);
        o.set("staff", e.staffId);
        o.set("at", ConsoleFormat::isoJst(e.at));
        o.set("operation", e.operation);
        o.set("target", e.target);
        o.set("outcome", e.outcome);
        o.set("detail", e.detail);
        entries.add(o);
    }
    Poco::JSON::Object o;
    o.set("page", p.page);
    o.set("pageSize", p.pageSize);
    o.set("hasMore", more);
    o.set("entries", entries);
    ex.console->auditTarget = f.staffId;
    ex.console->auditDetail = f.operation.empty() ? "" : "operation=" + f.operation;
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
    return STOP;
}

} // namespace chukan
