// ConsoleSessionStage: cookie parsing and StaffService::resume.
#include "gateway/ConsoleSessionStage.h"

#include "gateway/ConsoleContext.h"

#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace chukan
{

std::string ConsoleSessionStage::cookieToken(const Exchange& ex)
{
    auto it = ex.headers.find("cookie");
    if (it == ex.headers.end())
        return "";
    Poco::StringTokenizer parts(it->second, ";", Poco::StringTokenizer::TOK_TRIM);
    for (const std::string& p : parts)
    {
        std::size_t eq = p.find('=');
        if (eq != std::string::npos && p.substr(0, eq) == COOKIE)
            return p.substr(eq + 1);
    }
    return "";
}

std::string ConsoleSessionStage::setCookie(const std::string& token)
{
    return std::string(COOKIE) + "=" + token + "; Path=/console; Secure; HttpOnly; SameSite=Strict";
}

std::string ConsoleSessionStage::clearCookie()
{
    return std::string(COOKIE) + "=; Path=/console; Max-Age=0; Secure; HttpOnly; SameSite=Strict";
}

Stage::Outcome ConsoleSessionStage::run(Exchange& ex)
{
    ConsoleContext& c = *ex.console;
    c.token = cookieToken(ex);
    if (c.token.empty())
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED, "NOT_LOGGED_IN", "log in first");
        return STOP;
    }
    ResumeResult r = _staff->resume(*ex.tenant, c.token, ex.clientFingerprint);
    if (r.outcome != ResumeResult::OK)
    {
        ex.replyHeaders.emplace_back("Set-Cookie", clearCookie());
        ex.fail(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED,
                r.outcome == ResumeResult::TIMEOUT ? "SESSION_TIMEOUT" : "SESSION_INVALID",
                r.message);
        return STOP;
    }
    c.session = r.session;
    c.staff = r.staff;
    Result<StaffRole> role = RolePermissions::parseRole(r.staff.role);
    if (!role)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "FORBIDDEN", role.status().message());
        return STOP;
    }
    c.role = role.value();
    c.passwordChangeRequired = r.passwordChangeRequired;
    return CONTINUE;
}

} // namespace chukan
