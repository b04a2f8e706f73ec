// CsvFuzzer: libFuzzer target — CSV reading in UTF-8 and CP932 (POCO's table and chukan's Charset
// as hooks), with the property that what was read writes and reads back to the same table.
#include "codecs/Charset.h"
#include "codecs/CsvReader.h"
#include "codecs/CsvWriter.h"
#include "tests/fuzz/FuzzCheck.h"

#include <cstdint>
#include <string>

namespace
{

using chukan::CsvCharset;
using chukan::CsvReader;
using chukan::fuzzCheck;

/// CP932 through chukan's Charset instead of Poco::Windows932Encoding.
CsvCharset charsetHooks()
{
    static const chukan::Charset cp932(chukan::Charset::CP932);
    return CsvCharset::cp932([](const std::string& b) { return cp932.decode(b); },
                             [](const std::string& u) { return cp932.encode(u); });
}

std::string describe(const std::vector<std::string>& fields)
{
    std::string s;
    for (const std::string& f : fields)
        s += (s.empty() ? "[" : ", [") + f + "]";
    return s;
}

void check(const std::string& bytes, const CsvReader::Options& options)
{
    CsvReader::Table table = CsvReader::read(bytes, options);
    fuzzCheck(table.issues.size() <= options.maxIssues, "no more issues than maxIssues");
    fuzzCheck(!table.truncated || table.issues.size() == options.maxIssues,
              "truncated only at maxIssues");
    std::size_t width = options.header
                            ? table.header.size()
                            : (table.records.empty() ? 0 : table.records[0].fields.size());
    for (const CsvReader::Record& r : table.records)
    {
        fuzzCheck(r.fields.size() == width, "every record is as wide as the header");
        fuzzCheck(r.number >= 1 && r.line >= 1, "record and line numbers are 1-based");
    }
    for (const CsvReader::Issue& i : table.issues)
        fuzzCheck(i.line >= 1 && !i.reason.empty(), "issue has a line and a reason", i.toString());

    // Write what was read and read it again: the same header and records.
    CsvReader::Options plain = options;
    plain.maxIssues = 1000000;
    chukan::CsvWriter writer(chukan::CsvWriter::Options{options.charset, options.delimiter, false});
    if (options.header && !table.header.empty())
        fuzzCheck(writer.writeRecord(table.header).isOk(), "header writes again",
                  describe(table.header));
    for (const CsvReader::Record& r : table.records)
    {
        chukan::Status s = writer.writeRecord(r.fields);
        fuzzCheck(s.isOk(), "a record read writes again", describe(r.fields) + ": " + s.message());
    }
    if (table.records.empty() && (!options.header || table.header.empty()))
        return;
    CsvReader::Table again = CsvReader::read(writer.bytes(), plain);
    fuzzCheck(again.issues.empty(), "written CSV reads without issues",
              again.issues.empty() ? std::string() : again.issues[0].toString());
    fuzzCheck(again.header == table.header, "header survives write and read",
              describe(table.header) + " became " + describe(again.header));
    fuzzCheck(again.records.size() == table.records.size(), "record count survives write and read",
              std::to_string(table.records.size()) + " became " +
                  std::to_string(again.records.size()));
    for (std::size_t i = 0; i < table.records.size(); ++i)
        fuzzCheck(
            again.records[i].fields == table.records[i].fields, "record survives write and read",
            describe(table.records[i].fields) + " became " + describe(again.records[i].fields));
}

} // namespace

/// The first byte picks the options (bit 0: header, bits 1-2: UTF-8 / CP932 via POCO / CP932 via
/// Charset, bit 3: tab delimiter, bit 4: maxIssues 3); the rest is the file.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    unsigned mode = data[0];
    std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    CsvReader::Options options;
    options.header = (mode & 1) != 0;
    switch ((mode >> 1) & 3)
    {
    case 0:
    case 3:
        options.charset = CsvCharset::utf8();
        break;
    case 1:
        options.charset = CsvCharset::cp932();
        break;
    case 2:
        options.charset = charsetHooks();
        break;
    }
    options.delimiter = (mode & 8) ? '\t' : ',';
    if (mode & 16)
        options.maxIssues = 3;
    check(bytes, options);
    return 0;
}
