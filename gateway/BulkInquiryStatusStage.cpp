// BulkInquiryStatusStage: the job's counts by outcome as JSON.
#include "gateway/BulkInquiryStatusStage.h"

namespace chukan
{

Stage::Outcome BulkInquiryStatusStage::run(Exchange& ex)
{
    std::string job = ex.query.count("job") ? ex.query.at("job") : "";
    if (job.empty() || job.size() > 64)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", "job: 1 to 64 characters required");
        return STOP;
    }
    Result<BulkInquiryService::Progress> p = _bulk->progress(*ex.tenant, ex.systemId, job);
    if (!p)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND", p.status().message());
        return STOP;
    }
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", p.value().toJson() + "\n");
    return STOP;
}

} // namespace chukan
