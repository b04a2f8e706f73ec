// ConsoleAuthorizeStage: the staff member's role must hold the endpoint's permission (policy/RolePermissions).
#pragma once

#include "gateway/Stage.h"
#include "policy/RolePermissions.h"

namespace chukan
{

/// 403 PASSWORD_CHANGE_REQUIRED for anything but Permission::SESSION while the password must
/// be changed; 403 FORBIDDEN when the role lacks the permission.
class ConsoleAuthorizeStage : public Stage
{
public:
    explicit ConsoleAuthorizeStage(Permission permission) : _permission(permission) {}
    const char* name() const override { return "console_authorize"; }
    Outcome run(Exchange& exchange) override;

private:
    Permission _permission;
};

} // namespace chukan
