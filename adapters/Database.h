// Database: a Poco::Data SessionPool over SQLite or MariaDB, with dialect DDL and retried write transactions.
#pragma once

#include "codecs/Result.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace chukan {

class Database
{
public:
    enum Backend
    {
        SQLITE,
        MARIADB
    };

    struct Options
    {
        Backend backend = SQLITE;
        std::string sqlitePath;      ///< file path; created with its directory if missing
        std::string mariadbHost = "127.0.0.1";
        int mariadbPort = 3306;
        std::string mariadbUser;
        std::string mariadbPassword;
        std::string mariadbDatabase;
        int poolMin = 1;
        int poolMax = 16;
        int busyTimeoutSeconds = 30; ///< SQLite busy wait / MariaDB connect timeout
        int poolWaitMillis = 10000;  ///< session(): how long to wait for a session of a full pool
    };

    /// Opens the pool and checks one connection. UNAVAILABLE when the store cannot be reached.
    static Result<std::shared_ptr<Database>> open(const Options& options);

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Backend backend() const { return _options.backend; }
    const char* backendName() const { return _options.backend == SQLITE ? "sqlite" : "mariadb"; }
    /// Where the data lives, without secrets: a path or host:port/db.
    std::string describe() const;

    /// A pooled session (returned to the pool when the last copy is destroyed) — or, inside a
    /// write() on this thread, that transaction's session. When all poolMax
    /// sessions are in use it waits up to poolWaitMillis for one, then throws
    /// Poco::Data::SessionPoolExhaustedException.
    Poco::Data::Session session();
    /// How often session() had to wait for a full pool (since open).
    std::uint64_t poolWaits() const { return _poolWaits.load(); }

    /// Replaces {BIGINT}, {BLOB}, {TEXT}, {TABLE} (table options) for this dialect.
    std::string ddl(const std::string& portableSql) const;

    /// Runs fn inside one write transaction and commits; rolls back if fn throws or
    /// returns a non-OK Status. Retries the whole transaction on lock contention
    /// (SQLite busy, InnoDB deadlock or Galera certification failure), so fn must not
    /// have effects outside the session. Infrastructure failures throw.
    /// Called inside another write() of this Database on the same thread, it joins that
    /// transaction as a savepoint: a non-OK Status or an exception undoes only fn's changes
    /// (the exception still propagates), and what fn wrote commits with the outer transaction,
    /// so several store steps can share one commit. Inside a write, session() on the same
    /// thread returns the transaction's own session (reads see its uncommitted writes).
    Status write(const std::function<Status(Poco::Data::Session&)>& fn);

    /// True when the exception means "try the transaction again".
    bool isRetryable(const std::exception& e) const;
    /// True when the exception is a unique/primary key violation.
    bool isDuplicateKey(const std::exception& e) const;

private:
    explicit Database(const Options& options);
    /// write() inside an open write of this Database on this thread.
    Status joinWrite(Poco::Data::Session& session, const std::function<Status(Poco::Data::Session&)>& fn);
    void begin(Poco::Data::Session& session);
    /// MariaDB: after commit or rollback, back to autocommit for the pooled connection's next user.
    void endTransaction(Poco::Data::Session& session);

    Options _options;
    std::unique_ptr<Poco::Data::SessionPool> _pool;
    std::atomic<std::uint64_t> _poolWaits{0};
};

} // namespace chukan
