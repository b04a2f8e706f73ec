// RoutingLog: JSON lines appended and flushed per entry, with recent lines and counts in memory.
#include "tests/netsim/RoutingLog.h"

#include "codecs/JsonText.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <sstream>

namespace chukan
{

RoutingLog::RoutingLog(const std::string& path, std::size_t keep) : _keep(keep)
{
    if (!path.empty())
        _file.open(path, std::ios::app);
}

std::string RoutingLog::toJson(const Entry& e)
{
    // Written directly (members in this fixed order): one line per entry, on every forward.
    std::string out;
    out.reserve(200 + e.messageId.size() + e.kind.size() + e.permitId.size() + e.outcome.size());
    out += "{\"time\":";
    JsonText::appendQuoted(out, Poco::DateTimeFormatter::format(Poco::Timestamp(e.timeMicros),
                                                                "%Y-%m-%dT%H:%M:%S.%iZ"));
    const std::pair<const char*, const std::string*> members[] = {
        {",\"messageId\":", &e.messageId}, {",\"kind\":", &e.kind},          {",\"from\":", &e.from},
        {",\"to\":", &e.to},               {",\"permitId\":", &e.permitId}, {",\"outcome\":", &e.outcome}};
    for (const auto& [name, value] : members)
    {
        out += name;
        JsonText::appendQuoted(out, *value);
    }
    out += ",\"bytes\":";
    out += std::to_string(e.bytes);
    if (e.millis >= 0)
    {
        out += ",\"ms\":";
        out += std::to_string(e.millis);
    }
    out += '}';
    return out;
}

void RoutingLog::write(const Entry& e)
{
    std::string line = toJson(e);
    std::lock_guard<std::mutex> lock(_mutex);
    if (_file.is_open())
    {
        _file << line << '\n';
        _file.flush();
    }
    _recent.push_back(line);
    while (_recent.size() > _keep)
        _recent.pop_front();
    ++_counts[e.kind + " " + e.outcome];
}

std::size_t RoutingLog::count(const std::string& kind, const std::string& outcome) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _counts.find(kind + " " + outcome);
    return it == _counts.end() ? 0 : it->second;
}

std::string RoutingLog::snapshotJson() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    Poco::JSON::Object counts;
    for (const auto& [k, n] : _counts)
        counts.set(k, static_cast<Poco::UInt64>(n));
    std::ostringstream out;
    out << "{\"counts\":";
    counts.stringify(out);
    out << ",\"entries\":[";
    bool first = true;
    for (const std::string& line : _recent)
    {
        out << (first ? "" : ",") << line;
        first = false;
    }
    out << "]}";
    return out.str();
}

} // namespace chukan
