// ConsoleAccountTest: password and account rules through the console — policy, one-time passwords,
// expiry, lock-out, dormancy, administrator disable/enable/reset/role.
#include "adapters/PasswordHasher.h"
#include "policy/PasswordPolicy.h"
#include "tests/gateway/ConsoleFixture.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;
using test::ConsoleFixture;
using test::ConsoleSession;

class ConsoleAccountTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConsoleAccountTest);
    CPPUNIT_TEST(testPasswordsAreSaltedKdfHashes);
    CPPUNIT_TEST(testOneMessageForUnknownIdAndWrongPassword);
    CPPUNIT_TEST(testOneTimePasswordMustBeChanged);
    CPPUNIT_TEST(testPasswordPolicyOnChange);
    CPPUNIT_TEST(testWrongCurrentPasswordCountsAsFailure);
    CPPUNIT_TEST(testExpiredPasswordForcesChange);
    CPPUNIT_TEST(testLockOutAfterRepeatedFailures);
    CPPUNIT_TEST(testLockOutUntilResetWhenMinutesIsZero);
    CPPUNIT_TEST(testDormantAccountDisabled);
    CPPUNIT_TEST(testAdministratorDisablesAndEnables);
    CPPUNIT_TEST(testAdministratorAddsWithOneTimePassword);
    CPPUNIT_TEST(testAdministratorResetEndsSessionsAndClearsLock);
    CPPUNIT_TEST(testRoleChangeTakesEffectAtOnce);
    CPPUNIT_TEST(testAdministratorCannotLockThemselvesOut);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _c.reset(new ConsoleFixture);
        _c->addStaff(ConsoleFixture::CHIBA, "admin", "administrator");
        _c->addStaff(ConsoleFixture::CHIBA, "sato.hanako", "reviewer");
    }
    void tearDown() override { _c.reset(); }

    void testPasswordsAreSaltedKdfHashes()
    {
        _c->addStaff(ConsoleFixture::CHIBA, "suzuki.ichiro", "reviewer");
        std::optional<StaffAccount> a = _c->staff().account(chiba(), "sato.hanako");
        std::optional<StaffAccount> b = _c->staff().account(chiba(), "suzuki.ichiro");
        CPPUNIT_ASSERT(a->passwordHash.find(ConsoleFixture::PASSWORD) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("pbkdf2-sha256$i=10000$"), a->passwordHash.substr(0, 22));
        CPPUNIT_ASSERT(a->passwordHash != b->passwordHash); // same password, per-user salt
        PasswordHasher h(_c->f->services->settings.console.kdf);
        CPPUNIT_ASSERT(h.verify(ConsoleFixture::PASSWORD, a->passwordHash).value());
        CPPUNIT_ASSERT(!h.verify("Kensa-Pass-2026?", a->passwordHash).value());
    }

    void testOneMessageForUnknownIdAndWrongPassword()
    {
        Exchange unknown =
            _c->loginReply(ConsoleFixture::CHIBA, "nobody", ConsoleFixture::PASSWORD);
        Exchange wrong = _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", "Wrong-Pass-2026!");
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(unknown.status));
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(wrong.status));
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_CREDENTIALS"), unknown.errorCode);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_CREDENTIALS"), wrong.errorCode);
        CPPUNIT_ASSERT_EQUAL(ConsoleFixture::json(unknown)->getValue<std::string>("message"),
                             ConsoleFixture::json(wrong)->getValue<std::string>("message"));
        CPPUNIT_ASSERT(ConsoleFixture::header(wrong, "Set-Cookie").empty());
        std::vector<AuditEntry> failed = _c->audits(ConsoleFixture::CHIBA, "login");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), failed.size());
        for (const AuditEntry& e : failed)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("failed"), e.outcome);
            CPPUNIT_ASSERT(e.detail.find("Wrong-Pass") == std::string::npos);
        }
    }

    void testOneTimePasswordMustBeChanged()
    {
        std::string otp = _c->addStaff(ConsoleFixture::CHIBA, "tanaka.jiro", "operator", true);
        CPPUNIT_ASSERT_EQUAL(std::size_t(23), otp.size());
        Exchange ex = _c->loginReply(ConsoleFixture::CHIBA, "tanaka.jiro", otp);
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT(ConsoleFixture::json(ex)->getValue<bool>("passwordChangeRequired"));
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "tanaka.jiro", otp);
        CPPUNIT_ASSERT_EQUAL(std::string("PASSWORD_CHANGE_REQUIRED"),
                             _c->call(s, "GET", "/console/api/records").errorCode);
        ex = changePassword(s, otp, "Neue-Passw0rt-2026");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ex.replyBody, 200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(200,
                             static_cast<int>(_c->call(s, "GET", "/console/api/records").status));
        CPPUNIT_ASSERT(!ConsoleFixture::json(_c->call(s, "GET", "/console/api/session"))
                            ->getValue<bool>("passwordChangeRequired"));
        // the one-time password is gone
        CPPUNIT_ASSERT_EQUAL(
            401,
            static_cast<int>(_c->loginReply(ConsoleFixture::CHIBA, "tanaka.jiro", otp).status));
        std::vector<AuditEntry> a =
            _c->audits(ConsoleFixture::CHIBA, "password.change", "tanaka.jiro");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), a[0].outcome);
    }

    void testPasswordPolicyOnChange()
    {
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        struct Case
        {
            const char* password;
            const char* says;
        } cases[] = {
            {"Short-1a", "at least 12"},
            {"alllowercaseletters", "three of"},
            {"xxSato.Hanako-2026", "login id"},
            {ConsoleFixture::PASSWORD, "differ"},
        };
        for (const Case& k : cases)
        {
            Exchange ex = changePassword(s, ConsoleFixture::PASSWORD, k.password);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(k.password, 400, static_cast<int>(ex.status));
            CPPUNIT_ASSERT_EQUAL(std::string("PASSWORD_POLICY"), ex.errorCode);
            CPPUNIT_ASSERT_MESSAGE(ex.replyBody, ex.replyBody.find(k.says) != std::string::npos);
            CPPUNIT_ASSERT(ex.replyBody.find(k.password) == std::string::npos); // never echoed
        }
        // unchanged: the old password still works
        _c->login(ConsoleFixture::CHIBA, "sato.hanako");
    }

    void testWrongCurrentPasswordCountsAsFailure()
    {
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        Exchange ex = changePassword(s, "Wrong-Pass-2026!", "Neue-Passw0rt-2026");
        CPPUNIT_ASSERT_EQUAL(403, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_CREDENTIALS"), ex.errorCode);
        CPPUNIT_ASSERT_EQUAL(1, _c->staff().account(chiba(), "sato.hanako")->failedLogins);
        CPPUNIT_ASSERT_EQUAL(std::string("denied"),
                             _c->audits(ConsoleFixture::CHIBA, "password.change")[0].outcome);
    }

    void testExpiredPasswordForcesChange()
    {
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        for (int day = 0; day < 3; ++day) // log in monthly: not dormant, but the password ages
        {
            _c->f->clock->advanceSeconds(30 * 86400);
            s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        }
        Exchange info = _c->call(s, "GET", "/console/api/session");
        CPPUNIT_ASSERT(ConsoleFixture::json(info)->getValue<bool>("passwordChangeRequired"));
        CPPUNIT_ASSERT_EQUAL(std::string("PASSWORD_CHANGE_REQUIRED"),
                             _c->call(s, "GET", "/console/api/holds").errorCode);
        CPPUNIT_ASSERT_EQUAL(
            200, static_cast<int>(
                     changePassword(s, ConsoleFixture::PASSWORD, "Neue-Passw0rt-2026").status));
        CPPUNIT_ASSERT_EQUAL(200,
                             static_cast<int>(_c->call(s, "GET", "/console/api/holds").status));
    }

    void testLockOutAfterRepeatedFailures()
    {
        for (int i = 1; i <= 5; ++i)
            CPPUNIT_ASSERT_EQUAL(
                std::string("INVALID_CREDENTIALS"),
                _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", "Wrong-Pass-2026!").errorCode);
        Exchange ex =
            _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", ConsoleFixture::PASSWORD);
        CPPUNIT_ASSERT_EQUAL(403, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("ACCOUNT_LOCKED"), ex.errorCode);
        CPPUNIT_ASSERT(ConsoleFixture::header(ex, "Set-Cookie").empty());
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, "login", "sato.hanako");
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), a.size());
        CPPUNIT_ASSERT(a[4].detail.find("account locked") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("locked"), a[5].outcome);
        _c->f->clock->advanceSeconds(29 * 60);
        CPPUNIT_ASSERT_EQUAL(
            std::string("ACCOUNT_LOCKED"),
            _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", ConsoleFixture::PASSWORD)
                .errorCode);
        _c->f->clock->advanceSeconds(60 + 1); // past chukan.console.lockoutMinutes = 30
        _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        CPPUNIT_ASSERT_EQUAL(0, _c->staff().account(chiba(), "sato.hanako")->failedLogins);
    }

    void testLockOutUntilResetWhenMinutesIsZero()
    {
        _c->f->services->settings.console.account.lockoutMinutes = 0;
        _c->f->services->settings.console.account.maxFailedLogins = 2;
        _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", "Wrong-Pass-2026!");
        _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", "Wrong-Pass-2026!");
        _c->f->clock->advanceSeconds(7 * 86400);
        CPPUNIT_ASSERT_EQUAL(
            std::string("ACCOUNT_LOCKED"),
            _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", ConsoleFixture::PASSWORD)
                .errorCode);
        ConsoleSession admin = _c->login(ConsoleFixture::CHIBA, "admin");
        Exchange reset = _c->call(admin, "POST", "/console/api/staff/sato.hanako/reset");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(reset.status));
        std::string otp = ConsoleFixture::json(reset)->getValue<std::string>("oneTimePassword");
        Exchange ex = _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", otp);
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT(ConsoleFixture::json(ex)->getValue<bool>("passwordChangeRequired"));
    }

    void testDormantAccountDisabled()
    {
        _c->addStaff(ConsoleFixture::CHIBA, "yamada.taro", "operator");
        _c->f->clock->advanceSeconds(91 * 86400);
        // a wrong password learns nothing about the state
        CPPUNIT_ASSERT_EQUAL(
            std::string("INVALID_CREDENTIALS"),
            _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", "Wrong-Pass-2026!").errorCode);
        Exchange ex =
            _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", ConsoleFixture::PASSWORD);
        CPPUNIT_ASSERT_EQUAL(403, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("ACCOUNT_DISABLED"), ex.errorCode);
        std::optional<StaffAccount> a = _c->staff().account(chiba(), "sato.hanako");
        CPPUNIT_ASSERT(!a->enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("dormant"), a->disabledReason);
        // the worker's sweep disables the others (and audits it)
        CPPUNIT_ASSERT(_c->staff().sweep(chiba()) >= 1);
        CPPUNIT_ASSERT(!_c->staff().account(chiba(), "yamada.taro")->enabled);
        std::vector<AuditEntry> disabled =
            _c->audits(ConsoleFixture::CHIBA, "staff.disable", "system");
        CPPUNIT_ASSERT(disabled.size() >= 2);
        CPPUNIT_ASSERT_EQUAL(std::string("dormant"), disabled[0].detail);
        // enable restarts the dormancy clock
        CPPUNIT_ASSERT(_c->staff().enable(chiba(), "sato.hanako", "test").isOk());
        _c->login(ConsoleFixture::CHIBA, "sato.hanako");
    }

    void testAdministratorDisablesAndEnables()
    {
        ConsoleSession admin = _c->login(ConsoleFixture::CHIBA, "admin");
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        Exchange ex = _c->call(admin, "POST", "/console/api/staff/sato.hanako/disable",
                               "{\"reason\":\"retirement\"}");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT(!ConsoleFixture::json(ex)->getValue<bool>("enabled"));
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_INVALID"),
                             _c->call(s, "GET", "/console/api/holds").errorCode);
        CPPUNIT_ASSERT_EQUAL(
            std::string("ACCOUNT_DISABLED"),
            _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", ConsoleFixture::PASSWORD)
                .errorCode);
        Exchange list = _c->call(admin, "GET", "/console/api/staff");
        bool seen = false;
        Poco::JSON::Array::Ptr staff = ConsoleFixture::json(list)->getArray("staff");
        for (std::size_t i = 0; i < staff->size(); ++i)
        {
            Poco::JSON::Object::Ptr o = staff->getObject(static_cast<unsigned>(i));
            if (o->getValue<std::string>("loginId") != "sato.hanako")
                continue;
            seen = true;
            CPPUNIT_ASSERT(!o->getValue<bool>("enabled"));
            CPPUNIT_ASSERT_EQUAL(std::string("retirement"),
                                 o->getValue<std::string>("disabledReason"));
            CPPUNIT_ASSERT(!o->has("passwordHash"));
        }
        CPPUNIT_ASSERT(seen);
        CPPUNIT_ASSERT(list.replyBody.find("pbkdf2") == std::string::npos);
        ex = _c->call(admin, "POST", "/console/api/staff/sato.hanako/enable");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        std::vector<AuditEntry> d = _c->audits(ConsoleFixture::CHIBA, "staff.disable", "admin");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), d.size());
        CPPUNIT_ASSERT_EQUAL(std::string("sato.hanako"), d[0].target);
        CPPUNIT_ASSERT_EQUAL(std::string("retirement"), d[0].detail);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             _c->audits(ConsoleFixture::CHIBA, "staff.enable", "admin").size());
    }

    void testAdministratorAddsWithOneTimePassword()
    {
        ConsoleSession admin = _c->login(ConsoleFixture::CHIBA, "admin");
        Exchange ex =
            _c->call(admin, "POST", "/console/api/staff",
                     "{\"loginId\":\"ito.saburo\",\"name\":\"伊藤 三郎\",\"role\":\"auditor\"}");
        CPPUNIT_ASSERT_EQUAL(201, static_cast<int>(ex.status));
        std::string otp = ConsoleFixture::json(ex)->getValue<std::string>("oneTimePassword");
        CPPUNIT_ASSERT(PasswordPolicy::check(otp, "ito.saburo", 12).isOk());
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, "staff.add", "admin");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(std::string("ito.saburo"), a[0].target);
        CPPUNIT_ASSERT(a[0].detail.find(otp) == std::string::npos); // never in the audit log
        ex = _c->loginReply(ConsoleFixture::CHIBA, "ito.saburo", otp);
        CPPUNIT_ASSERT(ConsoleFixture::json(ex)->getValue<bool>("passwordChangeRequired"));
        // again: 409, bad values: 400
        ex = _c->call(admin, "POST", "/console/api/staff",
                      "{\"loginId\":\"ito.saburo\",\"name\":\"x\",\"role\":\"auditor\"}");
        CPPUNIT_ASSERT_EQUAL(409, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("ALREADY_EXISTS"), ex.errorCode);
        for (const char* body : {"{\"loginId\":\"Bad Id\",\"name\":\"x\",\"role\":\"auditor\"}",
                                 "{\"loginId\":\"ok.id\",\"name\":\"x\",\"role\":\"root\"}",
                                 "{\"loginId\":\"ok.id\",\"role\":\"auditor\"}", "[1,2]", "{"})
        {
            ex = _c->call(admin, "POST", "/console/api/staff", body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 400, static_cast<int>(ex.status));
        }
        CPPUNIT_ASSERT(!_c->staff().account(chiba(), "ok.id").has_value());
    }

    void testAdministratorResetEndsSessionsAndClearsLock()
    {
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        for (int i = 0; i < 5; ++i)
            _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", "Wrong-Pass-2026!");
        ConsoleSession admin = _c->login(ConsoleFixture::CHIBA, "admin");
        Exchange ex = _c->call(admin, "POST", "/console/api/staff/sato.hanako/reset");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        std::string otp = ConsoleFixture::json(ex)->getValue<std::string>("oneTimePassword");
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_INVALID"),
                             _c->call(s, "GET", "/console/api/session").errorCode);
        CPPUNIT_ASSERT_EQUAL(401,
                             static_cast<int>(_c->loginReply(ConsoleFixture::CHIBA, "sato.hanako",
                                                             ConsoleFixture::PASSWORD)
                                                  .status));
        CPPUNIT_ASSERT_EQUAL(
            200,
            static_cast<int>(_c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", otp).status));
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, "staff.reset", "admin");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT(a[0].detail.find(otp) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(
            404,
            static_cast<int>(_c->call(admin, "POST", "/console/api/staff/nobody/reset").status));
    }

    void testRoleChangeTakesEffectAtOnce()
    {
        ConsoleSession admin = _c->login(ConsoleFixture::CHIBA, "admin");
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        Exchange ex = _c->call(admin, "POST", "/console/api/staff/sato.hanako/role",
                               "{\"role\":\"auditor\"}");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_INVALID"),
                             _c->call(s, "GET", "/console/api/holds").errorCode);
        s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        CPPUNIT_ASSERT_EQUAL(std::string("FORBIDDEN"),
                             _c->call(s, "GET", "/console/api/holds").errorCode);
        CPPUNIT_ASSERT_EQUAL(200,
                             static_cast<int>(_c->call(s, "GET", "/console/api/audit").status));
        ex = _c->call(admin, "POST", "/console/api/staff/sato.hanako/role",
                      "{\"role\":\"superuser\"}");
        CPPUNIT_ASSERT_EQUAL(400, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("auditor"),
                             _c->staff().account(chiba(), "sato.hanako")->role);
    }

    void testAdministratorCannotLockThemselvesOut()
    {
        ConsoleSession admin = _c->login(ConsoleFixture::CHIBA, "admin");
        Exchange ex =
            _c->call(admin, "POST", "/console/api/staff/admin/disable", "{\"reason\":\"other\"}");
        CPPUNIT_ASSERT_EQUAL(409, static_cast<int>(ex.status));
        ex = _c->call(admin, "POST", "/console/api/staff/admin/role", "{\"role\":\"reviewer\"}");
        CPPUNIT_ASSERT_EQUAL(409, static_cast<int>(ex.status));
        std::optional<StaffAccount> a = _c->staff().account(chiba(), "admin");
        CPPUNIT_ASSERT(a->enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("administrator"), a->role);
        CPPUNIT_ASSERT_EQUAL(
            std::string("conflict"),
            _c->audits(ConsoleFixture::CHIBA, "staff.disable", "admin")[0].outcome);
    }

private:
    static TenantCode chiba() { return ConsoleFixture::code("121002"); }

    Exchange changePassword(const ConsoleSession& s, const std::string& current,
                            const std::string& next)
    {
        return _c->call(s, "POST", "/console/api/password",
                        "{\"currentPassword\":\"" + current + "\",\"newPassword\":\"" + next +
                            "\"}");
    }

    std::unique_ptr<ConsoleFixture> _c;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleAccountTest);
