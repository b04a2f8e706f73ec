// InquiryPolicy: decides whether an inquiry may leave — system rights, the local permission list, a known 符号.
#pragma once

#include "codecs/PermitList.h"
#include "codecs/Status.h"

#include <set>
#include <string>

namespace chukan {

struct InquiryFacts
{
    std::string systemId;
    bool systemMayInquire = false;          ///< the connected system holds the "inquiry" operation
    std::set<std::string> systemJimuCodes;  ///< 事務 the system may inquire under
    std::string requesterInstitution;       ///< this tenant's 機関コード
    std::string providerInstitution;
    std::string jimuCode;
    std::string procedureCode;
    std::string dataItemCode;
    std::string atenaNo;
    bool fugoKnown = false;                 ///< a 符号 is registered for atenaNo
};

class InquiryPolicy
{
public:
    /// Checks, in this order: the system may inquire at all (PERMISSION_DENIED), under this
    /// 事務 (PERMISSION_DENIED), the local list allows requester × provider × 事務 × 手続き ×
    /// item at `now` (PERMISSION_DENIED, 「指定された特定個人情報名「…」の照会は許可されていません。」),
    /// and a 符号 exists (FAILED_PRECONDITION, 「指定された団体内統合宛名番号「…」は符号が未取得です。」).
    /// localList may be null (no list received yet): everything is refused.
    static Status decide(const InquiryFacts& facts, const PermitList* localList, const Poco::Timestamp& now);

    /// ASCII letters and digits in full width (ＴＭ０…), as the real error texts show codes.
    static std::string fullWidth(const std::string& ascii);
};

} // namespace chukan
