// BulkResultWriter: renders inquiry results as CSV, XML or fixed-length records, one item at a time.
#pragma once

#include "codecs/BulkResultItem.h"
#include "codecs/CsvCharset.h"
#include "codecs/LayoutCodec.h"

#include <memory>
#include <string>

namespace chukan
{

/// Formats (docs/formats.md, "Bulk inquiry results"):
///   csv   — the inquiry result CSV (InquiryResultCsv columns), CP932 or UTF-8;
///   xml   — <BulkInquiryResult> of online-inquiry.xsd, UTF-8, data in CDATA;
///   fixed — records of conf/layouts/bulk_inquiry_result.xml (CP932, CRLF); data longer than
///           the data field continues in further records of the same 処理通番 (part_no of
///           part_count), data_length bytes of each data field being data.
/// Only characters and codes are converted: a result whose data the format cannot carry
/// unaltered (a character CP932 lacks; in fixed records also a control character such as a
/// line break, or more than 999 parts) is written without data, with 項目ステータス "90" and
/// error code UNREPRESENTABLE telling the system to fetch it as XML (UTF-8).
/// Use: begin(), add() per item, end(); the output of each call is appended to `out`.
/// Thread-safety: one writer per response.
class BulkResultWriter
{
public:
    enum Format
    {
        CSV,
        XML,
        FIXED
    };
    static constexpr const char* ITEM_UNREPRESENTABLE = "90";
    static constexpr const char* UNREPRESENTABLE = "UNREPRESENTABLE";
    static const std::string& unrepresentableText();

    /// "csv", "xml" or "fixed"; INVALID_ARGUMENT otherwise.
    static Result<Format> formatNamed(const std::string& name);

    /// fixedLayout: the bulk_inquiry_result layout (required for FIXED, checked by begin()).
    BulkResultWriter(Format format, CsvCharset csvCharset, std::shared_ptr<const LayoutCodec> fixedLayout);

    /// CSV header, XML prolog/header (jobId, destination system, count), nothing for fixed.
    Status begin(std::string& out, const std::string& jobId, const std::string& destination, std::size_t count);
    Status add(std::string& out, const BulkResultItem& item);
    void end(std::string& out);
    std::string contentType() const;

private:
    Status addCsv(std::string& out, const BulkResultItem& item);
    Status addXml(std::string& out, const BulkResultItem& item);
    Status addFixed(std::string& out, const BulkResultItem& item);
    static BulkResultItem withoutData(const BulkResultItem& item);

    Format _format;
    CsvCharset _csvCharset;
    std::shared_ptr<const LayoutCodec> _fixed;
};

} // namespace chukan
