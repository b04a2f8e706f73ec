// ReplicaRecord: one record of a replica registration message (register or delete one 副本 data set).
#pragma once

#include <string>

namespace chukan {

struct ReplicaRecord
{
    enum Operation
    {
        REGISTER,
        REMOVE ///< "delete" on the wire
    };

    std::string recordId;     ///< RecordID, unique within the message
    Operation operation = REGISTER;
    std::string atenaNo;      ///< TougouAtenaNo: 統合宛名番号, 15 digits
    std::string dataItemCode; ///< DataItemCode: 特定個人情報名コード, e.g. TM00000000000002
    std::string dataSetKey;   ///< DataSetKey
    int version = 0;          ///< Version (>= 0)
    std::string publishFrom;  ///< PublishFrom, xs:date (YYYY-MM-DD)
    std::string publishTo;    ///< PublishTo, xs:date; empty when absent (open-ended)
    bool autoAnswer = true;   ///< AutoAnswer; false = 自動応答不可 (a reviewer must release each provision)
    bool dataNil = false;     ///< Data is xsi:nil="true" (an empty item)
    std::string nilReason;    ///< NilReason, required when dataNil
    std::string data;         ///< the replica data itself: UTF-8 XML, unaltered

    static const char* operationName(Operation op) { return op == REGISTER ? "register" : "delete"; }

    bool operator==(const ReplicaRecord& o) const
    {
        return recordId == o.recordId && operation == o.operation && atenaNo == o.atenaNo &&
               dataItemCode == o.dataItemCode && dataSetKey == o.dataSetKey && version == o.version &&
               publishFrom == o.publishFrom && publishTo == o.publishTo && autoAnswer == o.autoAnswer &&
               dataNil == o.dataNil && nilReason == o.nilReason && data == o.data;
    }
};

} // namespace chukan
