// SyntheticPerson: one made-up resident of the sandbox and what each of the two cities knows about
// them.
#pragma once

#include <cstdint>
#include <string>

namespace chukan
{

/// The sandbox has two cities: the requester (千葉市, asks) and the provider (防府市, answers).
/// A person is known to one or both under each city's own 統合宛名番号 and the same
/// 住民票コード (which each city uses once to obtain its own 符号). Everything is invented.
struct SyntheticPerson
{
    /// How the person appears in the two cities; decides every file the person is in.
    enum Kind
    {
        BOTH,      ///< both cities, 符号 at both, 副本 (住民記録) at the provider: answered
        BOTH_HELD, ///< as BOTH, but the provider flags the 住民記録 自動応答不可: held
        BOTH_NO_REPLICA, ///< both cities, 符号 at both, no 副本 at the provider: "no data"
        REQUESTER_ONLY,  ///< only the requester knows them: the provider has no 符号 ("no data")
        REQUESTER_NO_FUGO, ///< the requester never registered a 符号: refused before sending
        PROVIDER_ONLY,     ///< only the provider knows them: never inquired
    };

    std::uint64_t index = 0;
    Kind kind = BOTH;
    std::string juminhyoCode;   ///< 11 digits, unique in the population
    std::string requesterAtena; ///< 15 digits; empty when the requester does not know them
    std::string providerAtena;  ///< 15 digits; empty when the provider does not know them

    std::string nameKanji;  ///< 全角, 姓　名
    std::string nameKana;   ///< 全角 katakana
    std::string sex;        ///< 1 男, 2 女, 9 不明
    std::string birthDate;  ///< YYYYMMDD (1930-2019)
    std::string address;    ///< 全角, in the provider city (its 住民記録)
    std::string changeDate; ///< YYYYMMDD of the 転入 into the provider city

    /// 予防接種 副本 (TM…02) at the provider; held when vaccinationHeld.
    bool vaccination = false;
    bool vaccinationHeld = false;
    int doses = 0; ///< 1-5 when vaccination
    /// The requester's bulk file also asks for the 予防接種 item (answered or "no data").
    bool askVaccination = false;
    /// An extra bulk record for an item the permission list does not allow:
    /// 0 none, 1 an expired entry (TM…20), 2 an item never listed (TM…99).
    int unpermitted = 0;

    bool knownToRequester() const { return !requesterAtena.empty(); }
    bool knownToProvider() const { return !providerAtena.empty(); }
    bool requesterHasFugo() const { return knownToRequester() && kind != REQUESTER_NO_FUGO; }
};

} // namespace chukan
