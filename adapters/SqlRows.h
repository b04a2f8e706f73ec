// SqlRows: the rows a SqlQuery fetched from SQLite, whole, as typed cells (NULL, integer, text or blob bytes).
#pragma once

#include <Poco/NumberParser.h>
#include <Poco/Types.h>

#include <cstddef>
#include <string>
#include <vector>

namespace chukan {

class SqlRows
{
public:
    /// One value: NULL, an integer, or text/blob bytes (a REAL is kept as its text).
    struct Cell
    {
        enum Kind
        {
            NUL,
            INTEGER,
            BYTES
        };
        Kind kind = NUL;
        Poco::Int64 integer = 0;
        std::string bytes;
    };

    void reset(std::size_t columns)
    {
        _columns = columns;
        _cells.clear();
    }
    /// Appends a cell to the last row (rows fill left to right, top to bottom).
    Cell& add()
    {
        _cells.emplace_back();
        return _cells.back();
    }

    std::size_t columns() const { return _columns; }
    std::size_t rowCount() const { return _columns == 0 ? 0 : _cells.size() / _columns; }

    bool isNull(std::size_t row, std::size_t col) const { return cell(row, col).kind == Cell::NUL; }
    /// Text (an integer in decimal); empty when NULL.
    std::string str(std::size_t row, std::size_t col) const
    {
        const Cell& c = cell(row, col);
        if (c.kind == Cell::INTEGER)
            return std::to_string(c.integer);
        return c.bytes;
    }
    /// An integer (text is parsed; Poco::SyntaxException when it is not one); 0 when NULL.
    Poco::Int64 i64(std::size_t row, std::size_t col) const
    {
        const Cell& c = cell(row, col);
        if (c.kind == Cell::NUL)
            return 0;
        if (c.kind == Cell::INTEGER)
            return c.integer;
        return Poco::NumberParser::parse64(c.bytes);
    }

private:
    const Cell& cell(std::size_t row, std::size_t col) const { return _cells.at(row * _columns + col); }

    std::size_t _columns = 0;
    std::vector<Cell> _cells;
};

} // namespace chukan
