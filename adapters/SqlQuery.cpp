// SqlQuery: binds, runs and reads one statement; on SQLite through libsqlite3 with the prepared statement kept in its connection, on MariaDB through Poco::Data.
#include "adapters/SqlQuery.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <sqlite3.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>

using namespace Poco::Data::Keywords;

namespace chukan {

namespace {

/// Starts the SQL text of every statement SqlQuery keeps in a SQLite connection.
const char kMarker[] = "/*chukan:kept*/ ";
const std::size_t kMarkerLength = sizeof(kMarker) - 1;

bool isKept(sqlite3_stmt* st)
{
    const char* sql = sqlite3_sql(st);
    return sql && std::strncmp(sql, kMarker, kMarkerLength) == 0;
}

/// The statements SqlQuery keeps in one SQLite connection, by SQL text (marker included); only
/// the thread holding the connection's session uses it.
struct KeptStatements
{
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>> bySql;
};

std::mutex keptMutex; ///< guards keptByConnection
/// Every open connection that keeps statements; its entry is removed when it closes (onTrace),
/// before SQLite frees it, so a later connection at the same address starts empty.
std::unordered_map<sqlite3*, KeptStatements*> keptByConnection;

/// SQLITE_TRACE_CLOSE (ctx: the connection's KeptStatements): the connection is closing;
/// finalize the statements kept in it, which would otherwise keep it open as a zombie
/// (sqlite3_close_v2) or fail the close (sqlite3_close), and forget it.
int onTrace(unsigned type, void* ctx, void* p, void*)
{
    if (type != SQLITE_TRACE_CLOSE)
        return 0;
    sqlite3* db = static_cast<sqlite3*>(p);
    std::unique_ptr<KeptStatements> kept(static_cast<KeptStatements*>(ctx));
    {
        std::lock_guard<std::mutex> lock(keptMutex);
        auto it = keptByConnection.find(db);
        if (it != keptByConnection.end() && it->second == kept.get())
            keptByConnection.erase(it);
    }
    // A close that fails (sqlite3_close with other statements open) leaves the connection
    // usable: it starts over, with a new table and hook, when SqlQuery next runs on it.
    sqlite3_trace_v2(db, 0, nullptr, nullptr);
    std::vector<sqlite3_stmt*> marked;
    for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st; st = sqlite3_next_stmt(db, st))
        if (isKept(st))
            marked.push_back(st);
    for (sqlite3_stmt* st : marked)
        sqlite3_finalize(st);
    return 0;
}

/// The statements kept in db, registered (with the close hook) on first use.
KeptStatements& keptIn(sqlite3* db)
{
    KeptStatements* kept = nullptr;
    bool created = false;
    {
        std::lock_guard<std::mutex> lock(keptMutex);
        KeptStatements*& entry = keptByConnection[db];
        if (!entry)
        {
            entry = new KeptStatements;
            created = true;
        }
        kept = entry;
    }
    // Outside keptMutex (onTrace takes it while SQLite holds the connection's mutex); only this
    // thread uses db meanwhile.
    if (created)
        sqlite3_trace_v2(db, SQLITE_TRACE_CLOSE, onTrace, kept);
    return *kept;
}

/// Resets a kept statement and drops its binds when its use ends, by return or by throw (after
/// the exception, which reads the connection's error message, is built).
class ResetOnExit
{
public:
    explicit ResetOnExit(sqlite3_stmt* st) : _st(st) {}
    ~ResetOnExit()
    {
        sqlite3_reset(_st);
        sqlite3_clear_bindings(_st);
    }
    ResetOnExit(const ResetOnExit&) = delete;
    ResetOnExit& operator=(const ResetOnExit&) = delete;

private:
    sqlite3_stmt* _st;
};

} // namespace

SqlQuery::SqlQuery(Poco::Data::Session& session, const std::string& sql) : _session(session)
{
    if (session.impl()->connectorName() == "sqlite")
    {
        _lite = Poco::Data::SQLite::Utility::dbHandle(session);
        _sql.reserve(kMarkerLength + sql.size());
        _sql.append(kMarker, kMarkerLength).append(sql);
    }
    else
        _sql = sql;
}

SqlQuery::~SqlQuery() = default;

SqlQuery& SqlQuery::bind(const std::string& text)
{
    _binds.push_back({Bind::TEXT, 0, text});
    return *this;
}

SqlQuery& SqlQuery::bind(Poco::Int64 value)
{
    _binds.push_back({Bind::INTEGER, value, std::string()});
    return *this;
}

SqlQuery& SqlQuery::bindNull()
{
    _binds.push_back({Bind::NUL, 0, std::string()});
    return *this;
}

SqlQuery& SqlQuery::bindOrNull(const std::string& text)
{
    return text.empty() ? bindNull() : bind(text);
}

SqlQuery& SqlQuery::bind(const std::optional<Poco::Int64>& value)
{
    return value ? bind(*value) : bindNull();
}

SqlQuery& SqlQuery::bindBlob(const std::string& bytes)
{
    _binds.push_back({Bind::BLOB, 0, bytes});
    return *this;
}

std::size_t SqlQuery::execute()
{
    return _lite ? executeSqlite() : executePoco();
}

std::size_t SqlQuery::executeSqlite()
{
    std::vector<sqlite3_stmt*>& same = keptIn(_lite).bySql[_sql];
    sqlite3_stmt* st = nullptr;
    for (sqlite3_stmt* candidate : same)
        if (!sqlite3_stmt_busy(candidate))
        {
            st = candidate;
            break;
        }
    if (!st)
    {
        int rc = sqlite3_prepare_v2(_lite, _sql.c_str(), static_cast<int>(_sql.size() + 1), &st, nullptr);
        if (rc != SQLITE_OK || !st)
        {
            if (st)
                sqlite3_finalize(st);
            Poco::Data::SQLite::Utility::throwException(_lite, rc == SQLITE_OK ? SQLITE_MISUSE : rc,
                                                        "preparing " + _sql.substr(kMarkerLength));
        }
        same.push_back(st);
    }
    ResetOnExit reset(st);
    if (sqlite3_bind_parameter_count(st) != static_cast<int>(_binds.size()))
        throw Poco::Data::SQLite::ParameterCountMismatchException(
            std::to_string(_binds.size()) + " binds for " + std::to_string(sqlite3_bind_parameter_count(st)) +
            " parameters: " + _sql.substr(kMarkerLength));
    for (std::size_t i = 0; i < _binds.size(); ++i)
    {
        const Bind& b = _binds[i];
        int pos = static_cast<int>(i) + 1, rc = SQLITE_OK;
        switch (b.kind)
        {
        case Bind::NUL:
            rc = sqlite3_bind_null(st, pos);
            break;
        case Bind::INTEGER:
            rc = sqlite3_bind_int64(st, pos, b.integer);
            break;
        case Bind::TEXT:
            rc = sqlite3_bind_text(st, pos, b.bytes.data(), static_cast<int>(b.bytes.size()), SQLITE_STATIC);
            break;
        case Bind::BLOB:
            rc = sqlite3_bind_blob(st, pos, b.bytes.data(), static_cast<int>(b.bytes.size()), SQLITE_STATIC);
            break;
        }
        if (rc != SQLITE_OK)
            Poco::Data::SQLite::Utility::throwException(_lite, rc, "binding " + std::to_string(pos));
    }
    int columns = sqlite3_column_count(st);
    _rows.reset(static_cast<std::size_t>(columns));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        for (int c = 0; c < columns; ++c)
        {
            SqlRows::Cell& cell = _rows.add();
            switch (sqlite3_column_type(st, c))
            {
            case SQLITE_NULL:
                break;
            case SQLITE_INTEGER:
                cell.kind = SqlRows::Cell::INTEGER;
                cell.integer = sqlite3_column_int64(st, c);
                break;
            case SQLITE_BLOB:
            {
                cell.kind = SqlRows::Cell::BYTES;
                const void* p = sqlite3_column_blob(st, c);
                int n = sqlite3_column_bytes(st, c);
                if (p && n > 0)
                    cell.bytes.assign(static_cast<const char*>(p), static_cast<std::size_t>(n));
                break;
            }
            default: // TEXT, and a REAL as its text
            {
                cell.kind = SqlRows::Cell::BYTES;
                const unsigned char* p = sqlite3_column_text(st, c);
                int n = sqlite3_column_bytes(st, c);
                if (p && n > 0)
                    cell.bytes.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
                break;
            }
            }
        }
    if (rc != SQLITE_DONE)
        Poco::Data::SQLite::Utility::throwException(_lite, rc);
    if (columns > 0)
        return _rows.rowCount();
    return static_cast<std::size_t>(sqlite3_changes(_lite));
}

std::size_t SqlQuery::executePoco()
{
    _recordSet.reset();
    _statement.reset(new Poco::Data::Statement(_session));
    Poco::Data::Statement& st = *_statement;
    st << _sql;
    for (const Bind& b : _binds)
    {
        switch (b.kind)
        {
        case Bind::NUL:
            st, Poco::Data::Keywords::bind(Poco::Nullable<std::string>());
            break;
        case Bind::INTEGER:
            st, Poco::Data::Keywords::bind(b.integer);
            break;
        case Bind::TEXT:
            st, Poco::Data::Keywords::bind(b.bytes);
            break;
        case Bind::BLOB:
            st, Poco::Data::Keywords::bind(
                    Poco::Data::BLOB(reinterpret_cast<const unsigned char*>(b.bytes.data()), b.bytes.size()));
            break;
        }
    }
    return st.execute();
}

std::size_t SqlQuery::rowCount() const
{
    if (_lite)
        return _rows.rowCount();
    return recordSet().rowCount();
}

Poco::Data::RecordSet& SqlQuery::recordSet() const
{
    if (!_statement)
        throw Poco::IllegalStateException("SqlQuery: not executed: " + _sql);
    if (!_recordSet)
        _recordSet.reset(new Poco::Data::RecordSet(*_statement));
    return *_recordSet;
}

RowReader SqlQuery::row(std::size_t i)
{
    if (_lite)
        return RowReader(_rows, i);
    return RowReader(recordSet(), i);
}

std::size_t SqlQuery::cachedStatements(Poco::Data::Session& session)
{
    if (session.impl()->connectorName() != "sqlite")
        return 0;
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session);
    std::size_t n = 0;
    for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st; st = sqlite3_next_stmt(db, st))
        if (isKept(st))
            ++n;
    return n;
}

std::size_t SqlQuery::keptConnections()
{
    std::lock_guard<std::mutex> lock(keptMutex);
    return keptByConnection.size();
}

} // namespace chukan
