// Schema: the versioned migrations of chukan's one schema, written once for SQLite and MariaDB.
#pragma once

#include <string>
#include <vector>

namespace chukan {

struct Migration
{
    int version;
    std::string name;
    /// Portable statements (see Database::ddl); each must be idempotent
    /// (IF NOT EXISTS) because MariaDB commits DDL one statement at a time. A "sqlite:" or
    /// "mariadb:" prefix limits a statement to that backend.
    std::vector<std::string> statements;
};

class Schema
{
public:
    /// All migrations in ascending version order, starting at 1 with no gaps.
    static const std::vector<Migration>& migrations();
    /// The newest version this binary knows.
    static int latestVersion();
};

} // namespace chukan
