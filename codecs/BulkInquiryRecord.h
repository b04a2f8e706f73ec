// BulkInquiryRecord: one good record of a bulk inquiry file (一括照会要求), its 18 fields as UTF-8 values.
#pragma once

#include <cstddef>
#include <string>

namespace chukan
{

/// Field values as LayoutCodec decodes them from conf/layouts/bulk_inquiry.xml (padding trimmed,
/// dates YYYY-MM-DD, the datetime YYYY-MM-DDThh:mm:ss.fff); blank optional fields are "".
struct BulkInquiryRecord
{
    std::size_t recordNumber = 0;   ///< 1-based, in the file
    std::string numberSystem;       ///< 番号体系 ("01")
    std::string localAtenaNo;       ///< 宛名番号 (the business system's own number)
    std::string atenaNo;            ///< 統合宛名番号, 15 digits
    std::string requestedAt;        ///< 照会依頼日時
    std::string department;         ///< 情報照会者部署コード
    std::string userId;             ///< 情報照会者ユーザーID
    std::string requesterCode;      ///< 情報照会者機関コード
    std::string nondisclosure;      ///< 照会側不開示コード
    std::string jimuCode;           ///< 事務コード
    std::string procedureCode;      ///< 事務手続きコード
    std::string requesterDelegator; ///< 情報照会者機関コード(委任元)
    std::string providerDelegator;  ///< 情報提供者機関コード(委任元)
    std::string providerCode;       ///< 情報提供者機関コード
    std::string itemCode;           ///< 特定個人情報名コード
    std::string conditionKind;      ///< 照会条件区分
    std::string yearKind;           ///< 照会年度区分
    std::string fromDate;           ///< 照会開始日付
    std::string toDate;             ///< 照会終了日付
};

} // namespace chukan
