// Migrator: versioned, idempotent schema migrations for SQLite and MariaDB.
#include "adapters/Migrator.h"

#include <Poco/Timestamp.h>

using namespace Poco::Data::Keywords;

namespace chukan {

Migrator::Migrator(Database& db, const std::vector<Migration>& migrations) : _db(db), _migrations(migrations) {}

bool Migrator::applies(const std::string& stmt) const
{
    if (stmt.compare(0, 7, "sqlite:") == 0)
        return _db.backend() == Database::SQLITE;
    if (stmt.compare(0, 8, "mariadb:") == 0)
        return _db.backend() == Database::MARIADB;
    return true;
}

std::string Migrator::stripDialect(const std::string& stmt)
{
    if (stmt.compare(0, 7, "sqlite:") == 0)
        return stmt.substr(7);
    if (stmt.compare(0, 8, "mariadb:") == 0)
        return stmt.substr(8);
    return stmt;
}

int Migrator::knownVersion() const
{
    return _migrations.empty() ? 0 : _migrations.back().version;
}

void Migrator::ensureTable(Poco::Data::Session& s)
{
    // Migration bookkeeping is the one table without a tenant: it describes the store itself.
    s << _db.ddl("CREATE TABLE IF NOT EXISTS schema_migrations ("
                 " version INTEGER NOT NULL,"
                 " name VARCHAR(200) NOT NULL,"
                 " applied_at {BIGINT} NOT NULL,"
                 " PRIMARY KEY (version)){TABLE}"),
        now;
}

int Migrator::readVersion(Poco::Data::Session& s)
{
    Poco::Nullable<int> v;
    s << "SELECT MAX(version) FROM schema_migrations", into(v), now;
    return v.isNull() ? 0 : v.value();
}

Status Migrator::checkNotNewer(int current) const
{
    if (current > knownVersion())
        return Status::precondition("store " + _db.describe() + ": schema version " + std::to_string(current) +
                                    " is newer than this binary knows (" + std::to_string(knownVersion()) +
                                    "); upgrade chukan before using this store");
    return Status::ok();
}

int Migrator::currentVersion()
{
    Poco::Data::Session s = _db.session();
    ensureTable(s);
    return readVersion(s);
}

Result<int> Migrator::migrate()
{
    Poco::Data::Session s = _db.session();
    ensureTable(s);
    if (_db.backend() == Database::SQLITE)
    {
        // SQLite DDL is transactional: everything in one IMMEDIATE transaction.
        int result = 0;
        Status st = _db.write([&](Poco::Data::Session& tx) {
            int current = readVersion(tx);
            Status ok = checkNotNewer(current);
            if (!ok)
                return ok;
            for (const Migration& m : _migrations)
            {
                if (m.version <= current)
                    continue;
                for (const std::string& stmt : m.statements)
                    if (applies(stmt))
                        tx << _db.ddl(stripDialect(stmt)), now;
                Poco::Int64 at = Poco::Timestamp().epochMicroseconds();
                int version = m.version;
                std::string name = m.name;
                tx << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", use(version),
                    use(name), use(at), now;
                current = m.version;
            }
            result = current;
            return Status::ok();
        });
        if (!st)
            return st;
        return result;
    }

    // MariaDB commits each DDL statement: serialise nodes with a named lock and rely on
    // idempotent statements so an interrupted migration completes on the next run.
    int got = 0;
    s << "SELECT GET_LOCK('chukan_migrate', 120)", into(got), now;
    if (got != 1)
        return Status::unavailable("store " + _db.describe() + ": could not take the migration lock within 120 s");
    int current = 0;
    Status failure;
    try
    {
        current = readVersion(s);
        failure = checkNotNewer(current);
        if (failure)
        {
            for (const Migration& m : _migrations)
            {
                if (m.version <= current)
                    continue;
                for (const std::string& stmt : m.statements)
                    if (applies(stmt))
                        s << _db.ddl(stripDialect(stmt)), now;
                Poco::Int64 at = Poco::Timestamp().epochMicroseconds();
                int version = m.version;
                std::string name = m.name;
                s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", use(version),
                    use(name), use(at), now;
                current = m.version;
            }
        }
    }
    catch (...)
    {
        s << "SELECT RELEASE_LOCK('chukan_migrate')", now;
        throw;
    }
    s << "SELECT RELEASE_LOCK('chukan_migrate')", now;
    if (!failure)
        return failure;
    return current;
}

} // namespace chukan
