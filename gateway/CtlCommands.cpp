// CtlCommands: the registry of chukanctl command groups (add one line per new group).
#include "gateway/CtlCommand.h"
#include "gateway/DbCommand.h"
#include "gateway/TenantCommand.h"

namespace chukan {

std::vector<std::unique_ptr<CtlCommand>> allCtlCommands()
{
    std::vector<std::unique_ptr<CtlCommand>> all;
    all.emplace_back(new DbCommand);
    all.emplace_back(new TenantCommand);
    return all;
}

} // namespace chukan
