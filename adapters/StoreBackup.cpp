// StoreBackup: sqlite3_backup_* page copies for SQLite; mariadb-dump and the mariadb client, run
// with posix_spawnp and files for their standard streams, for MariaDB.
#include "adapters/StoreBackup.h"

#include "adapters/Migrator.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

const char kSqliteMagic[] = "SQLite format 3";

/// Closes a sqlite3 handle on every path out.
struct SqliteHandle
{
    sqlite3* db = nullptr;
    ~SqliteHandle()
    {
        if (db)
            sqlite3_close(db);
    }
    std::string error() const { return db ? sqlite3_errmsg(db) : "out of memory"; }
};

Status openSqlite(SqliteHandle& h, const std::string& path, int flags, const std::string& what)
{
    int rc = sqlite3_open_v2(path.c_str(), &h.db, flags, nullptr);
    if (rc != SQLITE_OK)
        return Status::unavailable(what + " '" + path + "': " + h.error());
    sqlite3_busy_timeout(h.db, 30000);
    return Status::ok();
}

/// A single integer from sql, or -1 when the statement fails (a table missing).
Poco::Int64 sqliteScalar(sqlite3* db, const char* sql)
{
    sqlite3_stmt* st = nullptr;
    Poco::Int64 v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_type(st, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

Status sqliteExec(sqlite3* db, const char* sql, const std::string& what)
{
    char* msg = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK)
        return Status::ok();
    std::string text = msg ? msg : "unknown error";
    sqlite3_free(msg);
    return Status::unavailable(what + ": " + text);
}

/// Copies every page of src into dst in one step (one read transaction: a consistent snapshot).
Status copyPages(sqlite3* src, sqlite3* dst, const std::string& what)
{
    sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return Status::unavailable(what + ": " + sqlite3_errmsg(dst));
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return Status::unavailable(what + ": " + std::string(sqlite3_errstr(rc)));
    return Status::ok();
}

void removeQuietly(const std::string& path)
{
    try
    {
        Poco::File f(path);
        if (f.exists())
            f.remove();
    }
    catch (const Poco::Exception&)
    {
    }
}

Poco::Int64 sizeOf(const std::string& path)
{
    return static_cast<Poco::Int64>(Poco::File(path).getSize());
}

} // namespace

StoreBackup::StoreBackup(Database::Options options) : _options(std::move(options)) {}

std::string StoreBackup::detect(const std::string& path)
{
    Poco::File f(path);
    if (!f.exists() || !f.isFile())
        return std::string();
    Poco::FileInputStream in(path);
    char head[512] = {};
    in.read(head, sizeof(head));
    std::string start(head, static_cast<std::size_t>(in.gcount()));
    if (start.compare(0, sizeof(kSqliteMagic), std::string(kSqliteMagic, sizeof(kSqliteMagic))) ==
        0)
        return "sqlite";
    // mariadb-dump starts with a comment "-- MariaDB dump" (newer ones after a sandbox line).
    if (start.find("-- MariaDB dump") != std::string::npos ||
        start.find("-- MySQL dump") != std::string::npos)
        return "mariadb";
    return std::string();
}

Result<BackupSummary> StoreBackup::backup(const std::string& outPath)
{
    if (outPath.empty())
        return Status::invalid("the output file is empty");
    if (Poco::File(outPath).exists())
        return Status::exists("'" + outPath + "' exists; a backup never overwrites a file");
    removeQuietly(outPath + ".part");
    return _options.backend == Database::SQLITE ? backupSqlite(outPath) : backupMariaDb(outPath);
}

Result<BackupSummary> StoreBackup::restore(const std::string& fromPath)
{
    const std::string kind = detect(fromPath);
    const std::string want = _options.backend == Database::SQLITE ? "sqlite" : "mariadb";
    if (kind.empty())
        return Status::invalid("'" + fromPath +
                               "' is not a chukan backup (neither a SQLite database nor a "
                               "mariadb-dump file)" +
                               (Poco::File(fromPath).exists() ? "" : ": it does not exist"));
    if (kind != want)
        return Status::invalid("'" + fromPath + "' is a " + kind +
                               " backup but the configured store is " + want +
                               "; restore it into a store of the same kind");
    return _options.backend == Database::SQLITE ? restoreSqlite(fromPath)
                                                : restoreMariaDb(fromPath);
}

Result<BackupSummary> StoreBackup::backupSqlite(const std::string& outPath)
{
    const std::string part = outPath + ".part";
    SqliteHandle src, dst;
    Status st = openSqlite(src, _options.sqlitePath, SQLITE_OPEN_READONLY, "store");
    if (!st)
        return st;
    if ((st = openSqlite(dst, part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "backup file")))
        st = copyPages(src.db, dst.db, "copying " + _options.sqlitePath);
    // One self-contained file: no -wal beside it, whatever the store's journal mode.
    if (st)
        st =
            sqliteExec(dst.db, "PRAGMA journal_mode=DELETE", "setting the journal mode of " + part);
    BackupSummary summary;
    summary.backend = "sqlite";
    if (st)
    {
        summary.schemaVersion =
            static_cast<int>(sqliteScalar(dst.db, "SELECT MAX(version) FROM schema_migrations"));
        summary.records = sqliteScalar(dst.db, "SELECT COUNT(*) FROM provision_records");
        summary.auditEntries = sqliteScalar(dst.db, "SELECT COUNT(*) FROM audit_log");
    }
    sqlite3_close(dst.db);
    dst.db = nullptr;
    if (!st)
    {
        removeQuietly(part);
        return st;
    }
    if (std::rename(part.c_str(), outPath.c_str()) != 0)
        return Status::unavailable("cannot rename '" + part + "' to '" + outPath +
                                   "': " + std::strerror(errno));
    summary.bytes = sizeOf(outPath);
    return summary;
}

Result<BackupSummary> StoreBackup::restoreSqlite(const std::string& fromPath)
{
    const std::string target = _options.sqlitePath;
    if (Poco::File(target).exists())
    {
        SqliteHandle t;
        Status st = openSqlite(t, target, SQLITE_OPEN_READONLY, "store");
        if (!st)
            return st;
        Poco::Int64 tables =
            sqliteScalar(t.db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'");
        if (tables != 0)
            return Status::precondition(
                "the store " + target + " is not empty (" +
                (tables < 0 ? std::string("unreadable") : std::to_string(tables) + " tables") +
                "); restore only into an empty store: stop the gateways and move the file away");
    }
    {
        SqliteHandle src;
        Status st = openSqlite(src, fromPath, SQLITE_OPEN_READONLY, "backup");
        if (!st)
            return st;
        if (sqliteScalar(src.db, "SELECT COUNT(*) FROM schema_migrations") < 0)
            return Status::invalid("'" + fromPath +
                                   "' is a SQLite database but not a chukan store (no "
                                   "schema_migrations)");
        Poco::File(Poco::Path(target).parent()).createDirectories();
        const std::string part = target + ".restore-part";
        removeQuietly(part);
        SqliteHandle dst;
        if ((st = openSqlite(dst, part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "store")))
            st = copyPages(src.db, dst.db, "copying " + fromPath);
        sqlite3_close(dst.db);
        dst.db = nullptr;
        if (!st)
        {
            removeQuietly(part);
            return st;
        }
        removeQuietly(target + "-wal");
        removeQuietly(target + "-shm");
        if (std::rename(part.c_str(), target.c_str()) != 0)
            return Status::unavailable("cannot rename '" + part + "' to '" + target +
                                       "': " + std::strerror(errno));
    }
    Result<BackupSummary> s = summarize();
    if (s)
        s.value().bytes = sizeOf(fromPath);
    return s;
}

Result<BackupSummary> StoreBackup::backupMariaDb(const std::string& outPath)
{
    const std::string part = outPath + ".part";
    Status st = runClient("mariadb-dump",
                          {"--single-transaction", "--quick", "--hex-blob", "--no-tablespaces",
                           "--default-character-set=utf8mb4", "--skip-lock-tables", "--triggers",
                           _options.mariadbDatabase},
                          std::string(), part);
    if (st && detect(part) != "mariadb")
        st = Status::unavailable("mariadb-dump wrote no dump to '" + part + "'");
    if (!st)
    {
        removeQuietly(part);
        return st;
    }
    if (std::rename(part.c_str(), outPath.c_str()) != 0)
        return Status::unavailable("cannot rename '" + part + "' to '" + outPath +
                                   "': " + std::strerror(errno));
    BackupSummary summary;
    summary.backend = "mariadb";
    summary.bytes = sizeOf(outPath);
    return summary;
}

Result<BackupSummary> StoreBackup::restoreMariaDb(const std::string& fromPath)
{
    {
        Result<std::shared_ptr<Database>> db = Database::open(_options);
        if (!db)
            return db.status();
        Poco::Data::Session s = db.value()->session();
        Poco::Int64 tables = 0;
        std::string name = _options.mariadbDatabase;
        s << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?", use(name),
            into(tables), now;
        if (tables != 0)
            return Status::precondition(
                "database " + db.value()->describe() + " is not empty (" + std::to_string(tables) +
                " tables); restore only into an empty database (DROP and CREATE it first)");
    }
    Status st = runClient("mariadb", {"--default-character-set=utf8mb4", _options.mariadbDatabase},
                          fromPath, std::string());
    if (!st)
        return Status(st.code(), st.message() +
                                     " (the database may hold part of the backup now: drop and "
                                     "create it again before another try)");
    Result<BackupSummary> s = summarize();
    if (s)
        s.value().bytes = sizeOf(fromPath);
    return s;
}

Status StoreBackup::runClient(const std::string& program, const std::vector<std::string>& args,
                              const std::string& inPath, const std::string& outPath)
{
    // Connection options in a private option file: the password never appears in argv.
    Poco::TemporaryFile options, errors;
    {
        Poco::FileOutputStream o(options.path());
        ::chmod(options.path().c_str(), S_IRUSR | S_IWUSR);
        o << "[client]\nhost=" << _options.mariadbHost << "\nport=" << _options.mariadbPort
          << "\nuser=" << _options.mariadbUser << "\npassword=\"" << _options.mariadbPassword
          << "\"\nprotocol=TCP\n";
    }
    std::vector<std::string> argv = {program, "--defaults-file=" + options.path()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (std::string& a : argv)
        cargv.push_back(&a[0]);
    cargv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, inPath.empty() ? "/dev/null" : inPath.c_str(),
                                     O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.empty() ? "/dev/null" : outPath.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, errors.path().c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, cargv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return Status::unavailable(program + " could not be started: " + std::strerror(rc) +
                                   " (install the MariaDB client: scripts/setup)");
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
    {
    }
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
        return Status::ok();
    std::string err;
    try
    {
        Poco::FileInputStream in(errors.path());
        Poco::StreamCopier::copyToString(in, err);
    }
    catch (const Poco::Exception&)
    {
    }
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r'))
        err.pop_back();
    if (err.size() > 600)
        err = err.substr(0, 600) + "...";
    return Status::unavailable(program + " failed (" +
                               (WIFEXITED(wstatus) ? "exit " + std::to_string(WEXITSTATUS(wstatus))
                                                   : std::string("killed by a signal")) +
                               ")" + (err.empty() ? "" : ": " + err));
}

Result<BackupSummary> StoreBackup::summarize()
{
    Result<std::shared_ptr<Database>> db = Database::open(_options);
    if (!db)
        return db.status();
    BackupSummary summary;
    summary.backend = db.value()->backendName();
    summary.schemaVersion = Migrator(*db.value()).currentVersion();
    Poco::Data::Session s = db.value()->session();
    s << "SELECT COUNT(*) FROM provision_records", into(summary.records), now;
    s << "SELECT COUNT(*) FROM audit_log", into(summary.auditEntries), now;
    return summary;
}

} // namespace chukan
