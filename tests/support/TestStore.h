// TestStore: opens a fresh, migrated store for one test — SQLite in a temp dir, or a new MariaDB database.
#pragma once

#include "adapters/Database.h"

#include <memory>
#include <string>

namespace chukan {
namespace test {

class TestStore
{
public:
    /// Backend from CHUKAN_TEST_STORE (sqlite, the default, or mariadb; MariaDB reads
    /// CHUKAN_TEST_MARIADB_HOST/PORT/USER/PASSWORD set by scripts/with-mariadb).
    TestStore();
    ~TestStore();

    /// The database, not yet migrated.
    Database& db() { return *_db; }
    std::shared_ptr<Database> shared() { return _db; }
    /// Opens a second, independent pool on the same data (a second gateway node).
    std::shared_ptr<Database> openAnother();
    static bool isMariaDb();
    /// How the store was opened (for tests that write a chukanctl configuration for it).
    const Database::Options& options() const { return _options; }

private:
    Database::Options _options;
    std::string _dir;
    std::string _dbName;
    std::shared_ptr<Database> _db;
};

/// A fresh empty directory under the system temp dir, removed by the caller.
std::string makeTempDir(const std::string& prefix);

} // namespace test
} // namespace chukan
