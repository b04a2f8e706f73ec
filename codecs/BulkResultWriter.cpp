// BulkResultWriter: CSV rows, XML <Result> elements and fixed-length records of inquiry results.
#include "codecs/BulkResultWriter.h"

#include "codecs/CsvWriter.h"
#include "codecs/InquiryResultCsv.h"
#include "codecs/MessageHeader.h"
#include "codecs/XmlWriter.h"

#include <algorithm>
#include <map>

namespace chukan
{

namespace
{

const char* NAMESPACE = "urn:chukan:inquiry:1";
const std::size_t MAX_PARTS = 999;

std::string zeroPad(std::size_t n, std::size_t width)
{
    std::string s = std::to_string(n);
    return s.size() >= width ? s : std::string(width - s.size(), '0') + s;
}

/// Cuts CP932 bytes to at most `limit` bytes without splitting a double-byte character.
std::size_t cutAt(const Charset& cp932, const std::string& bytes, std::size_t from, std::size_t limit)
{
    std::size_t i = from, end = std::min(bytes.size(), from + limit);
    while (i < end)
    {
        std::size_t n = static_cast<std::size_t>(cp932.charLength(static_cast<unsigned char>(bytes[i])));
        if (n == 0 || i + n > end)
            break;
        i += n;
    }
    return i;
}

} // namespace

const std::string& BulkResultWriter::unrepresentableText()
{
    static const std::string text =
        "照会結果のデータにこの形式で表せない文字が含まれています。XML形式で取得してください。";
    return text;
}

Result<BulkResultWriter::Format> BulkResultWriter::formatNamed(const std::string& name)
{
    if (name == "csv")
        return CSV;
    if (name == "xml")
        return XML;
    if (name == "fixed")
        return FIXED;
    return Status::invalid("format: must be 'csv', 'xml' or 'fixed', got '" + name + "'");
}

BulkResultWriter::BulkResultWriter(Format format, CsvCharset csvCharset, std::shared_ptr<const LayoutCodec> fixedLayout)
    : _format(format), _csvCharset(std::move(csvCharset)), _fixed(std::move(fixedLayout))
{
}

std::string BulkResultWriter::contentType() const
{
    switch (_format)
    {
    case CSV:
        return _csvCharset.kind() == CsvCharset::CP932 ? "text/csv; charset=Shift_JIS" : "text/csv; charset=UTF-8";
    case XML:
        return "application/xml; charset=UTF-8";
    case FIXED:
        return "application/octet-stream";
    }
    return "application/octet-stream";
}

BulkResultItem BulkResultWriter::withoutData(const BulkResultItem& item)
{
    BulkResultItem r = item;
    r.hasData = false;
    r.data.clear();
    r.itemStatus = ITEM_UNREPRESENTABLE;
    r.errorCode = UNREPRESENTABLE;
    r.errorMessage = unrepresentableText();
    return r;
}

Status BulkResultWriter::begin(std::string& out, const std::string& jobId, const std::string& destination,
                               std::size_t count)
{
    switch (_format)
    {
    case CSV:
    {
        CsvWriter::Options o;
        o.charset = _csvCharset;
        CsvWriter w(o);
        Status st = w.writeRecord(InquiryResultCsv::columns());
        if (!st)
            return st;
        out += w.bytes();
        return Status::ok();
    }
    case XML:
    {
        XmlWriter w;
        w.start("BulkInquiryResult", {{"xmlns", NAMESPACE}});
        MessageHeader h;
        h.messageId = "RES-" + jobId;
        h.messageType = "BulkInquiryResult";
        h.sourceSystem = "chukan";
        h.destinationSystem = destination.empty() ? "unknown" : destination;
        h.writeXml(w);
        w.text("JobID", jobId);
        w.text("Count", std::to_string(count));
        if (!w.status())
            return w.status();
        out += w.str();
        return Status::ok();
    }
    case FIXED:
        if (!_fixed || _fixed->layout().field("data") == nullptr || _fixed->layout().field("data_length") == nullptr)
            return Status::precondition("fixed results need the bulk_inquiry_result layout");
        return Status::ok();
    }
    return Status::ok();
}

void BulkResultWriter::end(std::string& out)
{
    if (_format == XML)
        out += "</BulkInquiryResult>\n";
}

Status BulkResultWriter::add(std::string& out, const BulkResultItem& item)
{
    switch (_format)
    {
    case CSV:
        return addCsv(out, item);
    case XML:
        return addXml(out, item);
    case FIXED:
        return addFixed(out, item);
    }
    return Status::ok();
}

Status BulkResultWriter::addCsv(std::string& out, const BulkResultItem& item)
{
    for (int attempt = 0; attempt < 2; ++attempt)
    {
        BulkResultItem use = attempt == 0 ? item : withoutData(item);
        InquiryResultCsv::Row row;
        row.serial = use.serial;
        row.atenaNo = use.atenaNo;
        row.jimuCode = use.jimuCode;
        row.dataItemCode = use.itemCode;
        row.providerCode = use.providerCode;
        row.detailStatus = use.detailStatus;
        row.itemStatus = use.itemStatus;
        row.errorMessage = use.errorMessage;
        row.data = use.hasData ? use.data : "";
        CsvWriter::Options o;
        o.charset = _csvCharset;
        CsvWriter w(o);
        Status st = w.writeRecord(row.fields());
        if (st)
        {
            out += w.bytes();
            return Status::ok();
        }
        if (attempt == 1 || !item.hasData)
            return Status::invalid("result " + item.serial + ": " + st.message());
    }
    return Status::ok();
}

Status BulkResultWriter::addXml(std::string& out, const BulkResultItem& item)
{
    for (int attempt = 0; attempt < 2; ++attempt)
    {
        BulkResultItem use = attempt == 0 ? item : withoutData(item);
        XmlWriter w;
        w.start("Result");
        w.text("SerialNo", use.serial);
        if (use.recordNumber > 0)
            w.text("RecordNo", std::to_string(use.recordNumber));
        w.text("TougouAtenaNo", use.atenaNo);
        w.text("JimuCode", use.jimuCode);
        w.text("JimuTetsuzukiCode", use.procedureCode);
        w.text("DataItemCode", use.itemCode);
        w.text("ProviderCode", use.providerCode);
        w.text("Status", use.status);
        w.text("DetailStatus", use.detailStatus);
        w.text("ItemStatus", use.itemStatus);
        if (!use.errorCode.empty())
        {
            w.start("Error");
            w.text("Code", use.errorCode);
            w.text("Message", use.errorMessage);
            w.end();
        }
        if (use.hasData)
            w.data("ResultData", use.data);
        w.end();
        if (w.status())
        {
            const std::string& s = w.str();
            out.append(s, s.find('\n') + 1, std::string::npos); // without the XML declaration
            return Status::ok();
        }
        if (attempt == 1 || !item.hasData)
            return Status::invalid("result " + item.serial + ": " + w.status().message());
    }
    return Status::ok();
}

Status BulkResultWriter::addFixed(std::string& out, const BulkResultItem& item)
{
    const Charset cp932(Charset::CP932);
    const std::size_t dataWidth = _fixed->layout().field("data")->length;
    const LayoutField* messageField = _fixed->layout().field("error_message");
    BulkResultItem use = item;
    std::string data;
    bool representable = true;
    if (item.hasData)
    {
        Result<std::string> bytes = cp932.encode(item.data);
        representable = bytes.isOk();
        if (representable)
        {
            data = bytes.value();
            for (unsigned char c : data)
                if (c < 0x20 || c == 0x7F)
                    representable = false;
        }
    }
    // The parts, each cut at a character boundary.
    std::vector<std::string> parts;
    for (std::size_t from = 0; representable && from < data.size();)
    {
        std::size_t to = cutAt(cp932, data, from, dataWidth);
        if (to == from)
        {
            representable = false;
            break;
        }
        parts.push_back(data.substr(from, to - from));
        from = to;
    }
    if (parts.size() > MAX_PARTS)
        representable = false;
    if (!representable)
    {
        use = withoutData(item);
        parts.clear();
    }
    if (parts.empty())
        parts.push_back("");
    // Our own texts: cut at a character boundary when longer than the field.
    std::string message = use.errorMessage;
    if (messageField)
    {
        Result<std::string> bytes = cp932.encode(message);
        if (!bytes)
            message = use.errorCode;
        else if (bytes.value().size() > messageField->length)
            message = cp932.decode(bytes.value().substr(0, cutAt(cp932, bytes.value(), 0, messageField->length)))
                          .value();
    }
    for (std::size_t i = 0; i < parts.size(); ++i)
    {
        std::map<std::string, std::string> v;
        v["serial"] = use.serial;
        v["record_no"] = zeroPad(use.recordNumber, 7);
        v["tougou_atena_no"] = use.atenaNo;
        v["jimu_code"] = use.jimuCode;
        v["jimu_tetsuzuki_code"] = use.procedureCode;
        v["tokutei_kojin_jouhou_mei_code"] = use.itemCode;
        v["teikyousha_kikan_code"] = use.providerCode;
        v["shousai_status"] = use.detailStatus;
        v["koumoku_status"] = use.itemStatus;
        v["error_code"] = use.errorCode.substr(0, 32);
        v["error_message"] = message;
        v["part_no"] = zeroPad(i + 1, 3);
        v["part_count"] = zeroPad(parts.size(), 3);
        v["data_length"] = zeroPad(parts[i].size(), 4);
        Result<std::string> text = cp932.decode(parts[i]);
        if (!text)
            return Status::invalid("result " + item.serial + ": " + text.status().message());
        v["data"] = text.value();
        Result<std::string> record = _fixed->encode(v);
        if (!record)
            return Status::invalid("result " + item.serial + ": " + record.status().message());
        out += record.value();
    }
    return Status::ok();
}

} // namespace chukan
