// StatsCommand: `chukanctl stats TENANT` — 業務統計: inquiries, provisions and holds per day,
// counts only.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan
{

class StatsCommand : public CtlCommand
{
public:
    std::string name() const override { return "stats"; }
    std::string summary() const override
    {
        return "business statistics of a tenant: inquiries, provisions, holds per day";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
