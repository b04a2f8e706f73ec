// RefusalReasons: the list (keep docs/console-api.md in step).
#include "policy/RefusalReasons.h"

namespace chukan
{

const std::vector<RefusalReasons::Reason>& RefusalReasons::all()
{
    static const std::vector<Reason> reasons = {
        {"DV_SUPPORT", "DV等支援措置の対象"},
        {"NOT_PERMITTED_PURPOSE", "照会の事務・目的に該当しない"},
        {"SUBJECT_MISMATCH", "対象者の確認ができない"},
        {"DATA_UNDER_REVIEW", "副本の内容を確認中"},
        {"OTHER", "その他"},
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
