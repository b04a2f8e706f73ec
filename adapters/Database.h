// Database: a Poco::Data SessionPool over SQLite or MariaDB, with dialect DDL and retried (on SQLite group-committed) write transactions.
#pragma once

#include "codecs/Result.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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
        int busyTimeoutSeconds = 30; ///< SQLite: how long a statement waits for a busy file, on every pooled connection (sqlite3_busy_timeout); not used on MariaDB
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
    ///
    /// SQLite (one writer per file): the outermost writes of concurrent threads are group-
    /// committed. Each waits in this process's queue; the first becomes the leader, opens one
    /// BEGIN IMMEDIATE transaction and runs up to kMaxBatch queued fns in it, each in its own
    /// savepoint and on the leader's thread (with the transaction open there, so nested writes
    /// and session() join it as above); one COMMIT (one fsync) then makes them durable together
    /// and every caller gets its own Status or exception only after that commit. A fn that
    /// fails is undone alone; the next waiter leads the next batch. So fn must also not depend
    /// on its caller's thread (thread-locals, locks the caller holds) nor wait for another
    /// thread's write. MariaDB keeps one transaction per call (InnoDB groups commits itself).
    Status write(const std::function<Status(Poco::Data::Session&)>& fn);

    /// The most fns one SQLite group commit runs.
    static constexpr std::size_t kMaxBatch = 64;
    /// Outermost write() calls finished (committed, refused or failed), since open.
    std::uint64_t writes() const { return _writes.load(); }
    /// COMMITs of outermost write transactions, since open: below writes() when SQLite grouped them.
    std::uint64_t commits() const { return _commits.load(); }
    /// Transactions (or a batch's single fn) run again after lock contention, since open.
    std::uint64_t lockRetries() const { return _lockRetries.load(); }
    /// SQLite: outermost writes queued for the next group commit right now (not the running one).
    std::size_t queuedWrites() const;

    /// True when the exception means "try the transaction again".
    bool isRetryable(const std::exception& e) const;
    /// True when the exception is a unique/primary key violation.
    bool isDuplicateKey(const std::exception& e) const;

private:
    struct PendingWrite;
    using WriteFn = std::function<Status(Poco::Data::Session&)>;

    explicit Database(const Options& options);
    /// The outermost write on MariaDB: its own transaction, retried on lock contention.
    Status soloWrite(const WriteFn& fn);
    /// The outermost write on SQLite: queued for a group commit, led by one of the waiters.
    Status groupWrite(const WriteFn& fn);
    /// The leader's part: one transaction for the batch, retried as a whole on busy; never throws.
    void runBatch(std::vector<PendingWrite*>& batch);
    /// One fn of a batch, in its own savepoint unless alone; false when the transaction must be
    /// rolled back without it (alone: fn failed; in a batch: its failure ended the transaction).
    bool runOne(Poco::Data::Session& session, PendingWrite& pending, bool alone);
    /// write() inside an open write of this Database on this thread.
    Status joinWrite(Poco::Data::Session& session, const std::function<Status(Poco::Data::Session&)>& fn);
    void begin(Poco::Data::Session& session);
    /// MariaDB: after commit or rollback, back to autocommit for the pooled connection's next user.
    void endTransaction(Poco::Data::Session& session);

    Options _options;
    std::unique_ptr<Poco::Data::SessionPool> _pool;
    std::atomic<std::uint64_t> _poolWaits{0};
    std::atomic<std::uint64_t> _writes{0};
    std::atomic<std::uint64_t> _commits{0};
    std::atomic<std::uint64_t> _lockRetries{0};
    mutable std::mutex _queueMutex;          ///< guards _queue and _leading
    std::deque<PendingWrite*> _queue;        ///< waiting SQLite writes, oldest first
    bool _leading = false;                   ///< a batch runs, or its successor is chosen; false ⇒ _queue empty
};

} // namespace chukan
