// LayoutCodec: field-by-field conversion between fixed-length bytes and UTF-8 values.
#include "codecs/LayoutCodec.h"

#include "codecs/CharsetTables.h"
#include "codecs/Wareki.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <thread>

namespace chukan
{

namespace
{

std::string toHex(std::string_view bytes, std::size_t limit)
{
    static const char digits[] = "0123456789ABCDEF";
    std::string s;
    std::size_t n = std::min(bytes.size(), limit);
    s.reserve(n * 2 + 3);
    for (std::size_t i = 0; i < n; ++i)
    {
        unsigned char b = static_cast<unsigned char>(bytes[i]);
        s += digits[b >> 4];
        s += digits[b & 0xF];
    }
    if (bytes.size() > limit)
        s += "...";
    return s;
}

std::string byteName(unsigned char b)
{
    static const char digits[] = "0123456789ABCDEF";
    std::string s = "0x";
    s += digits[b >> 4];
    s += digits[b & 0xF];
    if (b >= 0x21 && b <= 0x7E)
        s += std::string(" '") + static_cast<char>(b) + "'";
    return s;
}

bool allOf(std::string_view bytes, char c)
{
    return std::all_of(bytes.begin(), bytes.end(), [c](char b) { return b == c; });
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// Keeps only digits when the rest are the separators of an ISO date/time.
std::string dateDigits(const std::string& value)
{
    std::string d;
    for (char c : value)
        if (isDigit(c))
            d += c;
        else if (c != '-' && c != ':' && c != 'T' && c != '.' && c != ' ')
            return std::string();
    return d;
}

/// Appends "YYYY-MM-DD" for 8 digits YYYYMMDD.
void appendIsoDate(std::string& out, std::string_view d)
{
    char iso[10] = {d[0], d[1], d[2], d[3], '-', d[4], d[5], '-', d[6], d[7]};
    out.append(iso, sizeof iso);
}

std::string isoDate(const std::string& yyyymmdd)
{
    return yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2);
}

Status checkTime(const std::string& digits)
{
    int hh = std::stoi(digits.substr(8, 2)), mm = std::stoi(digits.substr(10, 2)),
        ss = std::stoi(digits.substr(12, 2));
    if (hh > 23 || mm > 59 || ss > 59)
        return Status::invalid("time " + digits.substr(8, 2) + ":" + digits.substr(10, 2) + ":" +
                               digits.substr(12, 2) + " does not exist");
    return Status::ok();
}

std::string isoDateTime(const std::string& d)
{
    std::string s =
        isoDate(d) + "T" + d.substr(8, 2) + ":" + d.substr(10, 2) + ":" + d.substr(12, 2);
    if (d.size() == 17)
        s += "." + d.substr(14, 3);
    return s;
}

std::string codeList(const LayoutField& f)
{
    std::string s;
    for (const auto& c : f.codes)
        s += (s.empty() ? "" : ", ") + c.first;
    return s;
}

} // namespace

LayoutCodec::LayoutCodec(Layout layout, std::shared_ptr<const GaijiTable> gaiji)
    : _layout(std::move(layout)), _charset(_layout.encoding(), std::move(gaiji))
{
}

LayoutReport LayoutCodec::decode(std::string_view data, std::size_t errorLimit) const
{
    LayoutReport report;
    const std::size_t length = _layout.recordLength();
    const Layout::Terminator terminator = _layout.terminator();
    report.records.reserve(data.size() / (length + std::strlen(_layout.terminatorBytes())) + 1);
    std::size_t pos = 0;
    while (pos < data.size())
    {
        if (errorLimit && report.badRecords >= errorLimit)
        {
            report.stoppedAtLimit = true;
            break;
        }
        std::size_t start = pos, next;
        std::string_view body;
        std::string terminatorProblem;
        if (terminator == Layout::NONE)
        {
            next = std::min(pos + length, data.size());
            body = data.substr(pos, next - pos);
        }
        else
        {
            std::size_t nl = data.find('\n', pos);
            std::size_t end = nl == std::string_view::npos ? data.size() : nl;
            next = nl == std::string_view::npos ? data.size() : nl + 1;
            if (terminator == Layout::CRLF && nl != std::string_view::npos)
            {
                if (end > pos && data[end - 1] == '\r')
                    --end;
                else
                    terminatorProblem =
                        "record ends with LF, layout '" + _layout.name() + "' needs CRLF";
            }
            body = data.substr(pos, end - pos);
        }
        pos = next;
        ++report.recordsRead;
        std::size_t number = report.recordsRead;
        if (body.size() != length || !terminatorProblem.empty())
        {
            RecordError e;
            e.recordNumber = number;
            e.byteOffset = start;
            e.reason = !terminatorProblem.empty() && body.size() == length
                           ? terminatorProblem
                           : "record is " + std::to_string(body.size()) + " bytes, layout '" +
                                 _layout.name() + "' needs " + std::to_string(length) +
                                 (terminator == Layout::NONE ? " (truncated last record)" : "");
            e.rawHex = toHex(body, 64);
            report.errors.push_back(std::move(e));
            ++report.badRecords;
            continue;
        }
        DecodedRecord record;
        if (decodeRecord(body, number, start, record, report.errors))
            report.records.push_back(std::move(record));
        else
            ++report.badRecords;
    }
    return report;
}

LayoutReport LayoutCodec::decodeInTwo(std::string_view data, std::size_t minRecords,
                                      std::size_t errorLimit) const
{
    const std::size_t stride = _layout.recordLength() + std::strlen(_layout.terminatorBytes());
    if (stride == 0 || data.size() / stride < std::max<std::size_t>(minRecords, 2))
        return decode(data, errorLimit);
    // The split is a record boundary of decode()'s framing: a multiple of the record length
    // without terminator, else just after a '\n' (decode() ends every record at one).
    std::size_t split = data.size() / stride / 2 * stride;
    if (_layout.terminator() != Layout::NONE)
    {
        std::size_t nl = data.find('\n', split);
        if (nl == std::string_view::npos || nl + 1 >= data.size())
            return decode(data, errorLimit);
        split = nl + 1;
    }
    LayoutReport second;
    std::exception_ptr failed;
    std::thread worker(
        [&]
        {
            try
            {
                second = decode(data.substr(split), errorLimit);
            }
            catch (...)
            {
                failed = std::current_exception();
            }
        });
    LayoutReport first;
    try
    {
        first = decode(data.substr(0, split), errorLimit);
    }
    catch (...)
    {
        worker.join();
        throw;
    }
    worker.join();
    if (failed)
        std::rethrow_exception(failed);

    // decode() checks the limit before each record: reached within the first part, it stops
    // there, as data is left.
    if (errorLimit && first.badRecords >= errorLimit)
    {
        first.stoppedAtLimit = true;
        return first;
    }
    // The second part may count only the bad records the limit leaves: cut it after the one
    // that reaches the limit (its errors are in record order).
    std::size_t lastNumber = second.recordsRead; // the last record of the second part kept
    bool stopped = second.stoppedAtLimit;
    if (errorLimit && second.badRecords >= errorLimit - first.badRecords)
    {
        const std::size_t allowed = errorLimit - first.badRecords;
        std::size_t bad = 0, previous = 0;
        for (const RecordError& e : second.errors)
            if (e.recordNumber != previous)
            {
                previous = e.recordNumber;
                if (++bad == allowed)
                    break;
            }
        lastNumber = previous;
        stopped = second.stoppedAtLimit || second.recordsRead > lastNumber;
        second.badRecords = allowed;
    }
    const std::size_t offsetNumber = first.recordsRead;
    first.records.reserve(first.records.size() + second.records.size());
    for (DecodedRecord& r : second.records)
    {
        if (r.recordNumber > lastNumber)
            break;
        r.recordNumber += offsetNumber;
        first.records.push_back(std::move(r));
    }
    for (RecordError& e : second.errors)
    {
        if (e.recordNumber > lastNumber)
            break;
        e.recordNumber += offsetNumber;
        e.byteOffset += split;
        first.errors.push_back(std::move(e));
    }
    first.recordsRead += lastNumber;
    first.badRecords += second.badRecords;
    first.stoppedAtLimit = stopped;
    return first;
}

bool LayoutCodec::decodeRecord(std::string_view body, std::size_t recordNumber,
                               std::size_t fileOffset, DecodedRecord& out,
                               std::vector<RecordError>& errors) const
{
    out.recordNumber = recordNumber;
    const std::vector<LayoutField>& fields = _layout.fields();
    out.values.resize(fields.size()); // strings already there are reused
    bool good = true;
    for (std::size_t i = 0; i < fields.size(); ++i)
    {
        const LayoutField& f = fields[i];
        std::string_view bytes = body.substr(f.offset, f.length);
        std::size_t badOffset = 0;
        Status value = decodeFieldInto(f, bytes, out.values[i], badOffset);
        if (value)
            continue;
        good = false;
        RecordError e;
        e.recordNumber = recordNumber;
        e.field = f.name;
        e.byteOffset = fileOffset + f.offset + badOffset;
        e.reason = value.message();
        e.rawHex = toHex(bytes, 256);
        errors.push_back(std::move(e));
    }
    return good;
}

Result<std::string> LayoutCodec::decodeField(const LayoutField& f, std::string_view bytes,
                                             std::size_t& badOffset) const
{
    std::string out;
    Status s = decodeFieldInto(f, bytes, out, badOffset);
    if (!s)
        return s;
    return out;
}

Status LayoutCodec::decodeFieldInto(const LayoutField& f, std::string_view bytes, std::string& out,
                                    std::size_t& badOffset) const
{
    badOffset = 0;
    out.clear();
    switch (f.type)
    {
    case LayoutField::TEXT:
        return decodeText(f, bytes, out, badOffset);
    case LayoutField::WIDE_TEXT:
        return decodeWide(bytes, out, badOffset);
    case LayoutField::MIXED_TEXT:
        return decodeMixed(bytes, out, badOffset);
    case LayoutField::CODE:
    {
        Status text = decodeText(f, bytes, out, badOffset);
        if (!text)
            return text;
        if (out.empty())
        {
            if (f.optional)
                return text;
            return Status::invalid("blank, expected one of " + codeList(f));
        }
        for (const auto& c : f.codes)
            if (c.first == out)
                return text;
        return Status::invalid("code '" + out + "' is not one of " + codeList(f));
    }
    default:
        break;
    }
    // The numeric and date types: blank is "" for optional fields.
    if (allOf(bytes, ' ') || (f.type != LayoutField::NUMBER && allOf(bytes, '0')))
    {
        if (f.optional)
            return Status::ok();
        if (allOf(bytes, ' '))
            return Status::invalid("blank, but the field is not optional");
    }
    std::size_t first = f.sign == LayoutField::LEADING ? 1 : 0;
    std::size_t last = f.sign == LayoutField::TRAILING ? bytes.size() - 1 : bytes.size();
    for (std::size_t i = first; i < last; ++i)
        if (!isDigit(bytes[i]))
        {
            badOffset = i;
            return Status::invalid("non-digit " + byteName(static_cast<unsigned char>(bytes[i])) +
                                   " in a " + LayoutField::typeName(f.type) + " field");
        }
    std::string_view digits = bytes.substr(first, last - first);
    switch (f.type)
    {
    case LayoutField::NUMBER:
    {
        bool negative = false;
        if (f.sign != LayoutField::UNSIGNED)
        {
            std::size_t at = f.sign == LayoutField::LEADING ? 0 : bytes.size() - 1;
            char s = bytes[at];
            if (s != '+' && s != '-')
            {
                badOffset = at;
                return Status::invalid("sign byte " + byteName(static_cast<unsigned char>(s)) +
                                       " is not '+' or '-'");
            }
            negative = s == '-';
        }
        if (!f.keepZeros)
        {
            std::size_t nz = digits.find_first_not_of('0');
            digits = nz == std::string_view::npos ? std::string_view("0") : digits.substr(nz);
            if (digits == "0")
                negative = false;
        }
        if (negative)
            out += '-';
        out.append(digits.data(), digits.size());
        return Status::ok();
    }
    case LayoutField::DATE:
    {
        Status s = Wareki::checkGregorian(digits);
        if (!s)
            return s;
        appendIsoDate(out, digits);
        return Status::ok();
    }
    case LayoutField::DATETIME:
    {
        Status s = Wareki::checkGregorian(digits.substr(0, 8));
        std::string d(digits);
        if (s)
            s = checkTime(d);
        if (!s)
            return s;
        out = isoDateTime(d);
        return Status::ok();
    }
    case LayoutField::WAREKI:
    {
        char g[8];
        Status s = Wareki::toGregorian(digits, g);
        if (!s)
            return s;
        appendIsoDate(out, std::string_view(g, 8));
        return Status::ok();
    }
    default:
        return Status::internal("unhandled field type");
    }
}

Status LayoutCodec::decodeText(const LayoutField& f, std::string_view bytes, std::string& out,
                               std::size_t& badOffset) const
{
    (void)f;
    std::size_t end = bytes.size();
    while (end > 0 && bytes[end - 1] == ' ')
        --end;
    for (std::size_t i = 0; i < end; ++i)
    {
        unsigned char b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x20 || b == 0x7F)
        {
            badOffset = i;
            return Status::invalid("control byte " + byteName(b) + " in single-byte text");
        }
        if (b >= 0x80 && _charset.charLength(b) != 1)
        {
            badOffset = i;
            return Status::invalid(_charset.charLength(b) == 2
                                       ? "double-byte character at field byte " +
                                             std::to_string(i) + " in a single-byte (X) field"
                                       : "byte " + byteName(b) + " is not a " + _charset.name() +
                                             " character");
        }
    }
    std::size_t offset = 0;
    Status s = _charset.decode(bytes.substr(0, end), out, &offset);
    if (!s)
        badOffset = offset;
    return s;
}

Status LayoutCodec::decodeMixed(std::string_view bytes, std::string& out,
                                std::size_t& badOffset) const
{
    std::size_t end = bytes.size();
    while (end > 0 && bytes[end - 1] == ' ')
        --end;
    for (std::size_t i = 0; i < end; ++i)
    {
        unsigned char b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x20 || b == 0x7F)
        {
            badOffset = i;
            return Status::invalid("control byte " + byteName(b) + " in text");
        }
        if (_charset.charLength(b) == 2)
        {
            if (i + 1 >= end)
            {
                badOffset = i;
                return Status::invalid("double-byte character cut by the end of the field");
            }
            ++i;
        }
    }
    std::size_t offset = 0;
    Status s = _charset.decode(bytes.substr(0, end), out, &offset);
    if (!s)
        badOffset = offset;
    return s;
}

Status LayoutCodec::decodeWide(std::string_view bytes, std::string& out,
                               std::size_t& badOffset) const
{
    for (std::size_t i = 0; i < bytes.size(); i += 2)
    {
        unsigned char b = static_cast<unsigned char>(bytes[i]);
        if (_charset.charLength(b) != 2)
        {
            badOffset = i;
            return Status::invalid("single-byte " + byteName(b) + " at field byte " +
                                   std::to_string(i) + " in a double-byte (N) field");
        }
    }
    std::size_t end = bytes.size();
    while (end >= 2 && bytes[end - 2] == '\x81' && bytes[end - 1] == '\x40')
        end -= 2;
    std::size_t offset = 0;
    Status s = _charset.decode(bytes.substr(0, end), out, &offset);
    if (!s)
        badOffset = offset;
    return s;
}

Result<std::string> LayoutCodec::encode(const std::map<std::string, std::string>& values) const
{
    std::string problems;
    for (const auto& kv : values)
        if (!_layout.field(kv.first))
            problems += (problems.empty() ? "" : "; ") + ("unknown field '" + kv.first + "'");
    std::string record;
    record.reserve(_layout.recordLength() + 2);
    static const std::string empty;
    for (const LayoutField& f : _layout.fields())
    {
        auto it = values.find(f.name);
        Result<std::string> bytes = encodeField(f, it == values.end() ? empty : it->second);
        if (bytes)
            record += bytes.value();
        else
            problems += (problems.empty() ? "" : "; ") +
                        ("field " + f.name + ": " + bytes.status().message());
    }
    if (!problems.empty())
        return Status::invalid(problems);
    record += _layout.terminatorBytes();
    return record;
}

Result<std::string> LayoutCodec::encodeField(const LayoutField& f, const std::string& value) const
{
    const std::size_t width = f.length;
    auto tooLong = [&](std::size_t got, const char* unit)
    {
        return Status::invalid("value is " + std::to_string(got) + " " + unit +
                               ", the field holds " + std::to_string(width));
    };
    switch (f.type)
    {
    case LayoutField::TEXT:
        return encodeText(f, value);
    case LayoutField::WIDE_TEXT:
        return encodeWide(f, value);
    case LayoutField::MIXED_TEXT:
        return encodeMixed(f, value);
    case LayoutField::CODE:
    {
        if (value.empty())
        {
            if (f.optional)
                return std::string(width, ' ');
            return Status::invalid("blank, expected one of " + codeList(f));
        }
        for (const auto& c : f.codes)
            if (c.first == value)
                return value + std::string(width - value.size(), ' ');
        return Status::invalid("code '" + value + "' is not one of " + codeList(f));
    }
    default:
        break;
    }
    if (value.empty())
    {
        if (f.optional)
            return std::string(width, ' ');
        return Status::invalid("blank, but the field is not optional");
    }
    switch (f.type)
    {
    case LayoutField::NUMBER:
    {
        std::string digits = value;
        bool negative = false;
        if (digits[0] == '+' || digits[0] == '-')
        {
            negative = digits[0] == '-';
            digits.erase(0, 1);
        }
        if (digits.empty())
            return Status::invalid("'" + value + "' has no digits");
        for (char c : digits)
            if (!isDigit(c))
                return Status::invalid("'" + value +
                                       "' is not a number (digits only, optional leading sign)");
        if (!f.keepZeros)
        {
            std::size_t nz = digits.find_first_not_of('0');
            digits = nz == std::string::npos ? "0" : digits.substr(nz);
        }
        if (digits == std::string(digits.size(), '0'))
            negative = false;
        if (negative && f.sign == LayoutField::UNSIGNED)
            return Status::invalid("negative value '" + value + "' in an unsigned field");
        std::size_t room = f.sign == LayoutField::UNSIGNED ? width : width - 1;
        if (digits.size() > room)
            return tooLong(digits.size(), "digits");
        std::string padded = std::string(room - digits.size(), '0') + digits;
        if (f.sign == LayoutField::LEADING)
            return (negative ? "-" : "+") + padded;
        if (f.sign == LayoutField::TRAILING)
            return padded + (negative ? "-" : "+");
        return padded;
    }
    case LayoutField::DATE:
    {
        std::string d = dateDigits(value);
        if (d.size() != 8)
            return Status::invalid("date '" + value + "' is not YYYY-MM-DD or YYYYMMDD");
        Status s = Wareki::checkGregorian(d);
        if (!s)
            return s;
        return d;
    }
    case LayoutField::DATETIME:
    {
        std::string d = dateDigits(value);
        if (d.size() == 14 && width == 17)
            d += "000";
        if (d.size() != width)
            return Status::invalid("date-time '" + value + "' does not fit " +
                                   std::to_string(width) + " digits (YYYY-MM-DDThh:mm:ss" +
                                   (width == 17 ? "[.fff]" : "") + ")");
        Status s = Wareki::checkGregorian(d.substr(0, 8));
        if (s)
            s = checkTime(d);
        if (!s)
            return s;
        return d;
    }
    case LayoutField::WAREKI:
    {
        std::string d = dateDigits(value);
        if (d.size() == 7)
        {
            Result<std::string> g = Wareki::toGregorian(d);
            if (!g)
                return g.status();
            return d;
        }
        if (d.size() != 8)
            return Status::invalid("date '" + value + "' is not YYYY-MM-DD, YYYYMMDD or GYYMMDD");
        return Wareki::fromGregorian(d);
    }
    default:
        return Status::internal("unhandled field type");
    }
}

Result<std::string> LayoutCodec::encodeText(const LayoutField& f, const std::string& value) const
{
    std::string bytes;
    Status s = _charset.encode(value, bytes);
    if (!s)
        return s;
    for (std::size_t i = 0; i < bytes.size(); ++i)
    {
        unsigned char b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x20 || b == 0x7F)
            return Status::invalid("control character " + byteName(b) + " in single-byte text");
        if (_charset.charLength(b) == 2)
        {
            std::string ch;
            _charset.decode(bytes.substr(i, 2), ch);
            return Status::invalid("double-byte character '" + ch + "' in a single-byte (X) field");
        }
    }
    if (bytes.size() > f.length)
        return Status::invalid("value is " + std::to_string(bytes.size()) +
                               " bytes, the field holds " + std::to_string(f.length));
    bytes.append(f.length - bytes.size(), ' ');
    return bytes;
}

Result<std::string> LayoutCodec::encodeMixed(const LayoutField& f, const std::string& value) const
{
    std::string bytes;
    Status s = _charset.encode(value, bytes);
    if (!s)
        return s;
    for (unsigned char b : bytes)
        if (b < 0x20 || b == 0x7F)
            return Status::invalid("control character " + byteName(b) + " in text");
    if (bytes.size() > f.length)
        return Status::invalid("value is " + std::to_string(bytes.size()) +
                               " bytes, the field holds " + std::to_string(f.length));
    bytes.append(f.length - bytes.size(), ' ');
    return bytes;
}

Result<std::string> LayoutCodec::encodeWide(const LayoutField& f, const std::string& value) const
{
    std::string bytes;
    Status s = _charset.encode(value, bytes);
    if (!s)
        return s;
    for (std::size_t i = 0; i < bytes.size(); i += 2)
    {
        unsigned char b = static_cast<unsigned char>(bytes[i]);
        if (_charset.charLength(b) != 2)
        {
            std::string ch;
            _charset.decode(bytes.substr(i, 1), ch);
            return Status::invalid("single-byte character '" + ch +
                                   "' in a double-byte (N) field (use 全角)");
        }
    }
    if (bytes.size() > f.length)
        return Status::invalid("value is " + std::to_string(bytes.size() / 2) +
                               " double-byte characters (" + std::to_string(bytes.size()) +
                               " bytes), the field holds " + std::to_string(f.length / 2) + " (" +
                               std::to_string(f.length) + " bytes)");
    while (bytes.size() < f.length)
        bytes += "\x81\x40";
    return bytes;
}

} // namespace chukan
