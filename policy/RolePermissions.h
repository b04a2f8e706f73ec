// RolePermissions: the fixed role × permission matrix of the staff console (operator, reviewer, auditor, administrator).
#pragma once

#include "codecs/Result.h"

#include <string>
#include <vector>

namespace chukan
{

/// A staff member has exactly one role (separation of duties: whoever administers accounts
/// neither reviews holds nor audits; both may read the counts of システム管理).
enum class StaffRole
{
    OPERATOR, ///< daily work: the hold queue, records search, export, disclosure reports
    REVIEWER, ///< compliance review: hold content and decisions (提供 / 拒否), records search
    AUDITOR,  ///< audit log, records search, export, disclosure reports, jobs, stats
    ADMINISTRATOR ///< staff accounts; jobs and statistics (read-only counts)
};

/// What a console endpoint needs.
enum class Permission
{
    SESSION,           ///< log in and out, own session, own password (every role)
    HOLD_LIST,         ///< the 保留 queue (no content)
    HOLD_VIEW,         ///< the content a held provision would provide
    HOLD_DECIDE,       ///< 提供 / 拒否 a held provision
    RECORD_SEARCH,     ///< search 情報提供等記録
    RECORD_EXPORT,     ///< CSV export of 情報提供等記録
    RECORD_DISCLOSURE, ///< a resident's disclosure report
    AUDIT_READ,        ///< the staff audit log and its verification
    STAFF_ADMIN,       ///< staff accounts of the institution
    SYSTEM_VIEW        ///< batch jobs and business statistics (counts only, no person)
};

/// Pure and thread-safe: the matrix is a constant.
class RolePermissions
{
public:
    static bool allows(StaffRole role, Permission permission);

    /// "operator", "reviewer", "auditor", "administrator"; INVALID_ARGUMENT names the value.
    static Result<StaffRole> parseRole(const std::string& name);
    static const char* roleName(StaffRole role);
    /// e.g. "hold.decide" (the names used in the API and the audit log).
    static const char* permissionName(Permission permission);

    static const std::vector<StaffRole>& roles();
    static const std::vector<Permission>& permissions();
    /// The permission names of a role, in permissions() order.
    static std::vector<std::string> permissionNames(StaffRole role);
};

} // namespace chukan
