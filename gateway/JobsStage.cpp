// JobsStage: query → JobsReport of the caller's tenant only.
#include "gateway/JobsStage.h"

#include "gateway/JobsReport.h"

namespace chukan
{

Stage::Outcome JobsStage::run(Exchange& ex)
{
    auto param = [&](const char* name)
    { return ex.query.count(name) ? ex.query.at(name) : std::string(); };
    Result<std::vector<BatchJob>> jobs = JobsReport::list(*_services.db, *ex.tenant, param("state"),
                                                          param("kind"), MAX_JOBS, "state");
    if (!jobs)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                jobs.status().message());
        return STOP;
    }
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json",
             JobsReport::json(ex.tenant->str(), jobs.value()));
    return STOP;
}

} // namespace chukan
