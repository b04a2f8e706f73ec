// ConsoleRecordsStage: RecordStore queries rendered as JSON, RFC 4180 CSV (codecs/CsvWriter) or a disclosure report.
#include "gateway/ConsoleRecordsStage.h"

#include "codecs/CsvWriter.h"
#include "gateway/ConsoleContext.h"
#include "gateway/ConsoleFormat.h"
#include "gateway/ConsolePaging.h"

#include <Poco/JSON/Array.h>

namespace chukan
{

namespace
{

bool allOf(const std::string& s, const char* chars)
{
    return !s.empty() && s.find_first_not_of(chars) == std::string::npos;
}

std::string param(const std::map<std::string, std::string>& q, const char* name)
{
    auto it = q.find(name);
    return it == q.end() ? std::string() : it->second;
}

Poco::JSON::Object recordJson(const ProvisionRecord& r)
{
    Poco::JSON::Object o;
    o.set("seq", r.seq);
    o.set("kind", r.kind);
    o.set("requesterCode", r.requesterCode);
    o.set("providerCode", r.providerCode);
    o.set("jimuCode", r.jimuCode);
    o.set("procedureCode", r.procedureCode);
    o.set("itemCode", r.itemCode);
    o.set("atenaNo", r.subjectAtena);
    o.set("requestedAt", ConsoleFormat::isoJst(r.requestedAt));
    o.set("providedAt", ConsoleFormat::optIso(r.providedAt));
    o.set("outcome", r.outcome);
    o.set("reason", r.reason);
    o.set("nondisclosure", r.nondisclosure);
    o.set("refId", r.refId);
    o.set("createdAt", ConsoleFormat::isoJst(r.createdAt));
    return o;
}

std::string describe(const RecordFilter& f)
{
    std::string d;
    auto add = [&d](const std::string& k, const std::string& v)
    {
        if (!v.empty())
            d += (d.empty() ? "" : " ") + k + "=" + v;
    };
    add("from", f.from ? ConsoleFormat::isoJst(*f.from) : "");
    add("to", f.to ? ConsoleFormat::isoJst(*f.to) : "");
    add("institution", f.institutionCode);
    add("jimu", f.jimuCode);
    add("outcome", f.outcome);
    add("kind", f.kind);
    return d;
}

} // namespace

const char* ConsoleRecordsStage::name() const
{
    switch (_mode)
    {
    case SEARCH: return "console_records";
    case CSV: return "console_records_csv";
    case DISCLOSURE: return "console_disclosure";
    }
    return "console_records";
}

Result<RecordFilter> ConsoleRecordsStage::filterOf(const std::map<std::string, std::string>& q)
{
    RecordFilter f;
    f.subjectAtena = param(q, "atena");
    if (!f.subjectAtena.empty() && (f.subjectAtena.size() != 15 || !allOf(f.subjectAtena, "0123456789")))
        return Status::invalid("atena: must be 15 digits (統合宛名番号)");
    if (!param(q, "from").empty())
    {
        Result<Poco::Int64> from = ConsoleFormat::parseDay("from", param(q, "from"), false);
        if (!from)
            return from.status();
        f.from = from.value();
    }
    if (!param(q, "to").empty())
    {
        Result<Poco::Int64> to = ConsoleFormat::parseDay("to", param(q, "to"), true);
        if (!to)
            return to.status();
        f.to = to.value();
    }
    if (f.from && f.to && *f.from >= *f.to)
        return Status::invalid("to: must not be before from");
    f.institutionCode = param(q, "institution");
    if (!f.institutionCode.empty() &&
        (f.institutionCode.size() != 16 || !allOf(f.institutionCode, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
        return Status::invalid("institution: must be a 16-character 機関コード");
    f.jimuCode = param(q, "jimu");
    if (!f.jimuCode.empty() &&
        (f.jimuCode.size() != 16 || !allOf(f.jimuCode, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
        return Status::invalid("jimu: must be a 16-character 事務コード");
    f.outcome = param(q, "outcome");
    if (!f.outcome.empty() && f.outcome != "provided" && f.outcome != "refused" &&
        f.outcome != "no_data" && f.outcome != "held" && f.outcome != "error")
        return Status::invalid("outcome: must be provided, refused, no_data, held or error");
    f.kind = param(q, "kind");
    if (!f.kind.empty() && f.kind != "inquiry" && f.kind != "provision")
        return Status::invalid("kind: must be inquiry or provision");
    return f;
}

std::string ConsoleRecordsStage::institutionName(const std::string& code) const
{
    if (!_services.documents)
        return "";
    std::shared_ptr<const SignedDirectory> dir = _services.documents->directory();
    const SignedDirectory::Institution* i = dir ? dir->find(code) : nullptr;
    return i ? i->name : "";
}

Stage::Outcome ConsoleRecordsStage::run(Exchange& ex)
{
    if (_mode == DISCLOSURE)
        return disclosure(ex);
    Result<RecordFilter> filter = filterOf(ex.query);
    if (!filter)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                filter.status().message());
        return STOP;
    }
    ex.console->auditTarget = filter.value().subjectAtena;
    ex.console->auditDetail = describe(filter.value());
    return _mode == SEARCH ? search(ex, filter.value()) : csv(ex, filter.value());
}

Stage::Outcome ConsoleRecordsStage::search(Exchange& ex, const RecordFilter& filter)
{
    Result<ConsolePaging> paging = ConsolePaging::of(ex.query);
    if (!paging)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                paging.status().message());
        return STOP;
    }
    const ConsolePaging& p = paging.value();
    RecordStore records(*_services.db);
    Poco::Int64 total = records.count(*ex.tenant, filter);
    Poco::JSON::Array list;
    for (const ProvisionRecord& r : records.query(*ex.tenant, filter, p.offset(), p.pageSize))
        list.add(recordJson(r));
    Poco::JSON::Object o;
    o.set("total", total);
    o.set("page", p.page);
    o.set("pageSize", p.pageSize);
    o.set("hasMore", p.offset() + static_cast<Poco::Int64>(list.size()) < total);
    o.set("records", list);
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
    return STOP;
}

Stage::Outcome ConsoleRecordsStage::csv(Exchange& ex, const RecordFilter& filter)
{
    RecordStore records(*_services.db);
    Poco::Int64 total = records.count(*ex.tenant, filter);
    if (total > MAX_EXPORT)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                std::to_string(total) + " records match; narrow the filter to at most " +
                    std::to_string(MAX_EXPORT));
        return STOP;
    }
    CsvWriter::Options options;
    options.bom = true;
    CsvWriter w(options);
    w.writeRecord({"seq", "kind", "requester_code", "provider_code", "jimu_code", "procedure_code",
                   "item_code", "atena_no", "requested_at", "provided_at", "outcome", "reason",
                   "nondisclosure", "ref_id", "created_at"});
    const int page = 1000;
    for (Poco::Int64 offset = 0; offset < total; offset += page)
    {
        std::vector<ProvisionRecord> rows = records.query(*ex.tenant, filter, offset, page);
        for (const ProvisionRecord& r : rows)
        {
            Status st = w.writeRecord(
                {std::to_string(r.seq), r.kind, r.requesterCode, r.providerCode, r.jimuCode,
                 r.procedureCode, r.itemCode, r.subjectAtena, ConsoleFormat::isoJst(r.requestedAt),
                 r.providedAt ? ConsoleFormat::isoJst(*r.providedAt) : "", r.outcome, r.reason,
                 r.nondisclosure ? "1" : "0", r.refId, ConsoleFormat::isoJst(r.createdAt)});
            if (!st)
            {
                ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", st.message());
                return STOP;
            }
        }
        if (rows.size() < static_cast<std::size_t>(page))
            break;
    }
    ex.console->auditDetail += (ex.console->auditDetail.empty() ? "" : " ") +
                               std::string("rows=") + std::to_string(w.records() - 1);
    ex.replyHeaders.emplace_back("Content-Disposition",
                                 "attachment; filename=\"records-" + ex.tenant->str() + "-" +
                                     ConsoleFormat::compactJst(_services.clock->nowMicros()) +
                                     ".csv\"");
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "text/csv; charset=UTF-8", w.bytes());
    return STOP;
}

Stage::Outcome ConsoleRecordsStage::disclosure(Exchange& ex)
{
    std::string atena;
    auto it = ex.query.find("atena");
    if (it != ex.query.end())
        atena = it->second;
    ex.console->auditTarget = atena;
    if (atena.size() != 15 || !allOf(atena, "0123456789"))
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "atena: required, 15 digits (統合宛名番号)");
        return STOP;
    }
    RecordFilter f;
    f.subjectAtena = atena;
    Poco::JSON::Array list;
    int withheld = 0, listed = 0;
    for (const ProvisionRecord& r :
         RecordStore(*_services.db).query(*ex.tenant, f, 0, MAX_DISCLOSURE))
    {
        if (r.kind != "inquiry" && r.kind != "provision")
            continue;
        if (r.outcome == "held")
            continue; // intermediate: the final outcome has its own record
        if (r.nondisclosure)
        {
            ++withheld; // 番号法 第23条: 不開示 records are not disclosed to the resident
            continue;
        }
        Poco::JSON::Object o;
        o.set("kind", r.kind);
        o.set("requesterCode", r.requesterCode);
        o.set("requesterName", institutionName(r.requesterCode));
        o.set("providerCode", r.providerCode);
        o.set("providerName", institutionName(r.providerCode));
        o.set("jimuCode", r.jimuCode);
        o.set("itemCode", r.itemCode);
        o.set("requestedAt", ConsoleFormat::isoJst(r.requestedAt));
        o.set("providedAt", ConsoleFormat::optIso(r.providedAt));
        o.set("outcome", r.outcome);
        list.add(o);
        ++listed;
    }
    const TenantProfile* profile = _services.settings.profile(ex.tenant->str());
    Poco::JSON::Object o;
    o.set("atenaNo", atena);
    o.set("tenant", ex.tenant->str());
    o.set("institutionCode", profile ? profile->institutionCode : "");
    o.set("generatedAt", ConsoleFormat::isoJst(_services.clock->nowMicros()));
    o.set("generatedBy", ex.console->staff ? ex.console->staff->loginId : "");
    o.set("withheld", withheld);
    o.set("records", list);
    ex.console->auditDetail =
        std::to_string(listed) + " listed, " + std::to_string(withheld) + " withheld (不開示)";
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
    return STOP;
}

} // namespace chukan
