// ConsoleSessionStage: the session cookie → a valid, touched staff session on this terminal, or 401.
#pragma once

#include "gateway/Stage.h"
#include "gateway/StaffService.h"

#include <memory>

namespace chukan
{

/// 401 NOT_LOGGED_IN (no cookie), SESSION_INVALID or SESSION_TIMEOUT (both clear the cookie);
/// otherwise fills Exchange::console (session, staff, role, passwordChangeRequired).
class ConsoleSessionStage : public Stage
{
public:
    explicit ConsoleSessionStage(std::shared_ptr<StaffService> staff) : _staff(std::move(staff)) {}
    const char* name() const override { return "console_session"; }
    Outcome run(Exchange& exchange) override;

    static constexpr const char* COOKIE = "chukan_console";
    /// The value of our cookie in a Cookie header ("" when absent).
    static std::string cookieToken(const Exchange& exchange);
    /// Set-Cookie values that set and clear the session cookie.
    static std::string setCookie(const std::string& token);
    static std::string clearCookie();

private:
    std::shared_ptr<StaffService> _staff;
};

} // namespace chukan
