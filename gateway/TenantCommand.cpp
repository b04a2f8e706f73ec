// TenantCommand: tenant administration over TenantStore; codes are validated with their check digit.
#include "gateway/TenantCommand.h"

#include "adapters/Clock.h"
#include "adapters/Migrator.h"
#include "adapters/TenantStore.h"
#include "gateway/CtlArgs.h"

namespace chukan {

std::string TenantCommand::help() const
{
    return "usage: chukanctl tenant add CODE --name NAME --institution INSTITUTION_CODE\n"
           "       chukanctl tenant list\n"
           "       chukanctl tenant show CODE\n"
           "\n"
           "  CODE              地方公共団体コード, 6 digits with check digit (e.g. 121002)\n"
           "  --name            display name, e.g. 千葉市\n"
           "  --institution     16-character 機関コード\n";
}

int TenantCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"name", "institution"});
    if (!parsed)
    {
        ctx.err << "chukanctl tenant: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    const auto& pos = args.positionals();
    if (pos.empty())
    {
        ctx.err << help();
        return CTL_USAGE;
    }
    const std::string& verb = pos[0];
    if ((verb == "add" || verb == "show") && pos.size() != 2)
    {
        ctx.err << "chukanctl tenant " << verb << ": expected one tenant CODE\n" << help();
        return CTL_USAGE;
    }
    if (verb != "add" && verb != "show" && verb != "list")
    {
        ctx.err << "chukanctl tenant: unknown subcommand '" << verb << "'\n" << help();
        return CTL_USAGE;
    }
    std::optional<TenantCode> code;
    if (pos.size() == 2)
    {
        Result<TenantCode> c = TenantCode::parse(pos[1]);
        if (!c)
        {
            ctx.err << "chukanctl tenant " << verb << ": " << c.status().message() << std::endl;
            return CTL_USAGE;
        }
        code = c.value();
    }
    Database* db = ctx.database();
    if (!db)
        return ctx.failureCode();
    Result<int> migrated = Migrator(*db).migrate();
    if (!migrated)
    {
        ctx.err << "chukanctl: " << migrated.status().message() << std::endl;
        return CTL_FAILED;
    }
    TenantStore tenants(*db);
    if (verb == "add")
    {
        if (!args.has("name") || !args.has("institution"))
        {
            ctx.err << "chukanctl tenant add: --name and --institution are required\n" << help();
            return CTL_USAGE;
        }
        Status st = tenants.add(*code, args.get("name"), args.get("institution"), SystemClock().nowMicros());
        if (!st)
        {
            ctx.err << "chukanctl tenant add: " << st.message() << std::endl;
            return CTL_FAILED;
        }
        ctx.out << "tenant " << code->str() << " added" << std::endl;
        return CTL_OK;
    }
    if (verb == "show")
    {
        std::optional<TenantRow> row = tenants.get(*code);
        if (!row)
        {
            ctx.err << "chukanctl tenant show: tenant " << code->str() << " is not registered" << std::endl;
            return CTL_FAILED;
        }
        ctx.out << row->tenantCode << "\t" << row->institutionCode << "\t" << row->status << "\t" << row->name
                << std::endl;
        return CTL_OK;
    }
    for (const TenantRow& row : tenants.listAll())
        ctx.out << row.tenantCode << "\t" << row.institutionCode << "\t" << row.status << "\t" << row.name
                << std::endl;
    return CTL_OK;
}

} // namespace chukan
