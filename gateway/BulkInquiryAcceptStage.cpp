// BulkInquiryAcceptStage: hands the file to BulkInquiryService::accept and replies with its report.
#include "gateway/BulkInquiryAcceptStage.h"

namespace chukan
{

Stage::Outcome BulkInquiryAcceptStage::run(Exchange& ex)
{
    std::string key;
    auto header = ex.headers.find("idempotency-key");
    if (header != ex.headers.end())
        key = header->second;
    else if (ex.query.count("idempotencyKey"))
        key = ex.query.at("idempotencyKey");
    BulkInquiryService::Reply reply = _bulk->accept(ex, key);
    ex.reply(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.httpStatus), "application/json",
             reply.json + "\n");
    ex.errorCode = reply.errorCode;
    return STOP;
}

} // namespace chukan
