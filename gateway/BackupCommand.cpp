// BackupCommand: argument checks and the summary line around StoreBackup::backup.
#include "gateway/BackupCommand.h"

#include "adapters/StoreBackup.h"
#include "gateway/CtlArgs.h"

#include <Poco/File.h>

namespace chukan
{

std::string BackupCommand::help() const
{
    return "usage: chukanctl backup --out FILE\n"
           "\n"
           "Copies the whole configured store (every tenant) to FILE while the gateways keep\n"
           "running; FILE must not exist. The copy is one consistent moment of the store:\n"
           "  sqlite   the SQLite online backup API; FILE is a SQLite database (sqlite3 opens it)\n"
           "  mariadb  mariadb-dump --single-transaction of chukan.store.mariadb.database;\n"
           "           FILE is SQL text (the mariadb-dump client must be on PATH)\n"
           "FILE is written as FILE.part and renamed when complete. It holds everything the store\n"
           "holds (符号, 副本, records): keep it as protected as the store itself.\n"
           "Prints on stdout:\n"
           "  backup  BACKEND  FILE  N bytes[, schema version V, R records, A audit entries]\n"
           "Load it back with chukanctl restore --from FILE (into an empty store), then check it\n"
           "with chukanctl records verify and chukanctl audit verify.\n"
           "exit codes: 0 done, 1 FILE exists, 2 usage, 69 store or client unavailable,\n"
           "78 configuration error\n";
}

int BackupCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"out"});
    if (!parsed)
    {
        ctx.err << "chukanctl backup: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    if (!args.positionals().empty() || args.get("out").empty())
    {
        ctx.err << "chukanctl backup: --out FILE is required (and nothing else)\n" << help();
        return CTL_USAGE;
    }
    const Settings* settings = ctx.settings();
    if (!settings)
        return ctx.failureCode();
    if (settings->store.backend == Database::SQLITE &&
        !Poco::File(settings->store.sqlitePath).exists())
    {
        ctx.err << "chukanctl backup: the store " << settings->store.sqlitePath << " does not exist"
                << std::endl;
        return CTL_UNAVAILABLE;
    }
    const std::string out = args.get("out");
    Result<BackupSummary> b = StoreBackup(settings->store).backup(out);
    if (!b)
    {
        ctx.err << "chukanctl backup: " << b.status().message() << std::endl;
        return b.status().code() == Status::ALREADY_EXISTS ? CTL_FAILED : CTL_UNAVAILABLE;
    }
    ctx.out << "backup\t" << b->backend << "\t" << out << "\t" << b->bytes << " bytes";
    if (b->schemaVersion >= 0)
        ctx.out << ", schema version " << b->schemaVersion;
    if (b->records >= 0)
        ctx.out << ", " << b->records << " records";
    if (b->auditEntries >= 0)
        ctx.out << ", " << b->auditEntries << " audit entries";
    ctx.out << std::endl;
    return CTL_OK;
}

} // namespace chukan
