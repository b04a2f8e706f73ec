// StaffCommand: argument checks, then one StaffService call and its audit entry.
#include "gateway/StaffCommand.h"

#include "adapters/Clock.h"
#include "adapters/Migrator.h"
#include "adapters/TenantStore.h"
#include "gateway/ConsoleFormat.h"
#include "gateway/CtlArgs.h"
#include "gateway/StaffService.h"

#include <iostream>

namespace chukan
{

namespace
{

/// The audit outcome of a refused change (the console's names).
std::string outcomeOf(const Status& st)
{
    switch (st.code())
    {
    case Status::NOT_FOUND:
        return "not_found";
    case Status::ALREADY_EXISTS:
        return "conflict";
    case Status::INVALID_ARGUMENT:
        return "invalid";
    default:
        return "error";
    }
}

int exitOf(const Status& st)
{
    switch (st.code())
    {
    case Status::INVALID_ARGUMENT:
        return CTL_USAGE;
    case Status::UNAVAILABLE:
        return CTL_UNAVAILABLE;
    default:
        return CTL_FAILED;
    }
}

/// One line from stdin without its line end; empty when there is none.
std::string readPasswordLine()
{
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

} // namespace

std::string StaffCommand::help() const
{
    return "usage: chukanctl staff add TENANT LOGIN_ID --name NAME --role ROLE [--password-stdin]\n"
           "       chukanctl staff list TENANT\n"
           "       chukanctl staff disable TENANT LOGIN_ID [--reason REASON]\n"
           "       chukanctl staff enable TENANT LOGIN_ID\n"
           "       chukanctl staff reset TENANT LOGIN_ID [--password-stdin]\n"
           "\n"
           "  TENANT            地方公共団体コード of a registered tenant (chukanctl tenant add)\n"
           "  LOGIN_ID          1 to 64 of [a-z0-9._-], starting with a letter or digit\n"
           "  --role            operator, reviewer, auditor or administrator "
           "(docs/console-api.md)\n"
           "  --reason          why it is disabled: transfer, retirement, leave, other (default)\n"
           "  --password-stdin  read the password from the first line of stdin instead of\n"
           "                    generating a one-time password; it must meet the password policy\n"
           "\n"
           "  add and reset print a generated one-time password once on stdout; the first login\n"
           "  must change it. reset also clears a lock-out and ends the account's sessions;\n"
           "  disable ends them too; enable restarts the dormancy clock. list prints one line per\n"
           "  account: LOGIN_ID ROLE enabled|disabled(REASON) locked|- change-required|- \n"
           "  LAST_LOGIN NAME (tab-separated). Every change is written to the tenant's audit log "
           "as\n"
           "  staff chukanctl (chukanctl audit verify checks the chain).\n"
           "\n"
           "exit codes: 0 done, 1 refused (unknown account, already exists), 2 usage or invalid\n"
           "value, 69 store unavailable, 78 configuration error\n";
}

int StaffCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"name", "role", "reason"}, {"password-stdin"});
    if (!parsed)
    {
        ctx.err << "chukanctl staff: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    const auto& pos = args.positionals();
    const std::string verb = pos.empty() ? "" : pos[0];
    const bool list = verb == "list";
    if (verb != "add" && verb != "list" && verb != "disable" && verb != "enable" && verb != "reset")
    {
        ctx.err << (verb.empty() ? std::string("chukanctl staff: a verb is required\n")
                                 : "chukanctl staff: unknown verb '" + verb + "'\n")
                << help();
        return CTL_USAGE;
    }
    if (pos.size() != (list ? 2u : 3u))
    {
        ctx.err << "chukanctl staff " << verb << ": expected "
                << (list ? "TENANT" : "TENANT LOGIN_ID") << "\n"
                << help();
        return CTL_USAGE;
    }
    const std::string cmd = "chukanctl staff " + verb;
    auto refuse = [&](const std::string& option)
    {
        ctx.err << cmd << ": --" << option << " is not an option of " << verb << "\n";
        return CTL_USAGE;
    };
    if (args.has("name") && verb != "add")
        return refuse("name");
    if (args.has("role") && verb != "add")
        return refuse("role");
    if (args.has("reason") && verb != "disable")
        return refuse("reason");
    if (args.has("password-stdin") && verb != "add" && verb != "reset")
        return refuse("password-stdin");
    if (verb == "add" && (!args.has("name") || !args.has("role")))
    {
        ctx.err << cmd << ": --name and --role are required\n";
        return CTL_USAGE;
    }
    Result<TenantCode> tenant = TenantCode::parse(pos[1]);
    if (!tenant)
    {
        ctx.err << cmd << ": " << tenant.status().message() << std::endl;
        return CTL_USAGE;
    }
    const std::string loginId = list ? "" : pos[2];
    if (!list && !StaffStore::isLoginId(loginId))
    {
        ctx.err << cmd
                << ": login id must be 1 to 64 of [a-z0-9._-], starting with a letter or "
                   "digit\n";
        return CTL_USAGE;
    }
    const std::string reason = args.get("reason", "other");
    if (!StaffService::isDisableReason(reason))
    {
        ctx.err << cmd << ": --reason must be transfer, retirement, leave or other\n";
        return CTL_USAGE;
    }
    std::string password;
    if (args.has("password-stdin"))
    {
        password = readPasswordLine();
        if (password.empty())
        {
            ctx.err << cmd << ": --password-stdin: no password on stdin\n";
            return CTL_USAGE;
        }
    }

    const Settings* settings = ctx.settings();
    if (!settings)
        return ctx.failureCode();
    Database* db = ctx.database();
    if (!db)
        return ctx.failureCode();
    Result<int> migrated = Migrator(*db).migrate();
    if (!migrated)
    {
        ctx.err << "chukanctl: " << migrated.status().message() << std::endl;
        return CTL_UNAVAILABLE;
    }
    if (!TenantStore(*db).get(tenant.value()))
    {
        ctx.err << cmd << ": tenant " << tenant.value().str()
                << " is not registered here (chukanctl tenant add)\n";
        return CTL_FAILED;
    }
    SystemClock clock;
    StaffService staff(*db, clock, settings->console);
    const TenantCode& t = tenant.value();

    if (list)
    {
        for (const StaffAccount& a : staff.accounts(t))
            ctx.out << a.loginId << "\t" << a.role << "\t"
                    << (a.enabled ? std::string("enabled") : "disabled(" + a.disabledReason + ")")
                    << "\t" << (staff.isLocked(a) ? "locked" : "-") << "\t"
                    << (staff.passwordChangeRequired(a) ? "change-required" : "-") << "\t"
                    << (a.lastLoginAt ? ConsoleFormat::isoJst(*a.lastLoginAt) : "-") << "\t"
                    << a.name << "\n";
        ctx.out.flush();
        return CTL_OK;
    }

    Status st;
    std::string detail;
    std::string oneTime;
    if (verb == "add")
    {
        detail = "role=" + args.get("role");
        Result<std::string> r =
            staff.addStaff(t, loginId, args.get("name"), args.get("role"), password, ACTOR);
        if (r)
            oneTime = r.value();
        else
            st = r.status();
    }
    else if (verb == "reset")
    {
        Result<std::string> r = staff.resetPassword(t, loginId, password, ACTOR);
        if (r)
            oneTime = r.value();
        else
            st = r.status();
    }
    else if (verb == "disable")
    {
        detail = reason;
        st = staff.disable(t, loginId, reason, ACTOR);
    }
    else
        st = staff.enable(t, loginId, ACTOR);

    if (!st)
    {
        staff.audit(t, ACTOR, "staff." + verb, loginId, outcomeOf(st),
                    detail.empty() ? st.message() : detail + "; " + st.message());
        ctx.err << cmd << ": " << st.message() << std::endl;
        return exitOf(st);
    }
    staff.audit(t, ACTOR, "staff." + verb, loginId, "ok", detail);
    if (verb == "add" || verb == "reset")
    {
        if (!oneTime.empty())
            ctx.out << "one-time password for " << loginId << " (shown once; the first login must "
                    << "change it): " << oneTime << std::endl;
        else
            ctx.out << "staff " << loginId << ": password set from stdin"
                    << (verb == "reset" ? "; it must be changed at the next login" : "")
                    << std::endl;
    }
    else
        ctx.out << "staff " << loginId << " " << verb << "d" << std::endl;
    return CTL_OK;
}

} // namespace chukan
