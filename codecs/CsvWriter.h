// CsvWriter: writes RFC 4180 CSV (CRLF terminators, minimal quoting) from UTF-8 fields in UTF-8 or CP932.
#pragma once

#include "codecs/CsvCharset.h"

#include <string>
#include <vector>

namespace chukan {

/// Accumulates records in memory. A field is quoted when it contains the delimiter, a quote,
/// CR or LF, starts or ends with a space or tab, or starts with U+FEFF (which would otherwise
/// pass for a byte order mark); quotes are doubled. A record of one empty field is written
/// `""` (an empty line would be skipped when read). Every record,
/// including the last, ends with CRLF. A record that cannot be encoded (a character missing
/// from CP932, invalid UTF-8) is not written and its Status names the record and column.
/// Thread-safety: one writer per thread.
class CsvWriter
{
public:
    struct Options
    {
        CsvCharset charset = CsvCharset::utf8();
        char delimiter = ',';
        bool bom = false; ///< write a UTF-8 BOM first (UTF-8 only; some spreadsheet tools want it)
    };

    CsvWriter() : CsvWriter(Options()) {}
    explicit CsvWriter(Options options);

    /// Appends one record (header or data). Fields are UTF-8.
    Status writeRecord(const std::vector<std::string>& fields);

    /// The encoded file so far.
    const std::string& bytes() const { return _out; }
    /// Records written so far (header included).
    std::size_t records() const { return _records; }

    /// The field as it appears in the file before charset encoding (quoted when needed).
    static std::string formatField(const std::string& field, char delimiter = ',');

private:
    Options _options;
    std::string _out;
    std::size_t _records = 0;
};

} // namespace chukan
