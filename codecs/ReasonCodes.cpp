// ReasonCodes: the catalogue table and the status-code mapping.
#include "codecs/ReasonCodes.h"

namespace chukan
{

const std::vector<ReasonCodes::Info>& ReasonCodes::all()
{
    static const std::vector<Info> table = {
        // Answers: the exchange finished, there is nothing to provide.
        {"NO_DATA", "no_data", "02", "指定された特定個人情報の副本が情報提供者にありません。",
         false},
        {"UNKNOWN_SUBJECT", "no_data", "03", "情報提供者に該当する者の符号がありません。", false},
        // Refused by a reviewer (held as 自動応答不可), or by the hold's deadline.
        {"REJECTED_BY_REVIEWER", "refused", "11", "審査の結果、情報提供は行われませんでした。",
         true},
        {"REJECTED_OUT_OF_SCOPE", "refused", "12",
         "照会の内容が事務の範囲外であるため、情報提供は行われませんでした。", true},
        {"REJECTED_SUBJECT_UNCONFIRMED", "refused", "13",
         "対象者を確認できないため、情報提供は行われませんでした。", true},
        {"HOLD_DEADLINE", "refused", "14",
         "審査期限までに判断されなかったため、情報提供は行われませんでした。", false},
        // Refused by the provider's own checks.
        {"NOT_PERMITTED_LOCAL", "refused", "15",
         "情報提供者の照会許可用照合リストで許可されていません。", false},
        {"UNKNOWN_REQUESTER", "refused", "16", "情報照会者の暗号化証明書が見つかりません。", false},
        {"PERMIT_EXPIRED", "refused", "21", "情報提供許可証の有効期間が終了しています。", false},
        {"PERMIT_NOT_YET_VALID", "refused", "22", "情報提供許可証の有効期間が開始していません。",
         false},
        {"BAD_PERMIT", "refused", "23", "情報提供許可証の署名または内容が不正です。", false},
        {"PERMIT_MISADDRESSED", "refused", "24", "情報提供許可証の宛先が異なります。", false},
        {"PERMIT_REPLAYED", "refused", "25", "情報提供許可証は既に使用されています。", false},
        // Refused by the network before anything reached the provider, or failed here.
        {"NOT_PERMITTED", "refused", "31", "照会許可用照合リストで許可されていません。", false},
        {"NO_FUGO", "refused", "32", "符号が未取得です。", false},
        {"UNKNOWN_INSTITUTION", "refused", "33",
         "情報提供者が情報提供ネットワークシステムに登録されていません。", false},
        {"INVALID_MESSAGE", "refused", "34", "電文が不正です。", false},
    };
    return table;
}

std::optional<ReasonCodes::Info> ReasonCodes::find(const std::string& code)
{
    for (const Info& i : all())
        if (i.code == code)
            return i;
    return std::nullopt;
}

bool ReasonCodes::isReviewerCode(const std::string& code)
{
    std::optional<Info> i = find(code);
    return i && i->reviewer;
}

std::string ReasonCodes::reviewerCodeList()
{
    std::string out;
    for (const Info& i : all())
        if (i.reviewer)
            out += (out.empty() ? "" : ", ") + i.code;
    return out;
}

ReasonCodes::StatusPair ReasonCodes::statusOf(const std::string& state, const std::string& code)
{
    std::optional<Info> info = find(code);
    std::string item = code.empty() ? ITEM_PROVIDED : info ? info->itemStatus : ITEM_OTHER;
    if (state != "completed")
        return {DETAIL_NOT_SENT, item};
    if (code.empty() || (info && info->outcome == "no_data"))
        return {DETAIL_ANSWERED, item};
    return {DETAIL_REFUSED_BY_PROVIDER, item};
}

} // namespace chukan
