// DbCommand: applies migrations (idempotent) and reports the schema version.
#include "gateway/DbCommand.h"

#include "adapters/Migrator.h"

namespace chukan {

std::string DbCommand::help() const
{
    return "usage: chukanctl [--config FILE] db migrate\n"
           "       chukanctl [--config FILE] db version\n"
           "\n"
           "  migrate  apply every migration this binary knows that the store lacks;\n"
           "           re-running is a no-op; a store newer than the binary is refused\n"
           "  version  print the store's schema version and the version this binary knows\n";
}

int DbCommand::run(CtlContext& ctx, const std::vector<std::string>& args)
{
    if (args.size() != 1 || (args[0] != "migrate" && args[0] != "version"))
    {
        ctx.err << help();
        return CTL_USAGE;
    }
    Database* db = ctx.database();
    if (!db)
        return ctx.failureCode();
    Migrator migrator(*db);
    if (args[0] == "version")
    {
        int current = migrator.currentVersion();
        ctx.out << "store " << db->describe() << ": schema version " << current << " (this binary knows "
                << migrator.knownVersion() << ")" << std::endl;
        return CTL_OK;
    }
    int before = migrator.currentVersion();
    Result<int> after = migrator.migrate();
    if (!after)
    {
        ctx.err << "chukanctl: " << after.status().message() << std::endl;
        return CTL_FAILED;
    }
    if (after.value() == before)
        ctx.out << "store " << db->describe() << ": already at schema version " << before << ", nothing to do"
                << std::endl;
    else
        ctx.out << "store " << db->describe() << ": migrated from schema version " << before << " to "
                << after.value() << std::endl;
    return CTL_OK;
}

} // namespace chukan
