// BusinessStats: range parsing, the holds' aggregation and the three renderings of a StatsReport.
#include "gateway/BusinessStats.h"

#include "codecs/CsvWriter.h"
#include "gateway/ConsoleFormat.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>
#include <tuple>

namespace chukan
{

namespace
{

std::string average(const HoldCount& h)
{
    if (h.reviewed == 0)
        return "";
    return std::to_string(h.reviewSecondsTotal / h.reviewed);
}

std::string renderTable(const std::vector<std::vector<std::string>>& rows)
{
    std::vector<std::size_t> width;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i)
        {
            if (width.size() <= i)
                width.push_back(0);
            width[i] = std::max(width[i], row[i].size());
        }
    std::ostringstream out;
    for (const auto& row : rows)
    {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i)
        {
            line += row[i];
            if (i + 1 < row.size())
                line += std::string(width[i] - row[i].size() + 2, ' ');
        }
        out << line << "\n";
    }
    return out.str();
}

} // namespace

std::string BusinessStats::day(Poco::Int64 dayStart)
{
    return ConsoleFormat::isoJst(dayStart).substr(0, 10);
}

Result<BusinessStats::Range> BusinessStats::parseRange(const std::string& from,
                                                       const std::string& to, Poco::Int64 nowMicros,
                                                       const std::string& fieldPrefix, int maxDays)
{
    const std::string fromName = fieldPrefix + "from", toName = fieldPrefix + "to";
    Range r;
    if (to.empty())
    {
        Poco::Int64 local = nowMicros + StatsStore::JST_OFFSET_MICROS;
        r.toMicros = local - local % StatsStore::DAY_MICROS - StatsStore::JST_OFFSET_MICROS +
                     StatsStore::DAY_MICROS;
    }
    else
    {
        Result<Poco::Int64> t = ConsoleFormat::parseDay(toName, to, true);
        if (!t)
            return t.status();
        r.toMicros = t.value();
    }
    if (from.empty())
        r.fromMicros = r.toMicros - 30 * StatsStore::DAY_MICROS;
    else
    {
        Result<Poco::Int64> f = ConsoleFormat::parseDay(fromName, from, false);
        if (!f)
            return f.status();
        r.fromMicros = f.value();
    }
    if (r.fromMicros >= r.toMicros)
        return Status::invalid(fromName + " '" + from + "' is after " + toName + " '" + to + "'");
    Poco::Int64 days = (r.toMicros - r.fromMicros) / StatsStore::DAY_MICROS;
    if (maxDays > 0 && days > maxDays)
        return Status::invalid(fromName + "/" + toName + ": " + std::to_string(days) +
                               " days; at most " + std::to_string(maxDays) + " at once");
    r.from = day(r.fromMicros);
    r.to = day(r.toMicros - StatsStore::DAY_MICROS);
    return r;
}

StatsReport BusinessStats::build(Database& db, const TenantCode& tenant, const Range& range)
{
    StatsStore store(db);
    StatsReport report;
    report.tenant = tenant.str();
    report.from = range.from;
    report.to = range.to;
    report.records = store.recordCounts(tenant, range.fromMicros, range.toMicros);
    for (const RecordCount& c : report.records)
        (c.kind == "inquiry" ? report.inquiries : report.provisions) += c.count;
    using Key = std::tuple<Poco::Int64, std::string, std::string, std::string, std::string>;
    std::map<Key, HoldCount> groups;
    for (const HoldTiming& h : store.holds(tenant, range.fromMicros, range.toMicros))
    {
        Poco::Int64 local = h.createdAt + StatsStore::JST_OFFSET_MICROS;
        Poco::Int64 dayStart =
            local - local % StatsStore::DAY_MICROS - StatsStore::JST_OFFSET_MICROS;
        HoldCount& g = groups[Key{dayStart, h.jimuCode, h.itemCode, h.requesterCode, h.state}];
        g.dayStart = dayStart;
        g.jimuCode = h.jimuCode;
        g.itemCode = h.itemCode;
        g.requesterCode = h.requesterCode;
        g.state = h.state;
        ++g.count;
        ++report.held;
        if (h.decidedByReviewer)
        {
            Poco::Int64 seconds = std::max<Poco::Int64>(0, (*h.decidedAt - h.createdAt) / 1000000);
            ++g.reviewed;
            g.reviewSecondsTotal += seconds;
            g.reviewSecondsMax = std::max(g.reviewSecondsMax, seconds);
        }
    }
    for (auto& [key, g] : groups)
        report.holds.push_back(g);
    return report;
}

std::string StatsReport::json() const
{
    Poco::JSON::Object o;
    o.set("tenant", tenant);
    o.set("from", from);
    o.set("to", to);
    o.set("timezone", "+09:00");
    Poco::JSON::Object::Ptr totals = new Poco::JSON::Object;
    totals->set("inquiries", inquiries);
    totals->set("provisions", provisions);
    totals->set("holds", held);
    o.set("totals", totals);
    Poco::JSON::Array::Ptr rs = new Poco::JSON::Array;
    for (const RecordCount& c : records)
    {
        Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
        r->set("day", BusinessStats::day(c.dayStart));
        r->set("kind", c.kind);
        r->set("jimuCode", c.jimuCode);
        r->set("itemCode", c.itemCode);
        r->set("counterpartCode", c.counterpartCode);
        r->set("outcome", c.outcome);
        r->set("count", c.count);
        rs->add(r);
    }
    o.set("records", rs);
    Poco::JSON::Array::Ptr hs = new Poco::JSON::Array;
    for (const HoldCount& h : holds)
    {
        Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
        r->set("day", BusinessStats::day(h.dayStart));
        r->set("jimuCode", h.jimuCode);
        r->set("itemCode", h.itemCode);
        r->set("requesterCode", h.requesterCode);
        r->set("state", h.state);
        r->set("count", h.count);
        r->set("reviewed", h.reviewed);
        if (h.reviewed > 0)
        {
            r->set("reviewAvgSeconds", h.reviewSecondsTotal / h.reviewed);
            r->set("reviewMaxSeconds", h.reviewSecondsMax);
        }
        hs->add(r);
    }
    o.set("holds", hs);
    return ConsoleFormat::json(o);
}

std::string StatsReport::csv() const
{
    CsvWriter w;
    w.writeRecord({"section", "day", "kind", "jimu_code", "item_code", "counterpart_code",
                   "outcome", "count", "reviewed", "review_avg_seconds", "review_max_seconds"});
    for (const RecordCount& c : records)
        w.writeRecord({"record", BusinessStats::day(c.dayStart), c.kind, c.jimuCode, c.itemCode,
                       c.counterpartCode, c.outcome, std::to_string(c.count), "", "", ""});
    for (const HoldCount& h : holds)
        w.writeRecord({"hold", BusinessStats::day(h.dayStart), "provision", h.jimuCode, h.itemCode,
                       h.requesterCode, h.state, std::to_string(h.count),
                       std::to_string(h.reviewed), average(h),
                       h.reviewed > 0 ? std::to_string(h.reviewSecondsMax) : ""});
    return w.bytes();
}

std::string StatsReport::table() const
{
    std::ostringstream out;
    out << "tenant " << tenant << ", " << from << " to " << to << " (Japan time): " << inquiries
        << " inquiries, " << provisions << " provisions, " << held << " held\n";
    if (!records.empty())
    {
        std::vector<std::vector<std::string>> rows = {
            {"DAY", "KIND", "JIMU", "ITEM", "COUNTERPART", "OUTCOME", "COUNT"}};
        for (const RecordCount& c : records)
            rows.push_back({BusinessStats::day(c.dayStart), c.kind, c.jimuCode, c.itemCode,
                            c.counterpartCode, c.outcome, std::to_string(c.count)});
        out << "\n" << renderTable(rows);
    }
    if (!holds.empty())
    {
        std::vector<std::vector<std::string>> rows = {{"DAY", "HELD", "JIMU", "ITEM", "REQUESTER",
                                                       "STATE", "COUNT", "REVIEWED", "AVG_S",
                                                       "MAX_S"}};
        for (const HoldCount& h : holds)
            rows.push_back({BusinessStats::day(h.dayStart), "hold", h.jimuCode, h.itemCode,
                            h.requesterCode, h.state, std::to_string(h.count),
                            std::to_string(h.reviewed), average(h),
                            h.reviewed > 0 ? std::to_string(h.reviewSecondsMax) : ""});
        out << "\n" << renderTable(rows);
    }
    return out.str();
}

} // namespace chukan
