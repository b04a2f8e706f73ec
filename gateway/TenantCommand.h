// TenantCommand: `chukanctl tenant add|list|show` — the institutions this platform hosts.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan {

class TenantCommand : public CtlCommand
{
public:
    std::string name() const override { return "tenant"; }
    std::string summary() const override { return "register, list and show hosted institutions (tenants)"; }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
