// PermissionListFile: reads the master 照会許可用照合リスト (permission list) CSV that ipn-sim signs and enforces.
#pragma once

#include "codecs/PermitList.h"
#include "codecs/Result.h"

#include <string>

namespace chukan
{

/// Header `requester,provider,jimuCode,procedureCode,dataItemCode,validFrom,validTo`; codes are
/// 16 capitals or digits, times ISO 8601 with zone (validTo exclusive). See
/// conf/permission-list.sample.csv. INVALID_ARGUMENT naming the row and field.
class PermissionListFile
{
public:
    static Result<PermitList> load(const std::string& path, const std::string& listId);
};

} // namespace chukan
