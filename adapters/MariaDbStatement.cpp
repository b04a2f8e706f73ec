// MariaDbStatement: mysql_stmt_* on the MYSQL* under a Poco::Data::MySQL session, with array
// binding and errors as Poco's MySQL exceptions.
#include "adapters/MariaDbStatement.h"

#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/MySQL/SessionImpl.h>
#include <Poco/Data/PooledSessionImpl.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <cstring>

namespace chukan
{

namespace
{

/// PooledSessionImpl keeps the connector's SessionImpl behind a protected accessor; a pointer
/// to that member, formed in a derived class (as the language allows), reaches it without
/// pretending a pooled session is something else.
struct PooledAccess : Poco::Data::PooledSessionImpl
{
    static Poco::Data::SessionImpl* inner(Poco::Data::PooledSessionImpl& pooled)
    {
        return (pooled.*(&PooledAccess::impl))();
    }
};

bool isIntegral(enum_field_types type)
{
    switch (type)
    {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        return true;
    default:
        return false;
    }
}

} // namespace

MYSQL* MariaDbStatement::connection(Poco::Data::Session& session)
{
    Poco::Data::SessionImpl* impl = session.impl();
    if (auto* pooled = dynamic_cast<Poco::Data::PooledSessionImpl*>(impl))
        impl = PooledAccess::inner(*pooled);
    auto* maria = dynamic_cast<Poco::Data::MySQL::SessionImpl*>(impl);
    if (!maria)
        throw Poco::InvalidArgumentException("MariaDbStatement: not a MariaDB session");
    MYSQL* mysql = maria->handle();
    if (!mysql)
        throw Poco::Data::MySQL::ConnectionException("MariaDbStatement: session not connected");
    return mysql;
}

MariaDbStatement::MariaDbStatement(Poco::Data::Session& session, const std::string& sql) : _sql(sql)
{
    MYSQL* mysql = connection(session);
    _stmt = mysql_stmt_init(mysql);
    if (!_stmt)
        throw Poco::Data::MySQL::StatementException("mysql_stmt_init", nullptr, sql);
    if (mysql_stmt_prepare(_stmt, sql.data(), static_cast<unsigned long>(sql.size())) != 0)
    {
        try
        {
            fail("mysql_stmt_prepare");
        }
        catch (...)
        {
            mysql_stmt_close(_stmt);
            throw;
        }
    }
    _params.resize(mysql_stmt_param_count(_stmt));
    rows(1);
}

MariaDbStatement::~MariaDbStatement()
{
    mysql_stmt_close(_stmt);
}

bool MariaDbStatement::bulkSupported() const
{
    // MARIADB_STMT_BULK_SUPPORTED's test, through the public accessors.
    MYSQL* mysql = _stmt->mysql;
    unsigned long server = 0, extended = 0;
    if (!mysql || mariadb_get_infov(mysql, MARIADB_CONNECTION_SERVER_CAPABILITIES, &server) ||
        mariadb_get_infov(mysql, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &extended))
        return false;
    return !(server & CLIENT_MYSQL) && (extended & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32));
}

void MariaDbStatement::fail(const std::string& what) const
{
    throw Poco::Data::MySQL::StatementException(what, _stmt, _sql);
}

void MariaDbStatement::rows(std::size_t n)
{
    _rows = std::max<std::size_t>(1, n);
    for (Param& p : _params)
    {
        p.type = MYSQL_TYPE_NULL;
        p.pointers.clear();
        p.lengths.clear();
        p.integers.clear();
        p.indicators.assign(_rows, STMT_INDICATOR_NULL);
    }
}

MariaDbStatement::Param& MariaDbStatement::param(std::size_t index, std::size_t row,
                                                 enum_field_types type)
{
    if (index >= _params.size() || row >= _rows)
        throw Poco::InvalidArgumentException("MariaDbStatement: parameter " +
                                             std::to_string(index) + " of row " +
                                             std::to_string(row) + " out of range");
    Param& p = _params[index];
    if (p.type == MYSQL_TYPE_NULL)
    {
        p.type = type;
        if (type == MYSQL_TYPE_LONGLONG)
            p.integers.assign(_rows, 0);
        else
        {
            p.pointers.assign(_rows, nullptr);
            p.lengths.assign(_rows, 0);
        }
    }
    else if (p.type != type)
        throw Poco::InvalidArgumentException("MariaDbStatement: parameter " +
                                             std::to_string(index) +
                                             " bound with two types in one execution");
    p.indicators[row] = STMT_INDICATOR_NONE;
    return p;
}

void MariaDbStatement::text(std::size_t index, std::size_t row, const std::string& value)
{
    Param& p = param(index, row, MYSQL_TYPE_STRING);
    p.pointers[row] = value.data();
    p.lengths[row] = static_cast<unsigned long>(value.size());
}

void MariaDbStatement::blob(std::size_t index, std::size_t row, const std::string& value)
{
    Param& p = param(index, row, MYSQL_TYPE_BLOB);
    p.pointers[row] = value.data();
    p.lengths[row] = static_cast<unsigned long>(value.size());
}

void MariaDbStatement::integer(std::size_t index, std::size_t row, Poco::Int64 value)
{
    param(index, row, MYSQL_TYPE_LONGLONG).integers[row] = static_cast<long long>(value);
}

void MariaDbStatement::null(std::size_t index, std::size_t row)
{
    if (index >= _params.size() || row >= _rows)
        throw Poco::InvalidArgumentException("MariaDbStatement: parameter out of range");
    _params[index].indicators[row] = STMT_INDICATOR_NULL;
}

std::size_t MariaDbStatement::execute()
{
    const bool bulk = _rows > 1;
    if (bulk && !bulkSupported())
        throw Poco::NotImplementedException("MariaDbStatement: the server has no bulk execution");
    _paramBinds.assign(_params.size(), MYSQL_BIND());
    for (std::size_t i = 0; i < _params.size(); ++i)
    {
        Param& p = _params[i];
        MYSQL_BIND& b = _paramBinds[i];
        if (p.type == MYSQL_TYPE_NULL) // NULL in every row
        {
            b.buffer_type = MYSQL_TYPE_NULL;
            b.u.indicator = p.indicators.data();
            continue;
        }
        b.buffer_type = p.type;
        if (p.type == MYSQL_TYPE_LONGLONG)
            b.buffer = p.integers.data();
        else
        {
            // Column-wise array binding takes an array of pointers for variable-length types; a
            // single execution takes the value itself.
            b.buffer =
                bulk ? static_cast<void*>(p.pointers.data()) : const_cast<char*>(p.pointers[0]);
            b.buffer_length = bulk ? 0 : p.lengths[0];
            b.length = p.lengths.data();
        }
        b.u.indicator = p.indicators.data();
        if (!bulk && p.indicators[0] == STMT_INDICATOR_NULL)
        {
            b.buffer_type = MYSQL_TYPE_NULL;
            b.buffer = nullptr;
            b.length = nullptr;
        }
    }
    unsigned int arraySize = bulk ? static_cast<unsigned int>(_rows) : 0;
    if (mysql_stmt_attr_set(_stmt, STMT_ATTR_ARRAY_SIZE, &arraySize) != 0)
        fail("mysql_stmt_attr_set");
    if (!_paramBinds.empty() && mysql_stmt_bind_param(_stmt, _paramBinds.data()) != 0)
        fail("mysql_stmt_bind_param");
    if (mysql_stmt_execute(_stmt) != 0)
        fail("mysql_stmt_execute");
    if (mysql_stmt_field_count(_stmt) > 0)
    {
        bindResult();
        return 0;
    }
    my_ulonglong changed = mysql_stmt_affected_rows(_stmt);
    return changed == static_cast<my_ulonglong>(-1) ? 0 : static_cast<std::size_t>(changed);
}

void MariaDbStatement::bindResult()
{
    // Rows are buffered client-side, so the connection is free again as soon as they are read.
    if (mysql_stmt_store_result(_stmt) != 0)
        fail("mysql_stmt_store_result");
    MYSQL_RES* meta = mysql_stmt_result_metadata(_stmt);
    if (!meta)
        fail("mysql_stmt_result_metadata");
    unsigned int count = mysql_num_fields(meta);
    MYSQL_FIELD* fields = mysql_fetch_fields(meta);
    _columns.assign(count, Column());
    _resultBinds.assign(count, MYSQL_BIND());
    for (unsigned int i = 0; i < count; ++i)
    {
        Column& c = _columns[i];
        MYSQL_BIND& b = _resultBinds[i];
        c.integral = isIntegral(fields[i].type);
        if (c.integral)
        {
            b.buffer_type = MYSQL_TYPE_LONGLONG;
            b.buffer = &c.integer;
            b.is_unsigned = (fields[i].flags & UNSIGNED_FLAG) != 0;
        }
        else
        {
            c.bytes.resize(kColumnBuffer);
            b.buffer_type = MYSQL_TYPE_STRING;
            b.buffer = c.bytes.data();
            b.buffer_length = kColumnBuffer;
        }
        b.length = &c.length;
        b.is_null = &c.null;
        b.error = &c.error;
    }
    mysql_free_result(meta);
    if (count > 0 && mysql_stmt_bind_result(_stmt, _resultBinds.data()) != 0)
        fail("mysql_stmt_bind_result");
}

bool MariaDbStatement::fetch()
{
    if (_resultBinds.empty())
        return false;
    int rc = mysql_stmt_fetch(_stmt);
    if (rc == MYSQL_NO_DATA)
        return false;
    if (rc != 0 && rc != MYSQL_DATA_TRUNCATED) // truncated: a long value, read whole by text()
        fail("mysql_stmt_fetch");
    return true;
}

bool MariaDbStatement::isNull(std::size_t col) const
{
    return _columns.at(col).null != 0;
}

std::string MariaDbStatement::text(std::size_t col)
{
    Column& c = _columns.at(col);
    if (c.null)
        return std::string();
    if (c.integral)
        return std::to_string(c.integer);
    if (c.length <= kColumnBuffer)
        return std::string(c.bytes.data(), c.length);
    std::string whole(c.length, '\0');
    MYSQL_BIND b = MYSQL_BIND();
    unsigned long length = 0;
    b.buffer_type = MYSQL_TYPE_STRING;
    b.buffer = &whole[0];
    b.buffer_length = c.length;
    b.length = &length;
    if (mysql_stmt_fetch_column(_stmt, &b, static_cast<unsigned int>(col), 0) != 0)
        fail("mysql_stmt_fetch_column");
    whole.resize(std::min<unsigned long>(length, c.length));
    return whole;
}

Poco::Int64 MariaDbStatement::integer(std::size_t col) const
{
    const Column& c = _columns.at(col);
    if (c.null)
        return 0;
    if (c.integral)
        return static_cast<Poco::Int64>(c.integer);
    return std::stoll(
        std::string(c.bytes.data(), std::min<unsigned long>(c.length, kColumnBuffer)));
}

} // namespace chukan
