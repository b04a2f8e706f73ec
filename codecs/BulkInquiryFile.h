// BulkInquiryFile: reads a bulk inquiry file (220-byte CP932 records, CRLF or none) into records
// and per-field errors.
#pragma once

#include "codecs/BulkInquiryRecord.h"
#include "codecs/LayoutCodec.h"
#include "codecs/RecordError.h"

#include <memory>
#include <string_view>
#include <vector>

namespace chukan
{

/// First every field of every record is searched for a 個人番号 (MyNumber::containsCandidate on
/// the field's bytes); if one holds one, that is all parse() reports (Parsed::myNumber).
/// Otherwise decodes with the bulk_inquiry layout, then checks what an inquiry needs beyond the
/// layout: a 統合宛名番号 (the layout lets it be blank; this server keeps no 宛名番号 map),
/// 16-character codes of letters and digits, an item code TM + 14, and 照会開始日付 <=
/// 照会終了日付. A bad record yields one RecordError per bad field (byte offsets in the file as
/// sent) and is left out; reading goes on. Records may be CRLF-terminated (the layout's form) or
/// follow each other with no terminator (recognised when the body holds no LF and is a multiple of
/// 220). Thread-safety: immutable; parse() may run concurrently.
class BulkInquiryFile
{
public:
    struct Parsed
    {
        std::vector<BulkInquiryRecord> records; ///< the good records, in file order
        std::vector<RecordError> errors;        ///< every bad field of every bad record
        std::size_t recordsRead = 0;
        std::size_t badRecords = 0;
        bool stoppedAtLimit = false; ///< more than errorLimit bad records: probably not this layout
        bool terminated = true;      ///< CRLF records (false: no terminator)
        /// A field holds a 個人番号 candidate: records is empty and errors names only those
        /// fields (record, field, offset; never the value). The file must be refused whole.
        bool myNumber = false;
    };

    /// REQUIRES: codec holds the bulk_inquiry layout (checked: INVALID_ARGUMENT from create()).
    static Result<BulkInquiryFile> create(std::shared_ptr<const LayoutCodec> codec);

    /// requesterCode, when given, is the only 情報照会者機関コード accepted (this institution's).
    Parsed parse(std::string_view body, std::size_t errorLimit = 1000,
                 const std::string& requesterCode = "") const;

    /// The names of the 18 fields in layout order (the keys of error entries).
    static const std::vector<std::string>& fieldNames();

private:
    explicit BulkInquiryFile(std::shared_ptr<const LayoutCodec> codec) : _codec(std::move(codec)) {}
    /// Appends an error per field holding a 個人番号; returns the number of records scanned.
    std::size_t findMyNumbers(std::string_view body, std::size_t length, bool terminated,
                              std::vector<RecordError>& errors) const;
    bool check(const BulkInquiryRecord& r, std::size_t recordOffset,
               const std::string& requesterCode, std::vector<RecordError>& errors) const;

    std::shared_ptr<const LayoutCodec> _codec;
};

} // namespace chukan
