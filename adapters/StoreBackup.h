// StoreBackup: a consistent copy of the whole store to one file and back into an empty store —
// SQLite through its online backup API, MariaDB through mariadb-dump / the mariadb client.
#pragma once

#include "adapters/Database.h"

#include <functional>
#include <string>

namespace chukan
{

/// What a backup file holds (counts only; it is printed and logged).
struct BackupSummary
{
    std::string backend;           ///< sqlite or mariadb
    Poco::Int64 bytes = 0;         ///< size of the backup file
    int schemaVersion = -1;        ///< -1 when not known (a MariaDB dump is not read back)
    Poco::Int64 records = -1;      ///< provision_records rows (-1: not known)
    Poco::Int64 auditEntries = -1; ///< audit_log rows (-1: not known)
};

/// Backup files: SQLite — a SQLite database in rollback-journal mode (opens with any sqlite3);
/// MariaDB — the SQL text of `mariadb-dump --single-transaction` of the configured database
/// (no CREATE DATABASE / USE: it loads into whichever database restore() is configured for).
/// Both are written to FILE.part and renamed when complete. The mariadb-dump and mariadb clients
/// are found on PATH; the password goes to them in a 0600 temporary option file, not argv.
/// Not thread-safe; one operation per instance at a time.
class StoreBackup
{
public:
    explicit StoreBackup(Database::Options options);

    /// Copies the store to outPath while it is in use (a consistent snapshot: the SQLite backup
    /// API under one read transaction; an InnoDB consistent read). ALREADY_EXISTS when outPath
    /// exists (never overwritten); UNAVAILABLE when the store or the dump client fails.
    Result<BackupSummary> backup(const std::string& outPath);

    /// Loads fromPath into the configured store, which must be empty (FAILED_PRECONDITION naming
    /// what it holds otherwise; nothing is changed). INVALID_ARGUMENT when fromPath is not a
    /// backup of this backend. Returns the counts of the restored store. Stop every gateway first.
    Result<BackupSummary> restore(const std::string& fromPath);

    /// "sqlite", "mariadb" or empty: what kind of backup file path is, from its first bytes.
    static std::string detect(const std::string& path);

private:
    Result<BackupSummary> backupSqlite(const std::string& outPath);
    Result<BackupSummary> backupMariaDb(const std::string& outPath);
    Result<BackupSummary> restoreSqlite(const std::string& fromPath);
    Result<BackupSummary> restoreMariaDb(const std::string& fromPath);
    /// Runs a MariaDB client (mariadb-dump / mariadb) on the configured database with stdin from
    /// inPath and stdout to outPath (either may be empty). UNAVAILABLE with its stderr on failure.
    Status runClient(const std::string& program, const std::vector<std::string>& args,
                     const std::string& inPath, const std::string& outPath);
    /// Row counts and schema version of the configured store.
    Result<BackupSummary> summarize();

    Database::Options _options;
};

} // namespace chukan
