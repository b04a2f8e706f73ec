// CsvReader: RFC 4180 CSV into UTF-8 records; a bad record becomes an issue and the rest is kept.
#pragma once

#include "codecs/CsvCharset.h"

#include <string>
#include <vector>

namespace chukan {

/// Reads CSV per RFC 4180 with the usual tolerances:
/// - records end with CRLF, LF or a lone CR; the last record may lack a terminator;
/// - a field is quoted when it starts with '"'; inside quotes "" is one quote and commas,
///   CR and LF are data; a quote inside an unquoted field is an error ("stray quote");
/// - empty lines between records are skipped; a UTF-8 BOM is skipped in UTF-8 mode;
/// - with a header row, every record must have as many fields as the header, otherwise as
///   many as the first good record.
/// Nothing throws for bad data: each bad record is an Issue (record, line, column, reason),
/// the record is dropped and reading goes on, until maxIssues issues have been collected.
/// Thread-safety: stateless; read() may run concurrently.
class CsvReader
{
public:
    struct Options
    {
        CsvCharset charset = CsvCharset::utf8();
        bool header = true;            ///< first record names the columns
        char delimiter = ',';
        std::size_t maxIssues = 100;   ///< stop after this many issues (Table::truncated)
    };

    struct Issue
    {
        std::size_t record = 0; ///< 1-based data record (header = 0); bad records count too
        std::size_t line = 0;   ///< 1-based physical line where the record starts
        std::size_t column = 0; ///< 1-based field, 0 when the whole record is concerned
        std::string reason;
        /// "record 3 (line 4), column 2: stray quote in unquoted field"
        std::string toString() const;
    };

    struct Record
    {
        std::size_t number = 0; ///< 1-based data record number
        std::size_t line = 0;   ///< 1-based physical line where it starts
        std::vector<std::string> fields; ///< UTF-8
    };

    struct Table
    {
        std::vector<std::string> header; ///< UTF-8 column names (empty without header)
        std::vector<Record> records;     ///< good records only
        std::vector<Issue> issues;
        bool truncated = false;          ///< stopped early at maxIssues

        bool ok() const { return issues.empty(); }
        /// Index of the named column in header, or -1.
        int columnIndex(const std::string& name) const;
    };

    static Table read(const std::string& bytes, const Options& options);
    static Table read(const std::string& bytes) { return read(bytes, Options()); }
};

} // namespace chukan
