// InquiryRequest: an online 情報照会 request from a business system (who, which 事務, which item, from whom, which period).
#pragma once

#include "codecs/MessageHeader.h"

#include <string>

namespace chukan {

struct InquiryRequest
{
    MessageHeader header;
    std::string atenaNo;           ///< TougouAtenaNo: 統合宛名番号, 15 digits
    std::string jimuCode;          ///< JimuCode: 事務コード, 16 characters
    std::string jimuTetsuzukiCode; ///< JimuTetsuzukiCode: 事務手続きコード, 16 characters
    std::string dataItemCode;      ///< DataItemCode: 特定個人情報名コード (TM + 14)
    std::string providerCode;      ///< ProviderCode: 情報提供者機関コード, 16 characters
    std::string conditionKind;     ///< Condition/ConditionKind: 照会条件区分, one digit
    std::string yearKind;          ///< Condition/YearKind: 照会年度区分, one digit
    std::string fiscalYear;        ///< Condition/FiscalYear: 年度 (YYYY); empty when absent
    std::string fromDate;          ///< Condition/FromDate: 照会開始日付; empty when absent
    std::string toDate;            ///< Condition/ToDate: 照会終了日付; empty when absent
    std::string resultFormat = "csv"; ///< ResultFormat: csv | xml | fixed

    bool operator==(const InquiryRequest& o) const
    {
        return header == o.header && atenaNo == o.atenaNo && jimuCode == o.jimuCode &&
               jimuTetsuzukiCode == o.jimuTetsuzukiCode && dataItemCode == o.dataItemCode &&
               providerCode == o.providerCode && conditionKind == o.conditionKind && yearKind == o.yearKind &&
               fiscalYear == o.fiscalYear && fromDate == o.fromDate && toDate == o.toDate &&
               resultFormat == o.resultFormat;
    }
};

} // namespace chukan
