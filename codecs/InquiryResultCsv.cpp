// InquiryResultCsv: header mapping and per-column checks of the inquiry result CSV.
#include "codecs/InquiryResultCsv.h"

namespace chukan {

namespace {

bool allOf(const std::string& v, bool (*pred)(char))
{
    for (char c : v)
        if (!pred(c))
            return false;
    return true;
}
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlnum(char c) { return isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool isSerialChar(char c) { return isAlnum(c) || c == '-' || c == '_'; }

} // namespace

const std::vector<std::string>& InquiryResultCsv::columns()
{
    static const std::vector<std::string> names = {"処理通番",       "統合宛名番号",   "事務コード",
                                                   "特定個人情報名コード", "情報提供者機関コード", "詳細ステータス",
                                                   "項目ステータス",   "エラーメッセージ", "データ"};
    return names;
}

std::vector<std::string> InquiryResultCsv::Row::fields() const
{
    return {serial, atenaNo, jimuCode, dataItemCode, providerCode, detailStatus, itemStatus, errorMessage, data};
}

Status InquiryResultCsv::checkField(Column column, const std::string& v)
{
    switch (column)
    {
    case SERIAL:
        if (v.empty() || v.size() > 32 || !allOf(v, isSerialChar))
            return Status::invalid("処理通番 must be 1-32 of A-Z a-z 0-9 - _");
        break;
    case ATENA_NO:
        if (v.size() != 15 || !allOf(v, isDigit))
            return Status::invalid("統合宛名番号 must be 15 digits");
        break;
    case JIMU_CODE:
    case DATA_ITEM:
    case PROVIDER:
        if (v.size() != 16 || !allOf(v, isAlnum))
            return Status::invalid(columns()[column] + " must be 16 characters of A-Z a-z 0-9");
        break;
    case DETAIL_STATUS:
    case ITEM_STATUS:
        if (v.size() != 2 || !allOf(v, isDigit))
            return Status::invalid(columns()[column] + " must be 2 digits");
        break;
    default:
        break;
    }
    return Status::ok();
}

InquiryResultCsv::Parsed InquiryResultCsv::read(const std::string& bytes, const CsvReader::Options& options)
{
    CsvReader::Options o = options;
    o.header = true;
    CsvReader::Table table = CsvReader::read(bytes, o);
    Parsed out;
    out.issues = table.issues;
    out.truncated = table.truncated;
    if (table.header.empty())
        return out;
    int index[COLUMN_COUNT];
    bool headerOk = true;
    for (int c = 0; c < COLUMN_COUNT; ++c)
    {
        index[c] = table.columnIndex(columns()[c]);
        if (index[c] < 0)
        {
            out.issues.push_back(CsvReader::Issue{0, 1, 0, "header lacks column " + columns()[c]});
            headerOk = false;
        }
    }
    if (!headerOk)
    {
        out.truncated = out.truncated || !table.records.empty();
        return out;
    }
    for (const CsvReader::Record& rec : table.records)
    {
        if (out.issues.size() >= o.maxIssues)
        {
            out.truncated = true;
            break;
        }
        std::string v[COLUMN_COUNT];
        bool good = true;
        for (int c = 0; c < COLUMN_COUNT && good; ++c)
        {
            v[c] = rec.fields[static_cast<std::size_t>(index[c])];
            Status s = checkField(static_cast<Column>(c), v[c]);
            if (!s)
            {
                out.issues.push_back(
                    CsvReader::Issue{rec.number, rec.line, static_cast<std::size_t>(index[c]) + 1, s.message()});
                good = false;
            }
        }
        if (!good)
            continue;
        out.rows.push_back(Row{v[SERIAL], v[ATENA_NO], v[JIMU_CODE], v[DATA_ITEM], v[PROVIDER], v[DETAIL_STATUS],
                               v[ITEM_STATUS], v[ERROR_MESSAGE], v[DATA]});
        out.lines.push_back(rec.line);
    }
    return out;
}

Result<std::string> InquiryResultCsv::write(const std::vector<Row>& rows, const CsvWriter::Options& options)
{
    CsvWriter writer(options);
    Status s = writer.writeRecord(columns());
    if (!s)
        return s;
    std::size_t number = 0;
    for (const Row& row : rows)
    {
        ++number;
        std::vector<std::string> fields = row.fields();
        for (int c = 0; c < COLUMN_COUNT; ++c)
        {
            Status check = checkField(static_cast<Column>(c), fields[static_cast<std::size_t>(c)]);
            if (!check)
                return Status::invalid("row " + std::to_string(number) + ", column " + std::to_string(c + 1) + ": " +
                                       check.message());
        }
        s = writer.writeRecord(fields);
        if (!s)
            return s;
    }
    return writer.bytes();
}

} // namespace chukan
