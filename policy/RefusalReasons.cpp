// RefusalReasons: the list (keep docs/console-api.md in step).
#include "policy/RefusalReasons.h"

namespace chukan
{

const std::vector<RefusalReasons::Reason>& RefusalReasons::all()
{
    // The reviewer codes of the network protocol's reason catalogue (docs/protocol.md): they go
    // to the requester, so none may say why the person is held (e.g. DV support measures).
    static const std::vector<Reason> reasons = {
        {"REJECTED_BY_REVIEWER", "審査の結果、提供しない"},
        {"REJECTED_OUT_OF_SCOPE", "照会の内容が事務の範囲外"},
        {"REJECTED_SUBJECT_UNCONFIRMED", "対象者を確認できない"},
    };
    return reasons;
}

bool RefusalReasons::isKnown(const std::string& code)
{
    for (const Reason& r : all())
        if (r.code == code)
            return true;
    return false;
}

} // namespace chukan
