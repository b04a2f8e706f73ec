// Migrator: brings a store to the schema version this binary knows, safely from several nodes at once.
#pragma once

#include "adapters/Database.h"
#include "adapters/Schema.h"

namespace chukan {

class Migrator
{
public:
    /// migrations defaults to Schema::migrations(); tests pass their own lists.
    explicit Migrator(Database& db, const std::vector<Migration>& migrations = Schema::migrations());

    /// The version recorded in schema_migrations (0 for an empty store).
    int currentVersion();

    /// Applies every missing migration in order and returns the resulting version.
    /// Re-running is a no-op. FAILED_PRECONDITION when the store is newer than this binary.
    /// MariaDB: serialised across nodes with GET_LOCK; SQLite: one IMMEDIATE transaction.
    Result<int> migrate();

    /// The newest version this binary knows.
    int knownVersion() const;

private:
    void ensureTable(Poco::Data::Session& s);
    int readVersion(Poco::Data::Session& s);
    Status checkNotNewer(int current) const;
    /// A statement prefixed "sqlite:" or "mariadb:" runs on that backend only (e.g. ALTER TABLE,
    /// where only MariaDB has IF NOT EXISTS; SQLite's DDL is transactional instead).
    bool applies(const std::string& stmt) const;
    static std::string stripDialect(const std::string& stmt);

    Database& _db;
    const std::vector<Migration>& _migrations;
};

} // namespace chukan
