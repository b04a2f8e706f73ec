// TestStore: per-test isolation for store suites on both backends.
#include "tests/support/TestStore.h"

#include <Poco/Data/Session.h>
#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/TemporaryFile.h>

#include <atomic>
#include <stdexcept>

using namespace Poco::Data::Keywords;

namespace chukan {
namespace test {

namespace {
std::atomic<int> counter{0};
}

std::string makeTempDir(const std::string& prefix)
{
    std::string path = Poco::Path::temp() + prefix + "-" + std::to_string(Poco::Process::id()) + "-" +
                       std::to_string(counter.fetch_add(1));
    Poco::File f(path);
    if (f.exists())
        f.remove(true);
    f.createDirectories();
    return path;
}

bool TestStore::isMariaDb()
{
    return Poco::Environment::get("CHUKAN_TEST_STORE", "sqlite") == "mariadb";
}

TestStore::TestStore()
{
    if (isMariaDb())
    {
        _options.backend = Database::MARIADB;
        _options.mariadbHost = Poco::Environment::get("CHUKAN_TEST_MARIADB_HOST", "127.0.0.1");
        _options.mariadbPort = Poco::NumberParser::parse(Poco::Environment::get("CHUKAN_TEST_MARIADB_PORT"));
        _options.mariadbUser = Poco::Environment::get("CHUKAN_TEST_MARIADB_USER", "root");
        _options.mariadbPassword = Poco::Environment::get("CHUKAN_TEST_MARIADB_PASSWORD", "");
        _dbName = "chukan_t" + std::to_string(Poco::Process::id()) + "_" + std::to_string(counter.fetch_add(1));
        // Bootstrap connection to the server's own schema to create a fresh database.
        _options.mariadbDatabase = "mysql";
        Result<std::shared_ptr<Database>> boot = Database::open(_options);
        if (!boot)
            throw std::runtime_error(boot.status().toString());
        Poco::Data::Session s = boot.value()->session();
        s << "CREATE DATABASE " + _dbName + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", now;
        _options.mariadbDatabase = _dbName;
    }
    else
    {
        _dir = makeTempDir("chukan-store");
        _options.backend = Database::SQLITE;
        _options.sqlitePath = _dir + "/chukan.db";
    }
    Result<std::shared_ptr<Database>> db = Database::open(_options);
    if (!db)
        throw std::runtime_error(db.status().toString());
    _db = db.value();
}

std::shared_ptr<Database> TestStore::openAnother()
{
    Result<std::shared_ptr<Database>> db = Database::open(_options);
    if (!db)
        throw std::runtime_error(db.status().toString());
    return db.value();
}

TestStore::~TestStore()
{
    try
    {
        if (isMariaDb())
        {
            Poco::Data::Session s = _db->session();
            s << "DROP DATABASE " + _dbName, now;
        }
        _db.reset();
        if (!_dir.empty())
            Poco::File(_dir).remove(true);
    }
    catch (...)
    {
    }
}

} // namespace test
} // namespace chukan
