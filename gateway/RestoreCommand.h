// RestoreCommand: `chukanctl restore --from FILE` — loads a backup of chukanctl backup into an
// empty store.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan
{

class RestoreCommand : public CtlCommand
{
public:
    std::string name() const override { return "restore"; }
    std::string summary() const override
    {
        return "load a backup (chukanctl backup) into an empty store";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
