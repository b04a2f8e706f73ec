// InquiryResponse: the answer to an inquiry: its 処理通番, status codes, error and the result data.
#pragma once

#include "codecs/MessageHeader.h"

#include <string>

namespace chukan {

struct InquiryResponse
{
    static constexpr const char* DETAIL_NORMAL = "09";
    static constexpr const char* ITEM_NORMAL = "01";

    MessageHeader header;
    std::string serialNo;      ///< SerialNo: 処理通番, ties the asynchronous result to the request
    std::string status;        ///< Status: accepted | processing | completed | aborted
    std::string detailStatus;  ///< DetailStatus: 詳細ステータス, 2 digits ("09" normal); empty when absent
    std::string itemStatus;    ///< ItemStatus: 項目ステータス, 2 digits ("01" normal); empty when absent
    std::string errorCode;     ///< Error/Code; empty when there is no Error
    std::string errorMessage;  ///< Error/Message
    std::string resultFormat;  ///< ResultFormat: csv | xml | fixed; empty when absent
    bool hasResultData = false;
    std::string resultData;    ///< ResultData (CDATA), unaltered

    bool isNormal() const { return detailStatus == DETAIL_NORMAL && itemStatus == ITEM_NORMAL; }

    bool operator==(const InquiryResponse& o) const
    {
        return header == o.header && serialNo == o.serialNo && status == o.status &&
               detailStatus == o.detailStatus && itemStatus == o.itemStatus && errorCode == o.errorCode &&
               errorMessage == o.errorMessage && resultFormat == o.resultFormat &&
               hasResultData == o.hasResultData && resultData == o.resultData;
    }
};

} // namespace chukan
