// ConsoleAuthorizeStage: one lookup in the fixed matrix.
#include "gateway/ConsoleAuthorizeStage.h"

#include "gateway/ConsoleContext.h"

namespace chukan
{

Stage::Outcome ConsoleAuthorizeStage::run(Exchange& ex)
{
    const ConsoleContext& c = *ex.console;
    if (!c.staff)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED, "NOT_LOGGED_IN", "log in first");
        return STOP;
    }
    if (c.passwordChangeRequired && _permission != Permission::SESSION)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "PASSWORD_CHANGE_REQUIRED",
                "change your password first");
        return STOP;
    }
    if (!RolePermissions::allows(c.role, _permission))
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "FORBIDDEN",
                std::string("role ") + RolePermissions::roleName(c.role) + " lacks permission " +
                    RolePermissions::permissionName(_permission));
        return STOP;
    }
    return CONTINUE;
}

} // namespace chukan
