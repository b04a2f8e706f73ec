// BlobColumn: reads BLOB columns the same way on SQLite and MariaDB (POCO 1.11's MySQL connector
// cannot fetch a LONGBLOB whole).
#pragma once

#include "adapters/Database.h"
#include "adapters/RowReader.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chukan
{

/// Usage: put select(db, "payload") in the SELECT list (it yields two columns: the bytes, or
/// on MariaDB their first chunk, and the length), then call value() for each row with the
/// row's key so that longer values are completed chunk by chunk with bound parameters.
class BlobColumn
{
public:
    /// Bytes fetched per chunk on MariaDB (a bounded type the connector can buffer).
    static const int kChunk = 65535;

    /// Two SELECT-list expressions for column: "<bytes>, LENGTH(column)".
    static std::string select(const Database& db, const std::string& column);

    /// The value of the pair at col, col + 1 of the row; nullopt when NULL. keys name the row:
    /// tenant_code plus (column, value) pairs that are unique within the tenant.
    static std::optional<std::string>
    value(Database& db, Poco::Data::Session& s, const RowReader& r, std::size_t col,
          const std::string& table, const std::string& column, const std::string& tenant,
          const std::vector<std::pair<std::string, std::string>>& keys);
};

} // namespace chukan
