// DbCommand: `chukanctl db migrate|version` — schema migrations of the configured store.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan {

class DbCommand : public CtlCommand
{
public:
    std::string name() const override { return "db"; }
    std::string summary() const override { return "migrate the store's schema or show its version"; }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
