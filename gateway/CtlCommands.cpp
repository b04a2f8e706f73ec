// CtlCommands: the registry of chukanctl command groups (add one line per new group).
#include "gateway/CtlCommand.h"
#include "gateway/AuditCommand.h"
#include "gateway/BackupCommand.h"
#include "gateway/ConvertCommand.h"
#include "gateway/DbCommand.h"
#include "gateway/JobsCommand.h"
#include "gateway/LayoutCommand.h"
#include "gateway/OpenCommand.h"
#include "gateway/PermissionsCommand.h"
#include "gateway/RecordsCommand.h"
#include "gateway/ReplicaCommand.h"
#include "gateway/RestoreCommand.h"
#include "gateway/SealCommand.h"
#include "gateway/StaffCommand.h"
#include "gateway/StatsCommand.h"
#include "gateway/SystemCommand.h"
#include "gateway/TenantCommand.h"
#include "gateway/VerifyPermitCommand.h"
#include "gateway/XmlCommand.h"

namespace chukan {

std::vector<std::unique_ptr<CtlCommand>> allCtlCommands()
{
    std::vector<std::unique_ptr<CtlCommand>> all;
    all.emplace_back(new DbCommand);
    all.emplace_back(new TenantCommand);
    all.emplace_back(new SystemCommand);
    all.emplace_back(new LayoutCommand);
    all.emplace_back(new ConvertCommand);
    all.emplace_back(new SealCommand);
    all.emplace_back(new OpenCommand);
    all.emplace_back(new VerifyPermitCommand);
    all.emplace_back(new XmlCommand);
    all.emplace_back(new ReplicaCommand);
    all.emplace_back(new RecordsCommand);
    all.emplace_back(new AuditCommand);
    all.emplace_back(new StaffCommand);
    all.emplace_back(new BackupCommand);
    all.emplace_back(new RestoreCommand);
    all.emplace_back(new StatsCommand);
    all.emplace_back(new JobsCommand);
    all.emplace_back(new PermissionsCommand);
    return all;
}

} // namespace chukan
