// LayoutCodec: decodes and encodes records of one Layout; bad data becomes RecordError values.
#pragma once

#include "codecs/Charset.h"
#include "codecs/DecodedRecord.h"
#include "codecs/Layout.h"
#include "codecs/LayoutReport.h"
#include "codecs/RecordError.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chukan
{

/// Decoding yields UTF-8 values with padding trimmed (X: trailing spaces, N: trailing U+3000,
/// 9: leading zeros unless zeros="keep"); dates come out as YYYY-MM-DD (和暦 too, converted).
/// Encoding writes exactly each field's byte length: values that do not fit, X values with
/// double-byte characters, N values with single-byte characters and non-digits in 9 fields
/// are errors naming the field — nothing is truncated, so a double-byte character is never split.
///
/// Thread-safety: immutable after construction; decode/encode may run concurrently.
class LayoutCodec
{
public:
    explicit LayoutCodec(Layout layout, std::shared_ptr<const GaijiTable> gaiji = nullptr);

    const Layout& layout() const { return _layout; }

    /// Decodes a whole buffer of records. Each bad record adds one RecordError per bad field
    /// (or one for the record when its length is wrong) and decoding goes on with the next
    /// record; after `errorLimit` bad records (0 = no limit) it stops and sets stoppedAtLimit.
    LayoutReport decode(std::string_view data, std::size_t errorLimit = 100) const;
    /// decode() of a buffer of at least minRecords records on two threads: the second half (from
    /// a record boundary) is decoded on a thread of its own while the caller decodes the first,
    /// and the two reports are joined into exactly the report decode() gives — records, errors
    /// (numbers and offsets), recordsRead, badRecords and where the error limit stops it.
    /// A smaller buffer is decoded by decode() on the calling thread.
    LayoutReport decodeInTwo(std::string_view data, std::size_t minRecords,
                             std::size_t errorLimit = 100) const;

    /// Decodes one record body (exactly recordLength() bytes, no terminator) that starts at
    /// `fileOffset` in its file into out.values (one per field; strings already there are
    /// reused). Returns false and appends to `errors` when a field is bad (then the values of
    /// the bad fields are unspecified).
    bool decodeRecord(std::string_view body, std::size_t recordNumber, std::size_t fileOffset,
                      DecodedRecord& out, std::vector<RecordError>& errors) const;

    /// Encodes one record (with the layout's terminator) from field name -> UTF-8 value.
    /// Missing fields are blank; unknown names are errors. Every bad field is named in the Status.
    Result<std::string> encode(const std::map<std::string, std::string>& values) const;

    /// One field's value as a UTF-8 string; on error `badOffset` is set relative to the field.
    Result<std::string> decodeField(const LayoutField& field, std::string_view bytes,
                                    std::size_t& badOffset) const;
    /// One field's bytes, exactly field.length long.
    Result<std::string> encodeField(const LayoutField& field, const std::string& value) const;

private:
    /// decodeField into `out` (cleared first, its capacity reused); on error `out` is unspecified.
    Status decodeFieldInto(const LayoutField& field, std::string_view bytes, std::string& out,
                           std::size_t& badOffset) const;
    /// These append the value to `out`.
    Status decodeText(const LayoutField& field, std::string_view bytes, std::string& out,
                      std::size_t& badOffset) const;
    Status decodeWide(std::string_view bytes, std::string& out, std::size_t& badOffset) const;
    Status decodeMixed(std::string_view bytes, std::string& out, std::size_t& badOffset) const;
    Result<std::string> encodeText(const LayoutField& field, const std::string& value) const;
    Result<std::string> encodeWide(const LayoutField& field, const std::string& value) const;
    Result<std::string> encodeMixed(const LayoutField& field, const std::string& value) const;

    Layout _layout;
    Charset _charset;
};

} // namespace chukan
