// AuditCommand: `chukanctl audit verify|purge` — the staff audit log's hash chains.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan
{

class AuditCommand : public CtlCommand
{
public:
    std::string name() const override { return "audit"; }
    std::string summary() const override
    {
        return "verify the staff audit log's hash chains, purge entries past retention";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
