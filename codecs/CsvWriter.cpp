// CsvWriter: quoting and CRLF framing; encoding per field so errors name the column.
#include "codecs/CsvWriter.h"

namespace chukan {

CsvWriter::CsvWriter(Options options) : _options(std::move(options))
{
    if (_options.bom && _options.charset.kind() == CsvCharset::UTF8)
        _out = "\xEF\xBB\xBF";
}

std::string CsvWriter::formatField(const std::string& field, char delimiter)
{
    bool quote = !field.empty() && (field.front() == ' ' || field.front() == '\t' || field.back() == ' ' ||
                                    field.back() == '\t');
    // A leading U+FEFF would be taken for a byte order mark (and dropped) when it opens the file.
    quote = quote || field.compare(0, 3, "\xEF\xBB\xBF") == 0;
    for (char c : field)
        if (c == delimiter || c == '"' || c == '\r' || c == '\n')
        {
            quote = true;
            break;
        }
    if (!quote)
        return field;
    std::string out;
    out.reserve(field.size() + 2);
    out += '"';
    for (char c : field)
    {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

Status CsvWriter::writeRecord(const std::vector<std::string>& fields)
{
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i)
    {
        // A record of one empty field is written "" so that it is not an empty line (skipped).
        std::string text = fields.size() == 1 && fields[0].empty() ? "\"\"" : formatField(fields[i], _options.delimiter);
        Result<std::string> encoded = _options.charset.encode(text);
        if (!encoded)
            return Status::invalid("record " + std::to_string(_records + 1) + ", column " + std::to_string(i + 1) +
                                   ": " + encoded.status().message());
        if (i > 0)
            line += _options.delimiter;
        line += encoded.value();
    }
    line += "\r\n";
    _out += line;
    ++_records;
    return Status::ok();
}

} // namespace chukan
