// ConsoleRecordsStage: 提供等記録 for staff — paged search, CSV export, and a resident's disclosure report.
#pragma once

#include "adapters/RecordStore.h"
#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan
{

/// GET /console/api/records, GET /console/api/records.csv, GET /console/api/disclosure
/// (docs/console-api.md). Only the session's tenant; the 符号 never leaves.
class ConsoleRecordsStage : public Stage
{
public:
    enum Mode
    {
        SEARCH,
        CSV,
        DISCLOSURE
    };
    static constexpr Poco::Int64 MAX_EXPORT = 100000;
    static constexpr int MAX_DISCLOSURE = 10000;

    ConsoleRecordsStage(Mode mode, GatewayServices& services) : _mode(mode), _services(services) {}
    const char* name() const override;
    Outcome run(Exchange& exchange) override;

    /// The filter of the query parameters atena, from, to, institution, jimu, outcome, kind.
    /// INVALID_ARGUMENT names the parameter.
    static Result<RecordFilter> filterOf(const std::map<std::string, std::string>& query);

private:
    Outcome search(Exchange& ex, const RecordFilter& filter);
    Outcome csv(Exchange& ex, const RecordFilter& filter);
    Outcome disclosure(Exchange& ex);
    std::string institutionName(const std::string& code) const;

    Mode _mode;
    GatewayServices& _services;
};

} // namespace chukan
