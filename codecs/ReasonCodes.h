// ReasonCodes: the typed reason codes of an inquiry that ended without data, with their status
// codes and texts.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace chukan
{

/// One catalogue for both sides of an exchange (docs/protocol.md, "Reason codes"):
///   - the provider puts the code in ProvisionResponse/ReasonCode (outcome no_data or refused),
///     records it in 情報提供等記録, and a reviewer may only refuse with a reviewer code;
///   - the requester keeps it as the inquiry's Error/Code and renders 詳細ステータス /
///     項目ステータス from it (docs/formats.md, "Inquiry result status codes").
/// Codes never say why a person is flagged 自動応答不可: a refusal must not reveal, for
/// instance, that the person is under DV support measures.
class ReasonCodes
{
public:
    static constexpr const char* DETAIL_ANSWERED =
        "09"; ///< the provider answered (data or no data)
    static constexpr const char* DETAIL_REFUSED_BY_PROVIDER = "10"; ///< the provider refused
    static constexpr const char* DETAIL_NOT_SENT =
        "20"; ///< refused by the network or failed here; never answered
    static constexpr const char* ITEM_PROVIDED = "01";
    static constexpr const char* ITEM_OTHER = "99";

    struct Info
    {
        std::string code;       ///< e.g. NO_DATA
        std::string outcome;    ///< no_data | refused
        std::string itemStatus; ///< 項目ステータス, 2 digits
        std::string text;       ///< the business-facing text (Japanese)
        bool reviewer = false;  ///< a reviewer may refuse a hold with this code
    };

    /// Every code, in table order.
    static const std::vector<Info>& all();
    static std::optional<Info> find(const std::string& code);
    /// True for the codes a reviewer may give when refusing a held provision.
    static bool isReviewerCode(const std::string& code);
    /// "REJECTED_BY_REVIEWER, REJECTED_OUT_OF_SCOPE, …" for error messages.
    static std::string reviewerCodeList();

    /// 詳細ステータス and 項目ステータス of an inquiry in `state` (completed | error | aborted)
    /// with Error/Code `code` (empty when data was provided).
    struct StatusPair
    {
        std::string detail;
        std::string item;
    };
    static StatusPair statusOf(const std::string& state, const std::string& code);
};

} // namespace chukan
