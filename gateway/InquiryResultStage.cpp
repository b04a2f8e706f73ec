// InquiryResultStage: reads one inquiry by 処理通番 and renders it as the business system asked.
#include "gateway/InquiryResultStage.h"

#include "adapters/InquiryStore.h"
#include "codecs/InquiryMessageCodec.h"
#include "codecs/BulkResultWriter.h"
#include "codecs/InquiryResultCsv.h"
#include "gateway/BulkInquiryService.h"
#include "gateway/InquiryAcceptStage.h"

namespace chukan {

InquiryResultStage::InquiryResultStage(GatewayServices& services) : _services(services)
{
    Result<Layout> fixed = Layout::load(services.settings.layoutsDir + "/bulk_inquiry_result.xml");
    if (fixed)
        _fixed = std::make_shared<LayoutCodec>(fixed.value());
}

Stage::Outcome InquiryResultStage::run(Exchange& ex)
{
    std::string serial = ex.query.count("serial") ? ex.query.at("serial") : "";
    std::string format = ex.query.count("format") ? ex.query.at("format") : "xml";
    if (serial.empty() || serial.size() > 32)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", "serial: 1 to 32 characters required");
        return STOP;
    }
    if (format != "xml" && format != "csv" && format != "fixed")
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "format: must be 'xml', 'csv' or 'fixed', got '" + format + "'");
        return STOP;
    }
    std::optional<Inquiry> q = InquiryStore(*_services.db).get(*ex.tenant, serial);
    if (!q || q->systemId != ex.systemId)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND", "no inquiry " + serial + " for this system");
        return STOP;
    }
    InquiryResponse r = InquiryAcceptStage::responseFor(*q);
    auto status = InquiryStore::isTerminal(q->state) ? Poco::Net::HTTPResponse::HTTP_OK
                                                     : Poco::Net::HTTPResponse::HTTP_ACCEPTED;
    if (format == "xml")
    {
        Result<std::string> xml = InquiryMessageCodec::encodeResponse(r);
        if (!xml)
        {
            ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", xml.status().message());
            return STOP;
        }
        ex.reply(status, "application/xml; charset=UTF-8", xml.value());
        return STOP;
    }
    if (format == "fixed")
    {
        std::string out;
        BulkResultWriter writer(BulkResultWriter::FIXED, CsvCharset::cp932(), _fixed);
        Status st = writer.begin(out, q->serial, q->systemId, 1);
        if (st)
            st = writer.add(out, BulkInquiryService::resultItem(*q));
        if (!st)
        {
            ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", st.message());
            return STOP;
        }
        ex.reply(status, writer.contentType(), std::move(out));
        return STOP;
    }
    InquiryResultCsv::Row row;
    row.serial = q->serial;
    row.atenaNo = q->atenaNo;
    row.jimuCode = q->jimuCode;
    row.dataItemCode = q->itemCode;
    row.providerCode = q->providerCode;
    row.detailStatus = r.detailStatus.empty() ? "99" : r.detailStatus;
    row.itemStatus = r.itemStatus.empty() ? "99" : r.itemStatus;
    row.errorMessage = r.errorMessage;
    row.data = r.resultData;
    Result<std::string> csv = InquiryResultCsv::write({row});
    if (!csv)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", csv.status().message());
        return STOP;
    }
    ex.reply(status, "text/csv; charset=UTF-8", csv.value());
    return STOP;
}

} // namespace chukan
