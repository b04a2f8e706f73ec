// ConsoleStaffStage: JSON over StaffService for administrators.
#include "gateway/ConsoleStaffStage.h"

#include "gateway/ConsoleContext.h"
#include "gateway/ConsoleFormat.h"

#include <Poco/JSON/Array.h>

namespace chukan
{

const char* ConsoleStaffStage::name() const
{
    switch (_mode)
    {
    case LIST: return "console_staff";
    case ADD: return "console_staff_add";
    case DISABLE: return "console_staff_disable";
    case ENABLE: return "console_staff_enable";
    case RESET: return "console_staff_reset";
    case ROLE: return "console_staff_role";
    }
    return "console_staff";
}

void ConsoleStaffStage::failWith(Exchange& ex, const Status& st)
{
    switch (st.code())
    {
    case Status::NOT_FOUND:
        ex.fail(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND", st.message());
        break;
    case Status::ALREADY_EXISTS:
        ex.fail(Poco::Net::HTTPResponse::HTTP_CONFLICT, "ALREADY_EXISTS", st.message());
        break;
    case Status::INVALID_ARGUMENT:
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", st.message());
        break;
    case Status::FAILED_PRECONDITION:
        ex.fail(Poco::Net::HTTPResponse::HTTP_CONFLICT, "CONFLICT", st.message());
        break;
    default:
        ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", st.message());
    }
}

Stage::Outcome ConsoleStaffStage::run(Exchange& ex)
{
    switch (_mode)
    {
    case LIST: return list(ex);
    case ADD: return add(ex);
    default: return change(ex);
    }
}

Stage::Outcome ConsoleStaffStage::list(Exchange& ex)
{
    Poco::JSON::Array staff;
    for (const StaffAccount& a : _staff->accounts(*ex.tenant))
    {
        Poco::JSON::Object o;
        o.set("loginId", a.loginId);
        o.set("name", a.name);
        o.set("role", a.role);
        o.set("enabled", a.enabled);
        o.set("disabledReason", a.disabledReason);
        o.set("locked", _staff->isLocked(a));
        o.set("failedLogins", a.failedLogins);
        o.set("lastLoginAt", ConsoleFormat::optIso(a.lastLoginAt));
        o.set("passwordChangedAt", ConsoleFormat::isoJst(a.passwordChangedAt));
        o.set("passwordExpiresAt", ConsoleFormat::optIso(_staff->passwordExpiresAt(a)));
        o.set("mustChangePassword", a.mustChangePassword);
        o.set("createdAt", ConsoleFormat::isoJst(a.createdAt));
        staff.add(o);
    }
    Poco::JSON::Object o;
    o.set("staff", staff);
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
    return STOP;
}

Stage::Outcome ConsoleStaffStage::add(Exchange& ex)
{
    ConsoleContext& c = *ex.console;
    Result<Poco::JSON::Object::Ptr> body = ConsoleFormat::parseObject(ex.body);
    if (!body)
    {
        failWith(ex, body.status());
        return STOP;
    }
    Result<std::string> id = ConsoleFormat::text(body.value(), "loginId", true);
    Result<std::string> name = ConsoleFormat::text(body.value(), "name", true);
    Result<std::string> role = ConsoleFormat::text(body.value(), "role", true);
    Status bad = !id ? id.status() : !name ? name.status() : !role ? role.status() : Status::ok();
    if (!bad)
    {
        failWith(ex, bad);
        return STOP;
    }
    c.auditTarget = id.value();
    c.auditDetail = "role=" + role.value();
    Result<std::string> otp =
        _staff->addStaff(*ex.tenant, id.value(), name.value(), role.value(), "", c.staff->loginId);
    if (!otp)
    {
        failWith(ex, otp.status());
        return STOP;
    }
    Poco::JSON::Object o;
    o.set("loginId", id.value());
    o.set("oneTimePassword", otp.value());
    ex.reply(Poco::Net::HTTPResponse::HTTP_CREATED, "application/json", ConsoleFormat::json(o));
    return STOP;
}

Stage::Outcome ConsoleStaffStage::change(Exchange& ex)
{
    ConsoleContext& c = *ex.console;
    const std::string& target = c.pathParams["loginId"];
    c.auditTarget = target;
    Result<Poco::JSON::Object::Ptr> body = ConsoleFormat::parseObject(ex.body);
    if (!body)
    {
        failWith(ex, body.status());
        return STOP;
    }
    bool self = target == c.staff->loginId;
    Poco::JSON::Object o;
    o.set("loginId", target);
    Status st;
    if (_mode == DISABLE)
    {
        Result<std::string> reason = ConsoleFormat::text(body.value(), "reason", false);
        if (!reason)
            st = reason.status();
        else if (!reason.value().empty() && !StaffService::isDisableReason(reason.value()))
            st = Status::invalid("reason: must be transfer, retirement, leave or other");
        else if (self)
            st = Status::precondition("an administrator cannot disable their own account");
        else
        {
            c.auditDetail = reason.value().empty() ? "other" : reason.value();
            st = _staff->disable(*ex.tenant, target, c.auditDetail, c.staff->loginId);
        }
        o.set("enabled", false);
    }
    else if (_mode == ENABLE)
    {
        st = _staff->enable(*ex.tenant, target, c.staff->loginId);
        o.set("enabled", true);
    }
    else if (_mode == ROLE)
    {
        Result<std::string> role = ConsoleFormat::text(body.value(), "role", true);
        if (!role)
            st = role.status();
        else if (self)
            st = Status::precondition("an administrator cannot change their own role");
        else
        {
            c.auditDetail = "role=" + role.value();
            st = _staff->setRole(*ex.tenant, target, role.value(), c.staff->loginId);
        }
        o.set("role", role ? role.value() : "");
    }
    else // RESET
    {
        Result<std::string> otp = _staff->resetPassword(*ex.tenant, target, "", c.staff->loginId);
        if (!otp)
            st = otp.status();
        else
            o.set("oneTimePassword", otp.value());
    }
    if (!st)
    {
        failWith(ex, st);
        return STOP;
    }
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", ConsoleFormat::json(o));
    return STOP;
}

} // namespace chukan
