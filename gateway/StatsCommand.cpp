// StatsCommand: parses the range and format, builds the BusinessStats report, prints it on stdout.
#include "gateway/StatsCommand.h"

#include "adapters/Clock.h"
#include "gateway/BusinessStats.h"
#include "gateway/CtlArgs.h"

namespace chukan
{

std::string StatsCommand::help() const
{
    return "usage: chukanctl [--config FILE] stats TENANT [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
           "                 [--format table|csv|json]\n"
           "\n"
           "  Counts from the 情報提供等記録 of TENANT: inquiries (we asked) and provisions (we\n"
           "  answered) per day x 事務コード x 特定個人情報名コード x counterpart 機関コード x "
           "outcome,\n"
           "  and held provisions per day x state with the reviewers' times (created -> decided).\n"
           "  Counts only: no person, 符号 or serial is printed.\n"
           "\n"
           "  --from, --to  days in Japan time, both included; default the 30 days up to today\n"
           "  --format      table (default), csv (UTF-8, one section column), json\n"
           "\n"
           "exit: 0 printed; 2 usage; 69 store unreachable; 78 configuration\n";
}

int StatsCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"from", "to", "format"});
    if (!parsed)
    {
        ctx.err << "chukanctl stats: " << parsed.status().message() << "\n" << help();
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
        ctx.err << "chukanctl stats: " << tenant.status().message() << std::endl;
        return CTL_USAGE;
    }
    std::string format = args.get("format", "table");
    if (format != "table" && format != "csv" && format != "json")
    {
        ctx.err << "chukanctl stats: --format must be table, csv or json, got '" << format << "'"
                << std::endl;
        return CTL_USAGE;
    }
    Result<BusinessStats::Range> range = BusinessStats::parseRange(
        args.get("from"), args.get("to"), SystemClock().nowMicros(), "--", 0);
    if (!range)
    {
        ctx.err << "chukanctl stats: " << range.status().message() << std::endl;
        return CTL_USAGE;
    }
    Database* db = ctx.database();
    if (!db)
        return ctx.failureCode();
    StatsReport report = BusinessStats::build(*db, tenant.value(), range.value());
    if (format == "json")
        ctx.out << report.json();
    else if (format == "csv")
        ctx.out << report.csv();
    else
        ctx.out << report.table();
    ctx.out.flush();
    return CTL_OK;
}

} // namespace chukan
