// InquiryResultCsv: the shape of the bulk inquiry result CSV (one row per inquired item) and its reader/writer.
#pragma once

#include "codecs/CsvReader.h"
#include "codecs/CsvWriter.h"

#include <string>
#include <vector>

namespace chukan {

/// Columns, in the order written (reading matches by header name, in any order):
///   処理通番 · 統合宛名番号 (15 digits) · 事務コード (16) · 特定個人情報名コード (16) ·
///   情報提供者機関コード (16) · 詳細ステータス (2 digits, "09" normal) ·
///   項目ステータス (2 digits, "01" normal) · エラーメッセージ · データ
/// Code columns are 16 characters of A-Z a-z 0-9. データ carries the provided item
/// (e.g. XML) unaltered; エラーメッセージ is empty for a normal row.
class InquiryResultCsv
{
public:
    static constexpr const char* DETAIL_NORMAL = "09";
    static constexpr const char* ITEM_NORMAL = "01";

    enum Column
    {
        SERIAL,        ///< 処理通番
        ATENA_NO,      ///< 統合宛名番号
        JIMU_CODE,     ///< 事務コード
        DATA_ITEM,     ///< 特定個人情報名コード
        PROVIDER,      ///< 情報提供者機関コード
        DETAIL_STATUS, ///< 詳細ステータス
        ITEM_STATUS,   ///< 項目ステータス
        ERROR_MESSAGE, ///< エラーメッセージ
        DATA,          ///< データ
        COLUMN_COUNT
    };

    struct Row
    {
        std::string serial;
        std::string atenaNo;
        std::string jimuCode;
        std::string dataItemCode;
        std::string providerCode;
        std::string detailStatus;
        std::string itemStatus;
        std::string errorMessage;
        std::string data;

        bool isNormal() const { return detailStatus == DETAIL_NORMAL && itemStatus == ITEM_NORMAL; }
        std::vector<std::string> fields() const;
    };

    struct Parsed
    {
        std::vector<Row> rows;
        std::vector<std::size_t> lines; ///< start line of each row
        std::vector<CsvReader::Issue> issues;
        bool truncated = false;
        bool ok() const { return issues.empty(); }
    };

    /// The header names, in column order (UTF-8).
    static const std::vector<std::string>& columns();

    /// Reads a result file; the header must name every column. Rows with a malformed field are
    /// issues (record, line, column, reason); the good rows are kept.
    static Parsed read(const std::string& bytes, const CsvReader::Options& options = CsvReader::Options());

    /// Writes the header and rows; the Status names the first row that fails checkField() or
    /// cannot be encoded.
    static Result<std::string> write(const std::vector<Row>& rows,
                                     const CsvWriter::Options& options = CsvWriter::Options());

    /// Checks one field value for the column; empty Status when good.
    static Status checkField(Column column, const std::string& value);
};

} // namespace chukan
