// MariaDbStatement: one server-side prepared statement on the raw connection of a Poco MariaDB
// session, its parameters bound column-wise for many rows at once (array binding, one
// COM_STMT_BULK_EXECUTE) and its result rows typed.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <mysql/mysql.h>

#include <cstddef>
#include <string>
#include <vector>

namespace chukan
{

/// Usage (insert many rows in one round trip):
///     MariaDbStatement st(session, "INSERT INTO t (a, b) VALUES (?, ?)");
///     st.rows(n); for each row r: st.text(0, r, a[r]); st.integer(1, r, b[r]);
///     st.execute();
/// or (read): bind row 0 only, execute(), then while (st.fetch()) st.text(col) ….
///
/// Values are bound by pointer: the strings passed to text()/blob() must live and stay unchanged
/// until execute() returns. A statement with more than one row is executed as one array-bound
/// (bulk) execution — MariaDB 10.2 or later; bulkSupported() tells. Errors throw
/// Poco::Data::MySQL::StatementException with the server's message and error number, the text
/// Database::isDuplicateKey and isRetryable read. The statement lives on the connection the
/// session holds now: use it only while that session is held, on one thread at a time; it is
/// closed (COM_STMT_CLOSE) by the destructor.
class MariaDbStatement
{
public:
    /// The client connection of a MariaDB session, pooled or not; throws
    /// Poco::InvalidArgumentException when the session is not a MariaDB one.
    static MYSQL* connection(Poco::Data::Session& session);

    /// Prepares sql on the session's connection.
    MariaDbStatement(Poco::Data::Session& session, const std::string& sql);
    ~MariaDbStatement();
    MariaDbStatement(const MariaDbStatement&) = delete;
    MariaDbStatement& operator=(const MariaDbStatement&) = delete;

    /// True when the server executes array-bound statements (MariaDB, not MySQL).
    bool bulkSupported() const;
    std::size_t parameterCount() const { return _params.size(); }

    /// Sets the number of parameter rows of the next execute() (at least 1); every parameter
    /// of every row must then be set, each row's values are NULL until set.
    void rows(std::size_t n);
    void text(std::size_t param, std::size_t row, const std::string& value);
    void blob(std::size_t param, std::size_t row, const std::string& value);
    void integer(std::size_t param, std::size_t row, Poco::Int64 value);
    void null(std::size_t param, std::size_t row);

    /// Runs the statement with the rows set (one row: a plain execution; more: one bulk
    /// execution). Returns the rows changed (all rows together), or 0 for a SELECT, whose
    /// rows fetch() then reads.
    std::size_t execute();
    /// The next result row; false after the last.
    bool fetch();
    bool isNull(std::size_t col) const;
    /// A column of the current row as bytes (text, BLOB or a number's digits); "" when NULL.
    std::string text(std::size_t col);
    /// A column of the current row as an integer; 0 when NULL.
    Poco::Int64 integer(std::size_t col) const;

private:
    struct Param
    {
        enum_field_types type = MYSQL_TYPE_NULL;
        std::vector<const char*> pointers;  ///< text/blob: one value a row
        std::vector<unsigned long> lengths; ///< text/blob: their lengths
        std::vector<long long> integers;    ///< integers: one a row
        std::vector<char> indicators;       ///< STMT_INDICATOR_NONE or _NULL, one a row
    };
    struct Column
    {
        bool integral = false;
        long long integer = 0;
        std::vector<char> bytes; ///< the first kColumnBuffer bytes
        unsigned long length = 0;
        my_bool null = 0;
        my_bool error = 0;
    };

    [[noreturn]] void fail(const std::string& what) const;
    Param& param(std::size_t param, std::size_t row, enum_field_types type);
    void bindResult();

    /// Bytes a text or BLOB result column fetches at once; longer values are fetched whole by
    /// mysql_stmt_fetch_column when read.
    static constexpr unsigned long kColumnBuffer = 256;

    MYSQL_STMT* _stmt = nullptr;
    std::string _sql;
    std::size_t _rows = 1;
    std::vector<Param> _params;
    std::vector<MYSQL_BIND> _paramBinds;
    std::vector<Column> _columns;
    std::vector<MYSQL_BIND> _resultBinds;
};

} // namespace chukan
