// JobsCommand: filters batch_jobs through JobsReport and prints a table or JSON.
#include "gateway/JobsCommand.h"

#include "gateway/CtlArgs.h"
#include "gateway/JobsReport.h"

namespace chukan
{

std::string JobsCommand::help() const
{
    return "usage: chukanctl [--config FILE] jobs TENANT [--state "
           "queued|running|done|failed|aborted]\n"
           "                 [--kind KIND] [--format table|json]\n"
           "\n"
           "  The batch jobs of TENANT, oldest first: job id, kind (bulk-inquiry, retention, …),\n"
           "  state, total/done/failed counts, created and updated (Japan time), the node holding\n"
           "  the lease, and the failure reason.\n"
           "\n"
           "exit: 0 listed (also when none); 2 usage; 69 store unreachable; 78 configuration\n";
}

int JobsCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"state", "kind", "format"});
    if (!parsed)
    {
        ctx.err << "chukanctl jobs: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    if (args.positionals().size() != 1)
    {
        ctx.err << help();
        return CTL_USAGE;
    }
    Result<TenantCode> tenant = TenantCode::parse(args.positionals()[0]);
    if (!tenant)
    {
        ctx.err << "chukanctl jobs: " << tenant.status().message() << std::endl;
        return CTL_USAGE;
    }
    std::string format = args.get("format", "table");
    if (format != "table" && format != "json")
    {
        ctx.err << "chukanctl jobs: --format must be table or json, got '" << format << "'"
                << std::endl;
        return CTL_USAGE;
    }
    std::string state = args.get("state");
    if (!state.empty() && !JobsReport::isState(state))
    {
        ctx.err << "chukanctl jobs: --state: '" << state
                << "' is not one of queued, running, done, failed, aborted" << std::endl;
        return CTL_USAGE;
    }
    Database* db = ctx.database();
    if (!db)
        return ctx.failureCode();
    Result<std::vector<BatchJob>> jobs =
        JobsReport::list(*db, tenant.value(), state, args.get("kind"), 0, "--state");
    if (!jobs)
    {
        ctx.err << "chukanctl jobs: " << jobs.status().message() << std::endl;
        return CTL_USAGE;
    }
    ctx.out << (format == "json" ? JobsReport::json(tenant->str(), jobs.value())
                                 : JobsReport::table(jobs.value()));
    ctx.out.flush();
    return CTL_OK;
}

} // namespace chukan
