// BulkInquiryResultStage: renders every result of a finished job in the format the system asked for.
#include "gateway/BulkInquiryResultStage.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <sstream>

namespace chukan
{

Stage::Outcome BulkInquiryResultStage::run(Exchange& ex)
{
    auto param = [&](const std::string& key, const std::string& otherwise)
    {
        auto it = ex.query.find(key);
        return it == ex.query.end() ? otherwise : it->second;
    };
    std::string job = param("job", "");
    std::string encoding = param("encoding", "cp932");
    Result<BulkResultWriter::Format> format = BulkResultWriter::formatNamed(param("format", "csv"));
    if (job.empty() || job.size() > 64)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", "job: 1 to 64 characters required");
        return STOP;
    }
    if (!format)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", format.status().message());
        return STOP;
    }
    if (encoding != "cp932" && encoding != "utf-8")
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "encoding: must be 'cp932' or 'utf-8', got '" + encoding + "'");
        return STOP;
    }
    if (format.value() == BulkResultWriter::FIXED && !_bulk->resultLayout())
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL",
                "the bulk_inquiry_result layout did not load");
        return STOP;
    }
    Status st = _bulk->finalProgress(*ex.tenant, ex.systemId, job).status();
    if (st.code() == Status::NOT_FOUND)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND", st.message());
        return STOP;
    }
    if (st.code() == Status::FAILED_PRECONDITION)
    {
        Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
        body.set("error", "NOT_FINAL");
        body.set("message", st.message());
        body.set("pending", std::stoll(st.message()));
        body.set("requestId", ex.requestId);
        std::ostringstream text;
        body.stringify(text);
        ex.reply(Poco::Net::HTTPResponse::HTTP_CONFLICT, "application/json", text.str() + "\n");
        ex.errorCode = "NOT_FINAL";
        return STOP;
    }
    if (!st)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", st.message());
        return STOP;
    }
    // Every item is final: the results go out page by page as they are rendered, so a job of
    // hundreds of thousands of items is never held in memory whole (docs/formats.md).
    auto writer = std::make_shared<BulkResultWriter>(
        format.value(), encoding == "utf-8" ? CsvCharset::utf8() : CsvCharset::cp932(), _bulk->resultLayout());
    std::shared_ptr<BulkInquiryService> bulk = _bulk;
    TenantCode tenant = *ex.tenant;
    std::string systemId = ex.systemId, requestId = ex.requestId;
    ex.stream(Poco::Net::HTTPResponse::HTTP_OK, writer->contentType(),
              [bulk, writer, tenant, systemId, job, requestId](std::ostream& body)
              {
                  std::string out;
                  Status sent = bulk->results(tenant, systemId, job, *writer, out,
                                              [&body](std::string& page)
                                              {
                                                  body.write(page.data(), static_cast<std::streamsize>(page.size()));
                                                  page.clear();
                                                  return body.good();
                                              });
                  if (!sent)
                      Poco::Logger::get("chukan.bulk")
                          .error("request %s bulk job %s: results not sent whole: %s", requestId, job,
                                 sent.message());
                  return sent.isOk();
              });
    return STOP;
}

} // namespace chukan
