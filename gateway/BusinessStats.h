// BusinessStats: 業務統計 of one tenant over a range of days — inquiries and provisions per day ×
// 事務 × data item × counterpart × outcome, held items and review times — as table, CSV or JSON.
#pragma once

#include "adapters/Database.h"
#include "adapters/StatsStore.h"
#include "codecs/Result.h"
#include "codecs/TenantCode.h"

#include <string>
#include <vector>

namespace chukan
{

/// Holds created on one day (Japan time) with the same 事務, data item, requester and state.
struct HoldCount
{
    Poco::Int64 dayStart = 0;
    std::string jimuCode;
    std::string itemCode;
    std::string requesterCode;
    std::string state;
    Poco::Int64 count = 0;
    Poco::Int64 reviewed = 0;           ///< approved or rejected by a reviewer
    Poco::Int64 reviewSecondsTotal = 0; ///< created → decided, summed over the reviewed
    Poco::Int64 reviewSecondsMax = 0;
};

/// Counts only: no 統合宛名番号, 符号, serial or person ever enters a report.
struct StatsReport
{
    std::string tenant;
    std::string from; ///< YYYY-MM-DD, first day (Japan time)
    std::string to;   ///< YYYY-MM-DD, last day, included
    std::vector<RecordCount> records;
    std::vector<HoldCount> holds;
    Poco::Int64 inquiries = 0;
    Poco::Int64 provisions = 0;
    Poco::Int64 held = 0;

    /// {"tenant","from","to","timezone":"+09:00","totals":{…},"records":[…],"holds":[…]}
    std::string json() const;
    /// One CSV (UTF-8, CRLF): section,day,kind,jimu_code,item_code,counterpart_code,outcome,count,
    /// reviewed,review_avg_seconds,review_max_seconds — section record or hold (kind provision,
    /// outcome the hold's state).
    std::string csv() const;
    /// Aligned columns for a terminal.
    std::string table() const;
};

class BusinessStats
{
public:
    /// The range of days: from/to are YYYY-MM-DD (Japan time, both included); empty from: 29
    /// days before to; empty to: today. INVALID_ARGUMENT naming --from/--to (or from/to when
    /// fieldPrefix is empty) for a bad date, a reversed range or one longer than maxDays.
    struct Range
    {
        Poco::Int64 fromMicros = 0;
        Poco::Int64 toMicros = 0; ///< exclusive: 00:00 of the day after `to`
        std::string from;
        std::string to;
    };
    static Result<Range> parseRange(const std::string& from, const std::string& to,
                                    Poco::Int64 nowMicros, const std::string& fieldPrefix,
                                    int maxDays);

    /// Reads the store (two queries) and aggregates the holds.
    static StatsReport build(Database& db, const TenantCode& tenant, const Range& range);

    /// "YYYY-MM-DD" of the Japan-time day that starts at dayStart.
    static std::string day(Poco::Int64 dayStart);
};

} // namespace chukan
