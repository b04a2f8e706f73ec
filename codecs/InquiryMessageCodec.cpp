// InquiryMessageCodec: writes and reads <InquiryRequest> and <InquiryResponse>.
#include "codecs/InquiryMessageCodec.h"

#include "codecs/XmlValue.h"
#include "codecs/XmlWriter.h"

namespace chukan {

Result<std::string> InquiryMessageCodec::encodeRequest(const InquiryRequest& q)
{
    XmlWriter w;
    w.start("InquiryRequest", {{"xmlns", NAMESPACE}});
    q.header.writeXml(w);
    w.start("Inquiry");
    w.text("TougouAtenaNo", q.atenaNo);
    w.text("JimuCode", q.jimuCode);
    w.text("JimuTetsuzukiCode", q.jimuTetsuzukiCode);
    w.text("DataItemCode", q.dataItemCode);
    w.text("ProviderCode", q.providerCode);
    w.start("Condition");
    w.text("ConditionKind", q.conditionKind);
    w.text("YearKind", q.yearKind);
    if (!q.fiscalYear.empty())
        w.text("FiscalYear", q.fiscalYear);
    if (!q.fromDate.empty())
        w.text("FromDate", q.fromDate);
    if (!q.toDate.empty())
        w.text("ToDate", q.toDate);
    w.end();
    w.text("ResultFormat", q.resultFormat);
    w.end();
    w.end();
    if (!w.status())
        return Status::invalid("inquiry request: " + w.status().message());
    return w.str();
}

Result<std::string> InquiryMessageCodec::encodeResponse(const InquiryResponse& r)
{
    XmlWriter w;
    w.start("InquiryResponse", {{"xmlns", NAMESPACE}});
    r.header.writeXml(w);
    w.text("SerialNo", r.serialNo);
    w.text("Status", r.status);
    if (!r.detailStatus.empty())
        w.text("DetailStatus", r.detailStatus);
    if (!r.itemStatus.empty())
        w.text("ItemStatus", r.itemStatus);
    if (!r.errorCode.empty())
    {
        w.start("Error");
        w.text("Code", r.errorCode);
        w.text("Message", r.errorMessage);
        w.end();
    }
    if (!r.resultFormat.empty())
        w.text("ResultFormat", r.resultFormat);
    if (r.hasResultData)
        w.data("ResultData", r.resultData);
    w.end();
    if (!w.status())
        return Status::invalid("inquiry response: " + w.status().message());
    return w.str();
}

Result<XmlElement> InquiryMessageCodec::parseRoot(const std::string& xml, const char* expected) const
{
    SecureXmlParser::Outcome parsed = _parser.parse(xml);
    std::string what = std::string(expected) == "InquiryRequest" ? "inquiry request: " : "inquiry response: ";
    if (!parsed.ok())
        return Status::invalid(what + parsed.summary());
    if (parsed.root->name != expected)
        return Status::invalid(what + "root element is " + parsed.root->name + ", expected " + expected);
    return std::move(*parsed.root);
}

Result<InquiryRequest> InquiryMessageCodec::decodeRequest(const std::string& xml) const
{
    Result<XmlElement> root = parseRoot(xml, "InquiryRequest");
    if (!root)
        return root.status();
    const XmlElement* headerElement = root->child("MessageHeader");
    const XmlElement* inquiry = root->child("Inquiry");
    const XmlElement* condition = inquiry ? inquiry->child("Condition") : nullptr;
    if (!headerElement || !condition)
        return Status::invalid("inquiry request: MessageHeader or Inquiry/Condition missing");
    Result<MessageHeader> header = MessageHeader::fromXml(*headerElement);
    if (!header)
        return Status::invalid("inquiry request: " + header.status().message());
    InquiryRequest q;
    q.header = header.value();
    q.atenaNo = XmlValue::token(*inquiry, "TougouAtenaNo");
    q.jimuCode = XmlValue::token(*inquiry, "JimuCode");
    q.jimuTetsuzukiCode = XmlValue::token(*inquiry, "JimuTetsuzukiCode");
    q.dataItemCode = XmlValue::token(*inquiry, "DataItemCode");
    q.providerCode = XmlValue::token(*inquiry, "ProviderCode");
    q.conditionKind = XmlValue::token(*condition, "ConditionKind");
    q.yearKind = XmlValue::token(*condition, "YearKind");
    q.fiscalYear = XmlValue::token(*condition, "FiscalYear");
    q.fromDate = XmlValue::token(*condition, "FromDate");
    q.toDate = XmlValue::token(*condition, "ToDate");
    q.resultFormat = XmlValue::token(*inquiry, "ResultFormat");
    return q;
}

Result<InquiryResponse> InquiryMessageCodec::decodeResponse(const std::string& xml) const
{
    Result<XmlElement> root = parseRoot(xml, "InquiryResponse");
    if (!root)
        return root.status();
    const XmlElement* headerElement = root->child("MessageHeader");
    if (!headerElement)
        return Status::invalid("inquiry response: MessageHeader missing");
    Result<MessageHeader> header = MessageHeader::fromXml(*headerElement);
    if (!header)
        return Status::invalid("inquiry response: " + header.status().message());
    InquiryResponse r;
    r.header = header.value();
    r.serialNo = XmlValue::token(*root, "SerialNo");
    r.status = XmlValue::token(*root, "Status");
    r.detailStatus = XmlValue::token(*root, "DetailStatus");
    r.itemStatus = XmlValue::token(*root, "ItemStatus");
    if (const XmlElement* error = root->child("Error"))
    {
        r.errorCode = XmlValue::token(*error, "Code");
        r.errorMessage = error->childText("Message");
    }
    r.resultFormat = XmlValue::token(*root, "ResultFormat");
    if (const XmlElement* data = root->child("ResultData"))
    {
        r.hasResultData = true;
        r.resultData = data->text;
    }
    return r;
}

} // namespace chukan
