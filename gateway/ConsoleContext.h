// ConsoleContext: per-request state of a staff console call — the session, the staff member, path parameters, audit facts.
#pragma once

#include "adapters/StaffSessionStore.h"
#include "adapters/StaffStore.h"
#include "policy/RolePermissions.h"

#include <map>
#include <optional>
#include <string>

namespace chukan
{

/// Created by ConsoleRoutes::dispatch for each console request (Exchange::console) and filled
/// by the console stages; ConsoleRoutes writes the audit entry from it after the pipeline ran.
struct ConsoleContext
{
    std::map<std::string, std::string> pathParams; ///< e.g. "holdId" from /holds/{holdId}
    std::string token;                             ///< the cookie token (never logged or stored)
    std::optional<StaffSession> session;           ///< set by ConsoleSessionStage (or login)
    std::optional<StaffAccount> staff;
    StaffRole role = StaffRole::OPERATOR;      ///< valid when staff is set
    bool passwordChangeRequired = false;       ///< only session, password and logout allowed
    std::string auditStaff;   ///< who, when there is no session (login: the id tried)
    std::string auditTarget;  ///< what the operation was applied to
    std::string auditDetail;  ///< more (never a password, a token or a 個人番号)
    std::string auditOutcome; ///< overrides the outcome derived from the HTTP status
};

} // namespace chukan
