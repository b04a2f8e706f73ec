// CsvReader: a byte-level RFC 4180 state machine, then per-field charset decoding.
#include "codecs/CsvReader.h"

namespace chukan {

std::string CsvReader::Issue::toString() const
{
    std::string where = record == 0 ? "header (line " + std::to_string(line) + ")"
                                    : "record " + std::to_string(record) + " (line " + std::to_string(line) + ")";
    if (column > 0)
        where += ", column " + std::to_string(column);
    return where + ": " + reason;
}

int CsvReader::Table::columnIndex(const std::string& name) const
{
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name)
            return static_cast<int>(i);
    return -1;
}

namespace {

/// One record split on the raw bytes, before charset decoding.
struct RawRecord
{
    std::vector<std::string> fields;
    bool blank = false;       ///< an empty line: no record
    std::size_t errorColumn = 0;
    std::string error;        ///< empty when structurally good
};

class Scanner
{
public:
    Scanner(const std::string& in, char delimiter) : _in(in), _delim(delimiter) {}

    bool atEnd() const { return _pos >= _in.size(); }
    std::size_t line() const { return _line; }
    void skip(std::size_t n) { _pos += n; }

    /// Parses one record starting at the current position and moves past its terminator.
    RawRecord next()
    {
        RawRecord r;
        std::size_t startPos = _pos, startLine = _line;
        enum
        {
            FIELD_START,
            UNQUOTED,
            QUOTED,
            AFTER_QUOTE
        } state = FIELD_START;
        std::string cur;
        if (isEol(_pos))
        {
            consumeEol();
            r.blank = true;
            return r;
        }
        for (;;)
        {
            if (_pos >= _in.size())
            {
                if (state == QUOTED)
                {
                    r.error = "unterminated quoted field (opening quote never closed)";
                    r.errorColumn = r.fields.size() + 1;
                    // Resume on the line after the record's first line, so what follows is kept.
                    _pos = startPos;
                    _line = startLine;
                    skipLine();
                    return r;
                }
                r.fields.push_back(std::move(cur));
                return r;
            }
            char c = _in[_pos];
            switch (state)
            {
            case FIELD_START:
                if (c == '"')
                {
                    state = QUOTED;
                    ++_pos;
                }
                else if (c == _delim)
                {
                    r.fields.push_back(std::move(cur));
                    cur.clear();
                    ++_pos;
                }
                else if (isEol(_pos))
                {
                    r.fields.push_back(std::move(cur));
                    consumeEol();
                    return r;
                }
                else
                {
                    cur += c;
                    state = UNQUOTED;
                    ++_pos;
                }
                break;
            case UNQUOTED:
                if (c == _delim)
                {
                    r.fields.push_back(std::move(cur));
                    cur.clear();
                    state = FIELD_START;
                    ++_pos;
                }
                else if (isEol(_pos))
                {
                    r.fields.push_back(std::move(cur));
                    consumeEol();
                    return r;
                }
                else if (c == '"')
                    return fail(r, "stray quote in unquoted field");
                else
                {
                    cur += c;
                    ++_pos;
                }
                break;
            case QUOTED:
                if (c == '"')
                {
                    if (_pos + 1 < _in.size() && _in[_pos + 1] == '"')
                    {
                        cur += '"';
                        _pos += 2;
                    }
                    else
                    {
                        state = AFTER_QUOTE;
                        ++_pos;
                    }
                }
                else
                {
                    if (c == '\n' || (c == '\r' && !(_pos + 1 < _in.size() && _in[_pos + 1] == '\n')))
                        ++_line;
                    cur += c;
                    ++_pos;
                }
                break;
            case AFTER_QUOTE:
                if (c == _delim)
                {
                    r.fields.push_back(std::move(cur));
                    cur.clear();
                    state = FIELD_START;
                    ++_pos;
                }
                else if (isEol(_pos))
                {
                    r.fields.push_back(std::move(cur));
                    consumeEol();
                    return r;
                }
                else
                    return fail(r, "unexpected character after closing quote");
                break;
            }
        }
    }

private:
    bool isEol(std::size_t p) const { return p < _in.size() && (_in[p] == '\r' || _in[p] == '\n'); }

    void consumeEol()
    {
        if (_in[_pos] == '\r' && _pos + 1 < _in.size() && _in[_pos + 1] == '\n')
            ++_pos;
        ++_pos;
        ++_line;
    }

    void skipLine()
    {
        while (_pos < _in.size() && !isEol(_pos))
            ++_pos;
        if (_pos < _in.size())
            consumeEol();
    }

    RawRecord fail(RawRecord& r, const char* reason)
    {
        r.error = reason;
        r.errorColumn = r.fields.size() + 1;
        skipLine();
        return std::move(r);
    }

    const std::string& _in;
    char _delim;
    std::size_t _pos = 0;
    std::size_t _line = 1;
};

} // namespace

CsvReader::Table CsvReader::read(const std::string& bytes, const Options& options)
{
    Table table;
    Scanner scanner(bytes, options.delimiter);
    if (options.charset.kind() == CsvCharset::UTF8 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0)
        scanner.skip(3);

    auto addIssue = [&](std::size_t record, std::size_t line, std::size_t column, std::string reason) {
        table.issues.push_back(Issue{record, line, column, std::move(reason)});
    };

    bool needHeader = options.header;
    std::size_t expected = 0; // 0: not known yet
    std::size_t recordNo = 0;
    while (!scanner.atEnd())
    {
        if (table.issues.size() >= options.maxIssues)
        {
            table.truncated = true; // input left unread
            break;
        }
        std::size_t line = scanner.line();
        RawRecord raw = scanner.next();
        if (raw.blank)
            continue;
        std::size_t number = needHeader ? 0 : ++recordNo;
        if (!raw.error.empty())
        {
            addIssue(number, line, raw.errorColumn, raw.error);
            if (needHeader)
                return table; // without a header nothing can be checked
            continue;
        }
        std::vector<std::string> fields;
        fields.reserve(raw.fields.size());
        bool good = true;
        for (std::size_t i = 0; i < raw.fields.size() && good; ++i)
        {
            Result<std::string> text = options.charset.decode(raw.fields[i]);
            if (!text)
            {
                addIssue(number, line, i + 1, std::string(options.charset.name()) + ": " + text.status().message());
                good = false;
            }
            else
                fields.push_back(std::move(text).value());
        }
        if (!good)
        {
            if (needHeader)
                return table;
            continue;
        }
        if (needHeader)
        {
            table.header = std::move(fields);
            expected = table.header.size();
            needHeader = false;
            continue;
        }
        if (expected == 0)
            expected = fields.size();
        else if (fields.size() != expected)
        {
            addIssue(number, line, 0,
                     "has " + std::to_string(fields.size()) + " fields, expected " + std::to_string(expected) +
                         (options.header ? " (as many as the header)" : " (as many as the first record)"));
            continue;
        }
        table.records.push_back(Record{number, line, std::move(fields)});
    }
    if (needHeader && table.issues.empty())
        addIssue(0, 1, 0, "empty input: header row missing");
    return table;
}

} // namespace chukan
