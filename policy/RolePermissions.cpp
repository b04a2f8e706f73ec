// RolePermissions: the matrix as one table (rows: permissions, columns: roles), and the names.
#include "policy/RolePermissions.h"

namespace chukan
{

namespace
{

struct Row
{
    Permission permission;
    const char* name;
    bool operatorAllowed;
    bool reviewerAllowed;
    bool auditorAllowed;
    bool administratorAllowed;
};

// Keep in step with docs/console-api.md, "Roles and permissions".
const Row kMatrix[] = {
    //                                             operator reviewer auditor administrator
    {Permission::SESSION, "session", true, true, true, true},
    {Permission::HOLD_LIST, "hold.list", true, true, false, false},
    {Permission::HOLD_VIEW, "hold.view", false, true, false, false},
    {Permission::HOLD_DECIDE, "hold.decide", false, true, false, false},
    {Permission::RECORD_SEARCH, "record.search", true, true, true, false},
    {Permission::RECORD_EXPORT, "record.export", true, false, true, false},
    {Permission::RECORD_DISCLOSURE, "record.disclosure", true, false, true, false},
    {Permission::AUDIT_READ, "audit.read", false, false, true, false},
    {Permission::STAFF_ADMIN, "staff.admin", false, false, false, true},
    {Permission::SYSTEM_VIEW, "system.view", false, false, true, true},
};

const Row& row(Permission p)
{
    for (const Row& r : kMatrix)
        if (r.permission == p)
            return r;
    return kMatrix[0]; // unreachable: every Permission has a row (RolePermissionsTest)
}

} // namespace

bool RolePermissions::allows(StaffRole role, Permission permission)
{
    const Row& r = row(permission);
    if (r.permission != permission)
        return false;
    switch (role)
    {
    case StaffRole::OPERATOR: return r.operatorAllowed;
    case StaffRole::REVIEWER: return r.reviewerAllowed;
    case StaffRole::AUDITOR: return r.auditorAllowed;
    case StaffRole::ADMINISTRATOR: return r.administratorAllowed;
    }
    return false;
}

Result<StaffRole> RolePermissions::parseRole(const std::string& name)
{
    for (StaffRole r : roles())
        if (name == roleName(r))
            return r;
    return Status::invalid("role: must be operator, reviewer, auditor or administrator, got '" +
                           name.substr(0, 40) + "'");
}

const char* RolePermissions::roleName(StaffRole role)
{
    switch (role)
    {
    case StaffRole::OPERATOR: return "operator";
    case StaffRole::REVIEWER: return "reviewer";
    case StaffRole::AUDITOR: return "auditor";
    case StaffRole::ADMINISTRATOR: return "administrator";
    }
    return "unknown";
}

const char* RolePermissions::permissionName(Permission permission)
{
    const Row& r = row(permission);
    return r.permission == permission ? r.name : "unknown";
}

const std::vector<StaffRole>& RolePermissions::roles()
{
    static const std::vector<StaffRole> all = {StaffRole::OPERATOR, StaffRole::REVIEWER,
                                               StaffRole::AUDITOR, StaffRole::ADMINISTRATOR};
    return all;
}

const std::vector<Permission>& RolePermissions::permissions()
{
    static const std::vector<Permission> all = {
        Permission::SESSION,           Permission::HOLD_LIST,     Permission::HOLD_VIEW,
        Permission::HOLD_DECIDE,       Permission::RECORD_SEARCH, Permission::RECORD_EXPORT,
        Permission::RECORD_DISCLOSURE, Permission::AUDIT_READ,    Permission::STAFF_ADMIN,
        Permission::SYSTEM_VIEW};
    return all;
}

std::vector<std::string> RolePermissions::permissionNames(StaffRole role)
{
    std::vector<std::string> out;
    for (Permission p : permissions())
        if (allows(role, p))
            out.push_back(permissionName(p));
    return out;
}

} // namespace chukan
