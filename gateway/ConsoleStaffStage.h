// ConsoleStaffStage: staff administration of the administrator's own institution — list, add, disable, enable, reset, role.
#pragma once

#include "gateway/Stage.h"
#include "gateway/StaffService.h"

#include <memory>

namespace chukan
{

/// GET/POST /console/api/staff, POST /console/api/staff/{loginId}/{disable|enable|reset|role}
/// (docs/console-api.md). One-time passwords are in the reply once and never in the audit log.
/// An administrator may not disable themselves or change their own role (409 CONFLICT).
class ConsoleStaffStage : public Stage
{
public:
    enum Mode
    {
        LIST,
        ADD,
        DISABLE,
        ENABLE,
        RESET,
        ROLE
    };
    ConsoleStaffStage(Mode mode, std::shared_ptr<StaffService> staff)
        : _mode(mode), _staff(std::move(staff))
    {
    }
    const char* name() const override;
    Outcome run(Exchange& exchange) override;

private:
    Outcome list(Exchange& ex);
    Outcome add(Exchange& ex);
    Outcome change(Exchange& ex);
    /// Sets the typed error reply for a failed StaffService call.
    void failWith(Exchange& ex, const Status& st);

    Mode _mode;
    std::shared_ptr<StaffService> _staff;
};

} // namespace chukan
