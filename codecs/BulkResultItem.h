// BulkResultItem: one inquired item's result as the business system receives it (statuses, texts, data).
#pragma once

#include <cstddef>
#include <string>

namespace chukan
{

struct BulkResultItem
{
    std::string serial;             ///< 処理通番
    std::size_t recordNumber = 0;   ///< record of the bulk file; 0 for an online inquiry
    std::string atenaNo;            ///< 統合宛名番号
    std::string jimuCode;           ///< 事務コード
    std::string procedureCode;      ///< 事務手続きコード
    std::string itemCode;           ///< 特定個人情報名コード
    std::string providerCode;       ///< 情報提供者機関コード
    std::string status;             ///< accepted | processing | completed | aborted
    std::string detailStatus;       ///< 詳細ステータス ("09" answered)
    std::string itemStatus;         ///< 項目ステータス ("01" provided)
    std::string errorCode;          ///< empty when provided
    std::string errorMessage;       ///< business-facing text, empty when provided
    bool hasData = false;
    std::string data;               ///< the provided item (UTF-8), unaltered
};

} // namespace chukan
