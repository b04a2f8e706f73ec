// PayloadPacking: packs the Record/Field payload shape into separators and back, byte for byte.
#include "codecs/PayloadPacking.h"

#include <cstring>

namespace chukan
{

namespace
{

constexpr const char kRecordOpen[] = "<Record layout=\"";
constexpr const char kTagClose[] = "\">";
constexpr const char kFieldOpen[] = "<Field name=\"";
constexpr const char kFieldClose[] = "</Field>";
constexpr const char kRecordClose[] = "</Record>";

template <std::size_t N> bool at(const std::string& s, std::size_t pos, const char (&literal)[N])
{
    return s.size() - pos >= N - 1 && std::memcmp(s.data() + pos, literal, N - 1) == 0;
}

/// End of the run from pos that holds no stop byte and no separator; npos when none is left.
std::size_t runEnd(const std::string& s, std::size_t pos, char stop)
{
    for (std::size_t i = pos; i < s.size(); ++i)
    {
        char c = s[i];
        if (c == stop)
            return i;
        if (c == PayloadPacking::UNIT || c == PayloadPacking::RECORD)
            return std::string::npos;
    }
    return std::string::npos;
}

std::string raw(const std::string& payload)
{
    if (payload.empty() || payload[0] != PayloadPacking::UNIT)
        return payload;
    std::string out;
    out.reserve(payload.size() + 2);
    out += PayloadPacking::UNIT;
    out += 'X';
    out += payload;
    return out;
}

} // namespace

std::string PayloadPacking::pack(const std::string& payload)
{
    if (!at(payload, 0, kRecordOpen))
        return raw(payload);
    std::size_t pos = sizeof kRecordOpen - 1;
    std::size_t end = runEnd(payload, pos, '"');
    if (end == std::string::npos || !at(payload, end, kTagClose))
        return raw(payload);
    std::string out;
    out.reserve(payload.size());
    out += UNIT;
    out += 'R';
    out.append(payload, pos, end - pos);
    pos = end + sizeof kTagClose - 1;
    // Appends separator + the run from pos up to stop, which must be followed by close; moves
    // pos past close. False when the payload is not of the packed shape there.
    auto take = [&](char separator, char stop, const char* close, std::size_t closeLength)
    {
        std::size_t runStop = runEnd(payload, pos, stop);
        if (runStop == std::string::npos ||
            payload.compare(runStop, closeLength, close, closeLength) != 0)
            return false;
        out += separator;
        out.append(payload, pos, runStop - pos);
        pos = runStop + closeLength;
        return true;
    };
    while (at(payload, pos, kFieldOpen))
    {
        pos += sizeof kFieldOpen - 1;
        if (!take(RECORD, '"', kTagClose, sizeof kTagClose - 1) ||
            !take(UNIT, '<', kFieldClose, sizeof kFieldClose - 1))
            return raw(payload);
    }
    if (pos + sizeof kRecordClose - 1 != payload.size() || !at(payload, pos, kRecordClose))
        return raw(payload);
    return out;
}

std::string PayloadPacking::unpack(const std::string& stored)
{
    if (stored.size() < 2 || stored[0] != UNIT)
        return stored;
    if (stored[1] == 'X')
        return stored.substr(2);
    if (stored[1] != 'R')
        return stored; // not written by pack(); returned as stored
    std::string out;
    out.reserve(stored.size() * 2 + 32);
    out += kRecordOpen;
    std::size_t pos = 2;
    std::size_t end = stored.find(RECORD, pos);
    out.append(stored, pos, (end == std::string::npos ? stored.size() : end) - pos);
    out += kTagClose;
    while (end != std::string::npos)
    {
        pos = end + 1;
        std::size_t unit = stored.find(UNIT, pos);
        end = stored.find(RECORD, pos);
        std::size_t stop = end == std::string::npos ? stored.size() : end;
        if (unit == std::string::npos || unit > stop)
            unit = stop; // a field without its separator: not written by pack(); kept whole
        out += kFieldOpen;
        out.append(stored, pos, unit - pos);
        out += kTagClose;
        if (unit < stop)
            out.append(stored, unit + 1, stop - unit - 1);
        out += kFieldClose;
    }
    out += kRecordClose;
    return out;
}

std::optional<std::string> PayloadPacking::unpack(const std::optional<std::string>& stored)
{
    if (!stored)
        return std::nullopt;
    return unpack(*stored);
}

} // namespace chukan
