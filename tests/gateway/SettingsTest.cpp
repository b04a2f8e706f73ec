// SettingsTest: every broken setting is refused with a message naming the key.
#include "gateway/CtlArgs.h"
#include "gateway/Settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class SettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SettingsTest);
    CPPUNIT_TEST(testMinimalSqlite);
    CPPUNIT_TEST(testBadBackendNamesKey);
    CPPUNIT_TEST(testBadPortNamesKey);
    CPPUNIT_TEST(testMissingDataDir);
    CPPUNIT_TEST(testMissingTlsFile);
    CPPUNIT_TEST(testMariaDbNeedsUser);
    CPPUNIT_TEST(testReplicaConnections);
    CPPUNIT_TEST(testCtlArgs);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _config = new Poco::Util::MapConfiguration;
        _config->setString("chukan.data.dir", "/tmp/chukan-settings-test");
    }

    void testMinimalSqlite()
    {
        Result<Settings> s = Settings::load(*_config, false);
        CPPUNIT_ASSERT_MESSAGE(s.status().toString(), s.isOk());
        CPPUNIT_ASSERT_EQUAL(Database::SQLITE, s->store.backend);
        CPPUNIT_ASSERT_EQUAL(std::string("/tmp/chukan-settings-test/chukan.db"), s->store.sqlitePath);
        CPPUNIT_ASSERT_EQUAL(2557, s->recordsRetentionDays);
    }

    void testBadBackendNamesKey()
    {
        _config->setString("chukan.store.backend", "postgres");
        expectError("chukan.store.backend: must be 'sqlite' or 'mariadb', got 'postgres'", false);
    }

    void testBadPortNamesKey()
    {
        _config->setString("chukan.listen.port", "http");
        expectError("chukan.listen.port: must be an integer, got 'http'", true);
        _config->setString("chukan.listen.port", "70000");
        expectError("chukan.listen.port", true);
    }

    void testMissingDataDir()
    {
        _config->remove("chukan.data.dir");
        expectError("chukan.data.dir: is required", false);
    }

    void testMissingTlsFile()
    {
        _config->setString("chukan.tls.certificate", "/nonexistent/cert.pem");
        expectError("chukan.tls.certificate: file '/nonexistent/cert.pem' does not exist", true);
    }

    void testMariaDbNeedsUser()
    {
        _config->setString("chukan.store.backend", "mariadb");
        expectError("chukan.store.mariadb.user", false);
        _config->setString("chukan.store.mariadb.user", "chukan");
        _config->setString("chukan.store.mariadb.database", "chukan");
        _config->setString("chukan.store.mariadb.port", "0");
        expectError("chukan.store.mariadb.port: must be between 1 and 65535", false);
    }

    void testReplicaConnections()
    {
        Result<Settings> s = Settings::load(*_config, false);
        CPPUNIT_ASSERT_EQUAL(2, s->replicaConnections);
        _config->setString("chukan.replica.connections", "0");
        expectError("chukan.replica.connections: must be between 1 and 8", false);
        _config->setString("chukan.replica.connections", "4");
        _config->setString("chukan.store.pool.max", "4");
        expectError("chukan.replica.connections: 4 must be below chukan.store.pool.max (4)", false);
        _config->setString("chukan.store.pool.max", "5");
        s = Settings::load(*_config, false);
        CPPUNIT_ASSERT_MESSAGE(s.status().toString(), s.isOk());
        CPPUNIT_ASSERT_EQUAL(4, s->replicaConnections);
    }

    void testCtlArgs()
    {
        Result<CtlArgs> a = CtlArgs::parse({"add", "121002", "--name", "千葉市", "--institution=X"}, {"name", "institution"});
        CPPUNIT_ASSERT(a.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), a->positionals().size());
        CPPUNIT_ASSERT_EQUAL(std::string("千葉市"), a->get("name"));
        CPPUNIT_ASSERT_EQUAL(std::string("X"), a->get("institution"));
        Result<CtlArgs> bad = CtlArgs::parse({"--nme", "x"}, {"name"});
        CPPUNIT_ASSERT(!bad);
        CPPUNIT_ASSERT(bad.status().message().find("--nme") != std::string::npos);
        CPPUNIT_ASSERT(!CtlArgs::parse({"--name"}, {"name"}));
    }

private:
    void expectError(const std::string& fragment, bool listener)
    {
        Result<Settings> s = Settings::load(*_config, listener);
        CPPUNIT_ASSERT_MESSAGE("expected failure: " + fragment, !s.isOk());
        CPPUNIT_ASSERT_MESSAGE(s.status().message(), s.status().message().find(fragment) != std::string::npos);
    }

    Poco::AutoPtr<Poco::Util::MapConfiguration> _config;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SettingsTest);
