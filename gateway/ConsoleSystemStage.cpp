// ConsoleSystemStage: JobsReport::list/json and BusinessStats::parseRange/build with the limits of
// the business-system API.
#include "gateway/ConsoleSystemStage.h"

#include "gateway/BusinessStats.h"
#include "gateway/ConsoleContext.h"
#include "gateway/JobsReport.h"
#include "gateway/JobsStage.h"
#include "gateway/StatsStage.h"

namespace chukan
{

Stage::Outcome ConsoleSystemStage::run(Exchange& ex)
{
    auto param = [&](const char* name)
    { return ex.query.count(name) ? ex.query.at(name) : std::string(); };
    if (_mode == JOBS)
    {
        Result<std::vector<BatchJob>> jobs = JobsReport::list(
            *_services.db, *ex.tenant, param("state"), param("kind"), JobsStage::MAX_JOBS, "state");
        if (!jobs)
        {
            ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                    jobs.status().message());
            return STOP;
        }
        std::string detail;
        for (const char* name : {"state", "kind"})
            if (!param(name).empty())
                detail += (detail.empty() ? "" : " ") + std::string(name) + "=" + param(name);
        ex.console->auditDetail = detail;
        ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json",
                 JobsReport::json(ex.tenant->str(), jobs.value()));
        return STOP;
    }
    Result<BusinessStats::Range> range =
        BusinessStats::parseRange(param("from").substr(0, 20), param("to").substr(0, 20),
                                  _services.clock->nowMicros(), "", StatsStage::MAX_DAYS);
    if (!range)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                range.status().message());
        return STOP;
    }
    StatsReport report = BusinessStats::build(*_services.db, *ex.tenant, range.value());
    ex.console->auditTarget = report.from + ".." + report.to;
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", report.json());
    return STOP;
}

} // namespace chukan
