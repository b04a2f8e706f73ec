// Database: opens the SessionPool for the configured backend and runs retried write transactions.
#include "adapters/Database.h"

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

} // namespace

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
            db->_pool.reset(new Poco::Data::SessionPool("SQLite", options.sqlitePath, options.poolMin,
                                                        options.poolMax, 600));
            Poco::Data::Session s = db->session();
            // WAL is a property of the file: set once, kept by every later connection.
            std::string mode;
            s << "PRAGMA journal_mode=WAL", into(mode), now;
            s << "PRAGMA synchronous=FULL", now;
        }
        else
        {
            std::string conn = "host=" + options.mariadbHost + ";port=" + std::to_string(options.mariadbPort) +
                               ";user=" + options.mariadbUser + ";password=" + options.mariadbPassword +
                               ";db=" + options.mariadbDatabase +
                               ";compress=false;auto-reconnect=true;character-set=utf8mb4";
            db->_pool.reset(new Poco::Data::SessionPool("MySQL", conn, options.poolMin, options.poolMax, 600));
            Poco::Data::Session s = db->session();
            s << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", now;
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
        session << "BEGIN IMMEDIATE", now; // take the write lock up front: no upgrade deadlocks
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
    s << "SAVEPOINT " + name, now;
    OpenWriteScope scope(this, &s);
    try
    {
        Status st = fn(s);
        if (!st.isOk())
            s << "ROLLBACK TO SAVEPOINT " + name, now;
        s << "RELEASE SAVEPOINT " + name, now;
        return st;
    }
    catch (...)
    {
        try
        {
            s << "ROLLBACK TO SAVEPOINT " + name, now;
            s << "RELEASE SAVEPOINT " + name, now;
        }
        catch (...)
        {
        }
        throw; // the enclosing write decides: retry the whole transaction, or fail
    }
}

Status Database::write(const std::function<Status(Poco::Data::Session&)>& fn)
{
    for (auto it = openWrites.rbegin(); it != openWrites.rend(); ++it)
        if (it->db == this)
            return joinWrite(*it->session, fn);
    const int maxAttempts = 20;
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
                if (_options.backend == SQLITE)
                    s << "ROLLBACK", now;
                else
                {
                    s.rollback();
                    endTransaction(s);
                }
                return st;
            }
            if (_options.backend == SQLITE)
                s << "COMMIT", now;
            else
            {
                s.commit();
                endTransaction(s);
            }
            return Status::ok();
        }
        catch (const std::exception& e)
        {
            if (open)
            {
                try
                {
                    if (_options.backend == SQLITE)
                        s << "ROLLBACK", now;
                    else
                    {
                        s.rollback();
                        endTransaction(s);
                    }
                }
                catch (...)
                {
                }
            }
            if (attempt < maxAttempts && isRetryable(e))
            {
                Poco::Thread::sleep(std::min(5 * attempt, 100));
                continue;
            }
            throw;
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
