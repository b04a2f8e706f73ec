// RecordsCommand: `chukanctl records verify|export|purge` — the 情報提供等記録 chains: integrity,
// export for auditors and residents, and the retention purge.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan
{

class RecordsCommand : public CtlCommand
{
public:
    std::string name() const override { return "records"; }
    std::string summary() const override
    {
        return "verify the 情報提供等記録 hash chains, export records, purge past retention";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
