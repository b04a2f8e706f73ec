// ConsoleAccountStage: JSON over StaffService; the cookie is set on login and cleared on logout.
#include "gateway/ConsoleAccountStage.h"

#include "gateway/ConsoleContext.h"
#include "gateway/ConsoleFormat.h"
#include "gateway/ConsoleSessionStage.h"

#include <Poco/JSON/Array.h>

namespace chukan
{

const char* ConsoleAccountStage::name() const
{
    switch (_mode)
    {
    case LOGIN: return "console_login";
    case LOGOUT: return "console_logout";
    case SESSION: return "console_session_info";
    case PASSWORD: return "console_password";
    }
    return "console_account";
}

std::string ConsoleAccountStage::sessionJson(const Exchange& ex, const StaffAccount& staff,
                                             const StaffSession& session,
                                             bool passwordChangeRequired) const
{
    Poco::JSON::Object who;
    who.set("loginId", staff.loginId);
    who.set("name", staff.name);
    who.set("role", staff.role);
    Poco::JSON::Array permissions;
    if (Result<StaffRole> role = RolePermissions::parseRole(staff.role))
        for (const std::string& p : RolePermissions::permissionNames(role.value()))
            permissions.add(p);
    who.set("permissions", permissions);
    Poco::JSON::Object o;
    o.set("staff", who);
    o.set("tenant", ex.tenant->str());
    o.set("csrfToken", session.csrfToken);
    o.set("passwordChangeRequired", passwordChangeRequired);
    o.set("idleTimeoutSeconds", static_cast<Poco::Int64>(_staff->settings().idleSeconds()));
    o.set("expiresAt", ConsoleFormat::isoJst(_staff->expiresAt(session)));
    return ConsoleFormat::json(o);
}

Stage::Outcome ConsoleAccountStage::run(Exchange& ex)
{
    ConsoleContext& c = *ex.console;
    switch (_mode)
    {
    case LOGIN: return login(ex);
    case SESSION:
        ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json",
                 sessionJson(ex, *c.staff, *c.session, c.passwordChangeRequired));
        return STOP;
    case LOGOUT:
    {
        _staff->logout(*ex.tenant, *c.session);
        ex.replyHeaders.emplace_back("Set-Cookie", ConsoleSessionStage::clearCookie());
        Poco::JSON::Object o;
        o.set("loggedOut", true);
        ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
        return STOP;
    }
    case PASSWORD: return password(ex);
    }
    return STOP;
}

Stage::Outcome ConsoleAccountStage::login(Exchange& ex)
{
    ConsoleContext& c = *ex.console;
    Result<Poco::JSON::Object::Ptr> body = ConsoleFormat::parseObject(ex.body);
    Result<std::string> id = body ? ConsoleFormat::text(body.value(), "loginId", true)
                                  : Result<std::string>(body.status());
    Result<std::string> pw = body ? ConsoleFormat::text(body.value(), "password", true)
                                  : Result<std::string>(body.status());
    if (!id || !pw)
    {
        Status bad = !id ? id.status() : pw.status();
        _staff->audit(*ex.tenant, "-", "login", "", "invalid", bad.message());
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", bad.message());
        return STOP;
    }
    LoginResult r = _staff->login(*ex.tenant, id.value(), pw.value(), ex.clientFingerprint);
    switch (r.outcome)
    {
    case LoginResult::OK: break;
    case LoginResult::INVALID_CREDENTIALS:
        ex.fail(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED, "INVALID_CREDENTIALS", r.message);
        return STOP;
    case LoginResult::LOCKED:
        ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "ACCOUNT_LOCKED", r.message);
        return STOP;
    case LoginResult::DISABLED:
        ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "ACCOUNT_DISABLED", r.message);
        return STOP;
    case LoginResult::INVALID_ARGUMENT:
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", r.message);
        return STOP;
    }
    c.session = r.session;
    c.staff = r.staff;
    std::string previous = ConsoleSessionStage::cookieToken(ex);
    if (!previous.empty() && previous != r.token)
        _staff->replaced(*ex.tenant, previous); // session rotation: the old cookie stops working
    ex.replyHeaders.emplace_back("Set-Cookie", ConsoleSessionStage::setCookie(r.token));
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json",
             sessionJson(ex, r.staff, r.session, r.passwordChangeRequired));
    return STOP;
}

Stage::Outcome ConsoleAccountStage::password(Exchange& ex)
{
    ConsoleContext& c = *ex.console;
    Result<Poco::JSON::Object::Ptr> body = ConsoleFormat::parseObject(ex.body);
    Result<std::string> current = body ? ConsoleFormat::text(body.value(), "currentPassword", true)
                                       : Result<std::string>(body.status());
    Result<std::string> next = body ? ConsoleFormat::text(body.value(), "newPassword", true)
                                    : Result<std::string>(body.status());
    if (!current || !next)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                (!current ? current.status() : next.status()).message());
        return STOP;
    }
    Status st = _staff->changePassword(*ex.tenant, *c.session, current.value(), next.value());
    if (!st)
    {
        c.auditDetail = st.code() == Status::PERMISSION_DENIED ? "wrong current password"
                                                               : st.message();
        if (st.code() == Status::PERMISSION_DENIED)
            ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "INVALID_CREDENTIALS", st.message());
        else if (st.code() == Status::INVALID_ARGUMENT)
            ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "PASSWORD_POLICY", st.message());
        else
            ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", st.message());
        return STOP;
    }
    std::optional<StaffAccount> after = _staff->account(*ex.tenant, c.staff->loginId);
    Poco::JSON::Object o;
    o.set("changed", true);
    o.set("passwordExpiresAt",
          ConsoleFormat::optIso(after ? _staff->passwordExpiresAt(*after) : std::nullopt));
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
    return STOP;
}

} // namespace chukan
