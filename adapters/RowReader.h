// RowReader: typed, NULL-aware access to one row of a Poco::Data::RecordSet or of SqlRows, the same on SQLite and MariaDB.
#pragma once

#include "adapters/SqlRows.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>

#include <optional>
#include <string>

namespace chukan {

class RowReader
{
public:
    RowReader(Poco::Data::RecordSet& rs, std::size_t row) : _rs(&rs), _row(row) {}
    RowReader(const SqlRows& rows, std::size_t row) : _rows(&rows), _row(row) {}

    bool isNull(std::size_t col) const { return _rows ? _rows->isNull(_row, col) : _rs->isNull(col, _row); }
    std::string str(std::size_t col) const
    {
        if (_rows)
            return _rows->str(_row, col);
        return isNull(col) ? std::string() : _rs->value(col, _row).convert<std::string>();
    }
    Poco::Int64 i64(std::size_t col) const
    {
        if (_rows)
            return _rows->i64(_row, col);
        return isNull(col) ? 0 : _rs->value(col, _row).convert<Poco::Int64>();
    }
    std::optional<Poco::Int64> optI64(std::size_t col) const
    {
        if (isNull(col))
            return std::nullopt;
        return i64(col);
    }
    /// A BLOB (or TEXT) column as raw bytes; empty when NULL.
    std::string bytes(std::size_t col) const
    {
        if (_rows)
            return _rows->str(_row, col);
        if (isNull(col))
            return std::string();
        const Poco::Dynamic::Var& v = _rs->value(col, _row);
        if (v.type() == typeid(Poco::Data::BLOB))
        {
            const Poco::Data::BLOB& b = v.extract<Poco::Data::BLOB>();
            return std::string(reinterpret_cast<const char*>(b.rawContent()), b.size());
        }
        return v.convert<std::string>();
    }

private:
    Poco::Data::RecordSet* _rs = nullptr;
    const SqlRows* _rows = nullptr;
    std::size_t _row;
};

} // namespace chukan
