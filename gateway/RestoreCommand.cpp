// RestoreCommand: argument checks and the summary line around StoreBackup::restore.
#include "gateway/RestoreCommand.h"

#include "adapters/Migrator.h"
#include "adapters/StoreBackup.h"
#include "gateway/CtlArgs.h"

namespace chukan
{

std::string RestoreCommand::help() const
{
    return "usage: chukanctl restore --from FILE\n"
           "\n"
           "Loads FILE, written by chukanctl backup, into the configured store, which must be\n"
           "empty: a SQLite file that does not exist (or has no tables), or a MariaDB database\n"
           "without tables (DROP DATABASE and CREATE DATABASE it first). A non-empty store is\n"
           "refused and left as it is. Stop every gateway of the store first.\n"
           "  sqlite   the SQLite backup API copies FILE into chukan.store.sqlite.file\n"
           "  mariadb  the mariadb client (on PATH) runs FILE in chukan.store.mariadb.database\n"
           "Prints on stdout:\n"
           "  restore  BACKEND  FILE  schema version V, R records, A audit entries\n"
           "then check the chains: chukanctl records verify and chukanctl audit verify (their\n"
           "head seq and hash should be those noted at the time of the backup). A backup of an\n"
           "older schema is migrated by the next gateway start or chukanctl db migrate.\n"
           "exit codes: 0 done, 1 the store is not empty or FILE is not a backup of this\n"
           "backend, 2 usage, 69 store or client unavailable, 78 configuration error\n";
}

int RestoreCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"from"});
    if (!parsed)
    {
        ctx.err << "chukanctl restore: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    if (!args.positionals().empty() || args.get("from").empty())
    {
        ctx.err << "chukanctl restore: --from FILE is required (and nothing else)\n" << help();
        return CTL_USAGE;
    }
    // Not ctx.database(): opening the SQLite store would create the file the restore replaces.
    const Settings* settings = ctx.settings();
    if (!settings)
        return ctx.failureCode();
    const std::string from = args.get("from");
    Result<BackupSummary> r = StoreBackup(settings->store).restore(from);
    if (!r)
    {
        ctx.err << "chukanctl restore: " << r.status().message() << std::endl;
        const Status::Code code = r.status().code();
        return code == Status::FAILED_PRECONDITION || code == Status::INVALID_ARGUMENT
                   ? CTL_FAILED
                   : CTL_UNAVAILABLE;
    }
    ctx.out << "restore\t" << r->backend << "\t" << from << "\tschema version " << r->schemaVersion
            << ", " << r->records << " records, " << r->auditEntries << " audit entries"
            << std::endl;
    Result<std::shared_ptr<Database>> db = Database::open(settings->store);
    if (db)
    {
        Migrator m(*db.value());
        if (r->schemaVersion > m.knownVersion())
        {
            ctx.err << "chukanctl restore: the backup is at schema version " << r->schemaVersion
                    << ", newer than this binary's " << m.knownVersion()
                    << ": run the chukan version that wrote it" << std::endl;
            return CTL_FAILED;
        }
        if (r->schemaVersion < m.knownVersion())
            ctx.err << "chukanctl restore: the backup is at schema version " << r->schemaVersion
                    << "; chukanctl db migrate (or the next gateway start) brings it to "
                    << m.knownVersion() << std::endl;
    }
    return CTL_OK;
}

} // namespace chukan
