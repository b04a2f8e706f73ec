// InquiryPolicy: the pre-flight checks of 情報照会, with the messages business systems already know.
#include "policy/InquiryPolicy.h"

namespace chukan {

std::string InquiryPolicy::fullWidth(const std::string& ascii)
{
    std::string out;
    for (unsigned char c : ascii)
    {
        if (c >= 0x21 && c <= 0x7E)
        {
            unsigned cp = 0xFF01 + (c - 0x21); // U+FF01..U+FF5E
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        else
            out += static_cast<char>(c);
    }
    return out;
}

Status InquiryPolicy::decide(const InquiryFacts& f, const PermitList* localList, const Poco::Timestamp& now)
{
    if (!f.systemMayInquire)
        return Status::denied("system " + f.systemId + " is not allowed to make inquiries");
    if (!f.systemJimuCodes.count(f.jimuCode))
        return Status::denied("system " + f.systemId + " is not allowed to inquire under 事務コード " + f.jimuCode);
    if (!localList || !localList->find(f.requesterInstitution, f.providerInstitution, f.jimuCode, f.procedureCode,
                                       f.dataItemCode, now))
        return Status::denied("指定された特定個人情報名「" + fullWidth(f.dataItemCode) + "」の照会は許可されていません。");
    if (!f.fugoKnown)
        return Status::precondition("指定された団体内統合宛名番号「" + f.atenaNo + "」は符号が未取得です。");
    return Status::ok();
}

} // namespace chukan
