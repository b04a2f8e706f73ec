// JobsCommand: `chukanctl jobs TENANT` — batch job status (bulk inquiries, retention, imports).
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan
{

class JobsCommand : public CtlCommand
{
public:
    std::string name() const override { return "jobs"; }
    std::string summary() const override
    {
        return "list a tenant's batch jobs: kind, state, counts, failure reason";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
