// SqlQuery: one SQL statement with positional binds and typed rows, the same on SQLite and MariaDB; on SQLite its prepared statement stays in the connection and is reused.
#pragma once

#include "adapters/RowReader.h"
#include "adapters/SqlRows.h"

#include <Poco/Data/AbstractBinding.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace chukan {

/// Usage: SqlQuery q(session, "SELECT a, b FROM t WHERE k = ?"); q.bind(key); q.execute();
/// then q.row(i) for i < q.rowCount(). execute() fetches a SELECT's rows whole and returns how
/// many rows it fetched, or for other statements how many rows they changed.
///
/// On SQLite each distinct SQL text is prepared once per connection: the sqlite3_stmt (its text
/// starts with a marker, so Poco's own statements are never taken) is kept in a table of that
/// connection, reset and cleared after every use, also when it fails, so it never holds a read
/// transaction or blocks a COMMIT; a statement still in use (busy) is never taken twice. When the
/// connection closes (an SQLITE_TRACE_CLOSE hook) its statements are finalized and its table is
/// dropped, before SQLite frees it: a session the pool closes is really closed, and a new
/// connection at the same address starts empty. Errors throw the
/// exceptions Poco::Data::SQLite throws for the same result code. On MariaDB the statement runs
/// through Poco::Data (a RecordSet for the rows), as every store did before.
class SqlQuery
{
public:
    SqlQuery(Poco::Data::Session& session, const std::string& sql);
    ~SqlQuery();
    SqlQuery(const SqlQuery&) = delete;
    SqlQuery& operator=(const SqlQuery&) = delete;

    SqlQuery& bind(const std::string& text);
    SqlQuery& bind(Poco::Int64 value);
    SqlQuery& bindNull();
    /// Text, or NULL when empty.
    SqlQuery& bindOrNull(const std::string& text);
    SqlQuery& bind(const std::optional<Poco::Int64>& value);
    /// Raw bytes as a BLOB.
    SqlQuery& bindBlob(const std::string& bytes);

    /// Runs the statement with the binds so far: the rows fetched, or the rows changed.
    std::size_t execute();
    std::size_t rowCount() const;
    /// Row i of the last execute() (valid while this SqlQuery lives and is not executed again).
    RowReader row(std::size_t i);

    /// SQLite: prepared statements of SqlQuery kept in the connection of session right now.
    static std::size_t cachedStatements(Poco::Data::Session& session);
    /// SQLite connections of this process that keep statements right now (closed ones are not).
    static std::size_t keptConnections();

private:
    struct Bind
    {
        enum Kind
        {
            NUL,
            INTEGER,
            TEXT,
            BLOB
        };
        Kind kind;
        Poco::Int64 integer;
        std::string bytes;
    };

    std::size_t executeSqlite();
    std::size_t executePoco();
    /// MariaDB: the rows of the last execute(), read when first asked for.
    Poco::Data::RecordSet& recordSet() const;

    Poco::Data::Session& _session;
    sqlite3* _lite = nullptr; ///< the SQLite connection; null on MariaDB
    std::string _sql;         ///< on SQLite with the marker in front
    std::vector<Bind> _binds;
    SqlRows _rows;            ///< SQLite rows
    std::unique_ptr<Poco::Data::Statement> _statement; ///< MariaDB
    mutable std::unique_ptr<Poco::Data::RecordSet> _recordSet; ///< MariaDB SELECT rows
};

} // namespace chukan
