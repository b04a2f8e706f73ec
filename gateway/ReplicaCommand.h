// ReplicaCommand: `chukanctl replica export|reconcile` — the 副本 back out as a file, and its
// comparison with the original.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan
{

/// Works on the items that ReplicaFileImporter stored from one layout (record ids
/// "<layout>:<atena_no>[:<dataset>]"), paging through ReplicaStore::listCurrent.
class ReplicaCommand : public CtlCommand
{
public:
    std::string name() const override { return "replica"; }
    std::string summary() const override
    {
        return "export the 副本 of a layout as a file, or reconcile it with the original";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
