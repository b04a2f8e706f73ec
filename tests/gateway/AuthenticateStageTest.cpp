// AuthenticateStageTest: certificate → tenant → system → operation, each refusal typed and counted.
#include "gateway/AuthenticateStage.h"
#include "tests/gateway/GatewayFixture.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class AuthenticateStageTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AuthenticateStageTest);
    CPPUNIT_TEST(testAllowed);
    CPPUNIT_TEST(testUnknownTenant);
    CPPUNIT_TEST(testTenantNotHostedHere);
    CPPUNIT_TEST(testUnknownCertificate);
    CPPUNIT_TEST(testOtherTenantsSystem);
    CPPUNIT_TEST(testDisabled);
    CPPUNIT_TEST(testOperationNotAllowed);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _f.reset(new test::GatewayFixture); }
    void tearDown() override { _f.reset(); }

    void testAllowed()
    {
        std::string fp = _f->addSystem("121002", "juki", {"fugo.register", "replica.register"});
        AuthenticateStage stage(*_f->services);
        Exchange ex = _f->exchange("121002", fp, "replica.register");
        CPPUNIT_ASSERT_EQUAL(Stage::CONTINUE, stage.run(ex));
        CPPUNIT_ASSERT_EQUAL(std::string("121002"), ex.tenant->str());
        CPPUNIT_ASSERT_EQUAL(std::string("juki"), ex.systemId);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), _f->services->metrics.value("chukan_authenticate_total", "decision=\"allowed\""));
    }

    void testUnknownTenant() { expectRefusal("12100X", "whatever", "fugo.register", "UNKNOWN_TENANT", "unknown_tenant"); }

    void testTenantNotHostedHere()
    {
        // 131016 is a valid code, but this gateway does not host it.
        expectRefusal("131016", std::string(64, 'a'), "fugo.register", "UNKNOWN_TENANT", "unknown_tenant");
    }

    void testUnknownCertificate()
    {
        _f->addSystem("121002", "juki", {"fugo.register"});
        expectRefusal("121002", std::string(64, 'f'), "fugo.register", "UNKNOWN_SYSTEM", "unknown_system");
    }

    void testOtherTenantsSystem()
    {
        // A system of 防府市 presenting O=121002 is not a system of 千葉市.
        std::string fp = _f->addSystem("352063", "juki", {"fugo.register"});
        expectRefusal("121002", fp, "fugo.register", "UNKNOWN_SYSTEM", "unknown_system");
    }

    void testDisabled()
    {
        std::string fp = _f->addSystem("121002", "zeimu", {"replica.register"}, {}, false);
        expectRefusal("121002", fp, "replica.register", "SYSTEM_DISABLED", "disabled");
    }

    void testOperationNotAllowed()
    {
        std::string fp = _f->addSystem("121002", "zeimu", {"replica.register"});
        expectRefusal("121002", fp, "fugo.register", "OPERATION_NOT_ALLOWED", "operation_denied");
    }

private:
    void expectRefusal(const std::string& org, const std::string& fp, const std::string& op, const std::string& code,
                       const std::string& decision)
    {
        AuthenticateStage stage(*_f->services);
        Exchange ex = _f->exchange(org, fp, op);
        CPPUNIT_ASSERT_EQUAL(Stage::STOP, stage.run(ex));
        CPPUNIT_ASSERT_EQUAL(code, ex.errorCode);
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, ex.status);
        CPPUNIT_ASSERT(!ex.tenant.has_value());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1),
                             _f->services->metrics.value("chukan_authenticate_total", "decision=\"" + decision + "\""));
    }
    std::unique_ptr<test::GatewayFixture> _f;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthenticateStageTest);
