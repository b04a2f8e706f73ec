// BackupCommand: `chukanctl backup --out FILE` — a consistent copy of the whole store, taken while
// the gateways run (RestoreCommand loads it back).
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan
{

class BackupCommand : public CtlCommand
{
public:
    std::string name() const override { return "backup"; }
    std::string summary() const override
    {
        return "copy the whole store to one file while it runs (restore loads it back)";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
