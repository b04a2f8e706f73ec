// StaffCommand: `chukanctl staff add|disable|enable|reset|list` — staff accounts of a hosted
// institution.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan
{

/// Accounts go through StaffService (the same rules as the console); every change, refused
/// ones included, is written to the tenant's audit log as staff "chukanctl". A generated
/// one-time password is printed once on stdout and must be changed at the first login;
/// passwords never reach the audit log, a log line or stderr.
class StaffCommand : public CtlCommand
{
public:
    std::string name() const override { return "staff"; }
    std::string summary() const override
    {
        return "add, disable, enable, reset and list staff accounts of the console";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;

    /// The audit log's name for whoever uses chukanctl.
    static constexpr const char* ACTOR = "chukanctl";
};

} // namespace chukan
