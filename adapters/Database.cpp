// Database: opens the SessionPool for the configured backend and runs retried write transactions (grouped on SQLite).
#include "adapters/Database.h"

#include "adapters/ConfiguredSessionPool.h"
#include "adapters/SqlQuery.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Clock.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/Thread.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <vector>

using namespace Poco::Data::Keywords;

namespace chukan {

namespace {

void registerConnectors()
{
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::MySQL::Connector::registerConnector();
    });
}

bool contains(const std::string& haystack, const char* needle)
{
    return haystack.find(needle) != std::string::npos;
}

/// The write transactions open on this thread, innermost last (see Database::write).
struct OpenWrite
{
    const Database* db;
    Poco::Data::Session* session;
};
thread_local std::vector<OpenWrite> openWrites;

/// Registers a transaction as open on this thread for its lifetime.
class OpenWriteScope
{
public:
    OpenWriteScope(const Database* db, Poco::Data::Session* session) { openWrites.push_back({db, session}); }
    ~OpenWriteScope() { openWrites.pop_back(); }
};

const int kMaxWriteAttempts = 20;

/// Runs one statement without binds or rows; on SQLite prepared once per connection (SqlQuery).
void run(Poco::Data::Session& s, const std::string& sql)
{
    SqlQuery(s, sql).execute();
}

std::size_t positive(int seconds)
{
    return seconds > 0 ? static_cast<std::size_t>(seconds) : 0;
}

/// The back-off before attempt `attempt + 1` of a transaction that met lock contention.
void backOff(int attempt)
{
    Poco::Thread::sleep(std::min(5 * attempt, 100));
}

} // namespace

/// One outermost SQLite write waiting for, or taking part in, a group commit. Lives on its
/// caller's stack; the fields below fn are written by the leader, read by the caller once done.
struct Database::PendingWrite
{
    explicit PendingWrite(const WriteFn& f) : fn(f) {}
    const WriteFn& fn;
    std::condition_variable wake; ///< with _queueMutex: done, or lead
    bool lead = false;            ///< chosen to run the next batch
    bool done = false;            ///< the batch holding it has ended: the result below is final
    Status status;                ///< what fn returned (its changes are undone unless OK)
    std::exception_ptr error;     ///< what fn or the transaction threw, if anything
    bool retry = false;           ///< error means "lock contention": run the write again
};

Database::Database(const Options& options) : _options(options) {}

Database::~Database() = default;

Result<std::shared_ptr<Database>> Database::open(const Options& options)
{
    registerConnectors();
    std::shared_ptr<Database> db(new Database(options));
    try
    {
        if (options.backend == SQLITE)
        {
            if (options.sqlitePath.empty())
                return Status::invalid("store: sqlite path is empty");
            Poco::Path parent = Poco::Path(options.sqlitePath).parent();
            if (!parent.toString().empty())
                Poco::File(parent).createDirectories();
            // synchronous and the busy timeout belong to a connection: every pooled one gets them.
            db->_pool.reset(new ConfiguredSessionPool("SQLite", options.sqlitePath, options.poolMin,
                                                      options.poolMax, 600, positive(options.busyTimeoutSeconds),
                                                      {"PRAGMA synchronous=FULL"}));
            Poco::Data::Session s = db->session();
            // WAL is a property of the file: set once, kept by every later connection.
            std::string mode;
            s << "PRAGMA journal_mode=WAL", into(mode), now;
        }
        else
        {
            std::string conn = "host=" + options.mariadbHost + ";port=" + std::to_string(options.mariadbPort) +
                               ";user=" + options.mariadbUser + ";password=" + options.mariadbPassword +
                               ";db=" + options.mariadbDatabase +
                               ";compress=false;auto-reconnect=true;character-set=utf8mb4";
            // The isolation level belongs to a connection: every pooled one gets it.
            db->_pool.reset(new ConfiguredSessionPool("MySQL", conn, options.poolMin, options.poolMax, 600, 0,
                                                      {"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"}));
            Poco::Data::Session s = db->session();
        }
    }
    catch (const Poco::Exception& e)
    {
        return Status::unavailable("store " + db->describe() + ": cannot open: " + e.displayText());
    }
    return db;
}

std::string Database::describe() const
{
    if (_options.backend == SQLITE)
        return "sqlite:" + _options.sqlitePath;
    return "mariadb://" + _options.mariadbHost + ":" + std::to_string(_options.mariadbPort) + "/" +
           _options.mariadbDatabase;
}

Poco::Data::Session Database::session()
{
    // Inside a write() of this Database on this thread: its connection, so a step's reads see the
    // transaction's writes and a transaction never needs a second pooled session (which a full
    // pool of sessions blocked on the write lock could not give it).
    for (auto it = openWrites.rbegin(); it != openWrites.rend(); ++it)
        if (it->db == this)
            return *it->session;
    // SQLite sessions wait on a busy database for their connection timeout (sqlite3_busy_timeout).
    // An exhausted pool is waited for, bounded, instead of failing the request at once: sessions
    // are held for one statement or transaction, so one comes back within milliseconds.
    Poco::Clock started;
    for (int attempt = 1;; ++attempt)
    {
        try
        {
            return _pool->get();
        }
        catch (const Poco::Data::SessionPoolExhaustedException&)
        {
            if (started.elapsed() >= Poco::Clock::ClockDiff(_options.poolWaitMillis) * 1000)
                throw;
            _poolWaits.fetch_add(1);
            Poco::Thread::sleep(std::min(attempt, 10));
        }
    }
}

std::string Database::ddl(const std::string& portableSql) const
{
    std::string sql = portableSql;
    bool lite = _options.backend == SQLITE;
    Poco::replaceInPlace(sql, std::string("{BIGINT}"), std::string("BIGINT"));
    Poco::replaceInPlace(sql, std::string("{BLOB}"), std::string(lite ? "BLOB" : "LONGBLOB"));
    Poco::replaceInPlace(sql, std::string("{TEXT}"), std::string(lite ? "TEXT" : "MEDIUMTEXT"));
    Poco::replaceInPlace(sql, std::string("{TABLE}"),
                         std::string(lite ? "" : " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"));
    return sql;
}

void Database::begin(Poco::Data::Session& session)
{
    if (_options.backend == SQLITE)
        run(session, "BEGIN IMMEDIATE"); // take the write lock up front: no upgrade deadlocks
    else
        session.begin();
}

void Database::endTransaction(Poco::Data::Session& session)
{
    // Poco's MySQL begin() turns autocommit off and commit()/rollback() leave it off: every later
    // read on this pooled connection would open a transaction that stays open while the
    // connection idles (stale snapshots, metadata locks that block DDL). Turn it back on.
    session.setFeature("autoCommit", true);
}

Status Database::joinWrite(Poco::Data::Session& s, const std::function<Status(Poco::Data::Session&)>& fn)
{
    // SQLite and MariaDB both nest with savepoints: fn's changes are undone alone when it fails,
    // and committed (or rolled back, or retried) with the enclosing transaction otherwise.
    const std::string name = "chukan_sp" + std::to_string(openWrites.size());
    run(s, "SAVEPOINT " + name);
    OpenWriteScope scope(this, &s);
    try
    {
        Status st = fn(s);
        if (!st.isOk())
            run(s, "ROLLBACK TO SAVEPOINT " + name);
        run(s, "RELEASE SAVEPOINT " + name);
        return st;
    }
    catch (...)
    {
        try
        {
            run(s, "ROLLBACK TO SAVEPOINT " + name);
            run(s, "RELEASE SAVEPOINT " + name);
        }
        catch (...)
        {
        }
        throw; // the enclosing write decides: retry the whole transaction, or fail
    }
}

Status Database::write(const WriteFn& fn)
{
    for (auto it = openWrites.rbegin(); it != openWrites.rend(); ++it)
        if (it->db == this)
            return joinWrite(*it->session, fn);
    return _options.backend == SQLITE ? groupWrite(fn) : soloWrite(fn);
}

std::size_t Database::queuedWrites() const
{
    std::lock_guard<std::mutex> lock(_queueMutex);
    return _queue.size();
}

Status Database::soloWrite(const WriteFn& fn)
{
    for (int attempt = 1;; ++attempt)
    {
        Poco::Data::Session s = session();
        bool open = false;
        try
        {
            begin(s);
            open = true;
            OpenWriteScope scope(this, &s);
            Status st = fn(s);
            if (!st.isOk())
            {
                s.rollback();
                endTransaction(s);
                _writes.fetch_add(1);
                return st;
            }
            s.commit();
            endTransaction(s);
            _commits.fetch_add(1);
            _writes.fetch_add(1);
            return Status::ok();
        }
        catch (const std::exception& e)
        {
            if (open)
            {
                try
                {
                    s.rollback();
                    endTransaction(s);
                }
                catch (...)
                {
                }
            }
            if (attempt < kMaxWriteAttempts && isRetryable(e))
            {
                _lockRetries.fetch_add(1);
                backOff(attempt);
                continue;
            }
            _writes.fetch_add(1);
            throw;
        }
    }
}

Status Database::groupWrite(const WriteFn& fn)
{
    // Writers of one SQLite file are serialised by its lock anyway; queueing them here lets one
    // transaction, and one fsync, carry all that arrived while the previous commit was running,
    // and wakes the next batch when the lock frees instead of SQLite's busy-handler sleeps.
    for (int attempt = 1;; ++attempt)
    {
        PendingWrite me(fn);
        {
            std::unique_lock<std::mutex> lock(_queueMutex);
            _queue.push_back(&me);
            if (!_leading)
            {
                _leading = true; // the queue was empty: this write is its head
                me.lead = true;
            }
            while (!me.done && !me.lead)
                me.wake.wait(lock);
            if (!me.done)
            {
                // Lead one batch from the head of the queue (this write is the head), then hand on.
                std::vector<PendingWrite*> batch;
                while (!_queue.empty() && batch.size() < kMaxBatch)
                {
                    batch.push_back(_queue.front());
                    _queue.pop_front();
                }
                lock.unlock();
                runBatch(batch);
                lock.lock();
                for (PendingWrite* p : batch)
                {
                    p->done = true;
                    if (p != &me)
                        p->wake.notify_one();
                }
                // The leader's own caller is waiting: the next batch is led by the oldest waiter.
                if (_queue.empty())
                    _leading = false;
                else
                {
                    _queue.front()->lead = true;
                    _queue.front()->wake.notify_one();
                }
            }
        }
        _writes.fetch_add(1);
        if (me.retry && attempt < kMaxWriteAttempts)
        {
            _lockRetries.fetch_add(1);
            backOff(attempt);
            continue;
        }
        if (me.error)
            std::rethrow_exception(me.error);
        return me.status;
    }
}

bool Database::runOne(Poco::Data::Session& s, PendingWrite& p, bool alone)
{
    // Alone in its transaction, fn needs no savepoint: its failure rolls the transaction back.
    if (!alone)
        run(s, "SAVEPOINT chukan_batch");
    try
    {
        p.status = p.fn(s);
        if (alone)
            return p.status.isOk();
        if (!p.status.isOk())
            run(s, "ROLLBACK TO SAVEPOINT chukan_batch");
        run(s, "RELEASE SAVEPOINT chukan_batch");
        return true;
    }
    catch (...)
    {
        p.error = std::current_exception();
        try
        {
            throw;
        }
        catch (const std::exception& e)
        {
            p.retry = isRetryable(e);
        }
        catch (...)
        {
        }
    }
    if (alone)
        return false;
    try
    {
        run(s, "ROLLBACK TO SAVEPOINT chukan_batch");
        run(s, "RELEASE SAVEPOINT chukan_batch");
        return true;
    }
    catch (...)
    {
        // No savepoint left: SQLite ended the whole transaction (e.g. an I/O error), so the
        // batch's other writes were rolled back with it.
        return false;
    }
}

void Database::runBatch(std::vector<PendingWrite*>& batch)
{
    std::vector<PendingWrite*> todo = batch;
    for (int attempt = 1;; ++attempt)
    {
        for (PendingWrite* p : todo)
        {
            p->status = Status::ok();
            p->error = nullptr;
            p->retry = false;
        }
        bool open = false;
        try
        {
            Poco::Data::Session s = session();
            try
            {
                begin(s);
                open = true;
                PendingWrite* breaker = nullptr;
                {
                    OpenWriteScope scope(this, &s);
                    for (PendingWrite* p : todo)
                        if (!runOne(s, *p, todo.size() == 1))
                        {
                            breaker = p;
                            break;
                        }
                }
                if (breaker)
                {
                    // breaker keeps its result (a write alone: its refusal or exception; in a
                    // batch: an exception that ended the transaction); the others run again.
                    open = false;
                    try
                    {
                        run(s, "ROLLBACK");
                    }
                    catch (...)
                    {
                    }
                    todo.erase(std::find(todo.begin(), todo.end(), breaker));
                    if (todo.empty())
                        return;
                    --attempt; // not lock contention: bounded by the batch's size instead
                    continue;
                }
                run(s, "COMMIT");
                _commits.fetch_add(1);
                return;
            }
            catch (...)
            {
                if (open)
                {
                    try
                    {
                        run(s, "ROLLBACK");
                    }
                    catch (...)
                    {
                    }
                }
                throw;
            }
        }
        catch (...)
        {
            // The transaction itself (session, BEGIN, SAVEPOINT, COMMIT) failed: nothing committed.
            std::exception_ptr failure = std::current_exception();
            bool retryable = false;
            try
            {
                throw;
            }
            catch (const std::exception& e)
            {
                retryable = isRetryable(e);
            }
            catch (...)
            {
            }
            if (retryable && attempt < kMaxWriteAttempts)
            {
                _lockRetries.fetch_add(1);
                backOff(attempt);
                continue;
            }
            for (PendingWrite* p : todo)
                if (p->status.isOk() && !p->error)
                {
                    p->error = failure;
                    p->retry = false;
                }
            return;
        }
    }
}

bool Database::isRetryable(const std::exception& e) const
{
    if (dynamic_cast<const Poco::Data::SQLite::DBLockedException*>(&e) ||
        dynamic_cast<const Poco::Data::SQLite::TableLockedException*>(&e))
        return true;
    std::string text = e.what();
    if (auto pe = dynamic_cast<const Poco::Exception*>(&e))
        text = pe->displayText();
    return contains(text, "database is locked") || contains(text, "Deadlock") || contains(text, "1213") ||
           contains(text, "Lock wait timeout") || contains(text, "WSREP");
}

bool Database::isDuplicateKey(const std::exception& e) const
{
    std::string text = e.what();
    if (auto pe = dynamic_cast<const Poco::Exception*>(&e))
        text = pe->displayText();
    return contains(text, "UNIQUE constraint failed") || contains(text, "PRIMARY KEY") ||
           contains(text, "Duplicate entry") || contains(text, "1062");
}

} // namespace chukan
