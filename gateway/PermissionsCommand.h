// PermissionsCommand: chukanctl permissions fetch|show — download, verify and inspect the network's
// signed permission list.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan
{

/// The 照会許可用照合リスト belongs to the network: gateways fetch and verify it themselves
/// (docs/operations.md, "Permission-list updates"). This command lets an operator fetch the
/// same signed document with a tenant's network identity (`fetch`), keep it as a file, and
/// verify and list it, filtered (`show`) — e.g. to answer "may 千葉市 ask 防府市 for this item?".
class PermissionsCommand : public CtlCommand
{
public:
    std::string name() const override { return "permissions"; }
    std::string summary() const override
    {
        return "fetch, verify and list the network's signed permission list (照会許可用照合リスト)";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;

private:
    int fetch(CtlContext& ctx, const std::vector<std::string>& args);
    int show(CtlContext& ctx, const std::vector<std::string>& args);
};

} // namespace chukan
