// CtlStoreFixture: a migrated test store, a chukanctl configuration file for it, and in-process
// runs of one chukanctl command with its stdout, stderr and exit code.
#pragma once

#include "adapters/Migrator.h"
#include "gateway/CtlCommand.h"
#include "tests/support/TestStore.h"

#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>

#include <sstream>
#include <stdexcept>

namespace chukan
{
namespace test
{

struct CtlRun
{
    int code = -1;
    std::string out;
    std::string err;
    std::string all() const { return out + err; }
};

class CtlStoreFixture
{
public:
    CtlStoreFixture() : _dir(makeTempDir("chukan-ctl"))
    {
        if (!Migrator(store.db()).migrate().isOk())
            throw std::runtime_error("migration failed");
        const Database::Options& o = store.options();
        config = _dir + "/chukan.properties";
        Poco::FileOutputStream f(config);
        f << "chukan.node.id = ctl-test\nchukan.data.dir = " << _dir << "\n";
        if (o.backend == Database::SQLITE)
            f << "chukan.store.backend = sqlite\nchukan.store.sqlite.file = " << o.sqlitePath
              << "\n";
        else
            f << "chukan.store.backend = mariadb\nchukan.store.mariadb.host = " << o.mariadbHost
              << "\nchukan.store.mariadb.port = " << o.mariadbPort
              << "\nchukan.store.mariadb.user = " << o.mariadbUser
              << "\nchukan.store.mariadb.password = " << o.mariadbPassword
              << "\nchukan.store.mariadb.database = " << o.mariadbDatabase << "\n";
    }
    ~CtlStoreFixture()
    {
        try
        {
            Poco::File(_dir).remove(true);
        }
        catch (...)
        {
        }
    }

    /// Runs command with args as `chukanctl --config CONFIG NAME ARGS...` would.
    CtlRun run(CtlCommand& command, const std::vector<std::string>& args)
    {
        std::ostringstream out, err;
        CtlContext ctx(config, out, err);
        CtlRun r;
        r.code = command.run(ctx, args);
        r.out = out.str();
        r.err = err.str();
        return r;
    }

    const std::string& dir() const { return _dir; }

    TestStore store;
    std::string config;

private:
    std::string _dir;
};

/// Sets CHUKAN_TEST_CLOCK=1 (chukanctl --now) for one scope.
class TestClockEnvironment
{
public:
    TestClockEnvironment() { Poco::Environment::set("CHUKAN_TEST_CLOCK", "1"); }
    ~TestClockEnvironment() { Poco::Environment::set("CHUKAN_TEST_CLOCK", ""); }
};

} // namespace test
} // namespace chukan
