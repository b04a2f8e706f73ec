// ConsoleAccountStage: the caller's own account — login, logout, session, password change.
#pragma once

#include "gateway/Stage.h"
#include "gateway/StaffService.h"

#include <memory>

namespace chukan
{

/// POST /console/api/login, POST /console/api/logout, GET /console/api/session,
/// POST /console/api/password (docs/console-api.md).
class ConsoleAccountStage : public Stage
{
public:
    enum Mode
    {
        LOGIN,
        LOGOUT,
        SESSION,
        PASSWORD
    };
    ConsoleAccountStage(Mode mode, std::shared_ptr<StaffService> staff)
        : _mode(mode), _staff(std::move(staff))
    {
    }
    const char* name() const override;
    Outcome run(Exchange& exchange) override;

private:
    Outcome login(Exchange& ex);
    Outcome password(Exchange& ex);
    /// The login / session reply.
    std::string sessionJson(const Exchange& ex, const StaffAccount& staff,
                            const StaffSession& session, bool passwordChangeRequired) const;

    Mode _mode;
    std::shared_ptr<StaffService> _staff;
};

} // namespace chukan
