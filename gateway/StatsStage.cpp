// StatsStage: query → BusinessStats range → report of the caller's tenant.
#include "gateway/StatsStage.h"

#include "gateway/BusinessStats.h"

namespace chukan
{

Stage::Outcome StatsStage::run(Exchange& ex)
{
    auto param = [&](const char* name)
    { return ex.query.count(name) ? ex.query.at(name) : std::string(); };
    std::string format = param("format");
    if (!format.empty() && format != "json" && format != "csv")
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "format: json or csv");
        return STOP;
    }
    Result<BusinessStats::Range> range = BusinessStats::parseRange(
        param("from"), param("to"), _services.clock->nowMicros(), "", MAX_DAYS);
    if (!range)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                range.status().message());
        return STOP;
    }
    StatsReport report = BusinessStats::build(*_services.db, *ex.tenant, range.value());
    if (format == "csv")
        ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "text/csv; charset=UTF-8", report.csv());
    else
        ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", report.json());
    return STOP;
}

} // namespace chukan
