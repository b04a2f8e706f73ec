// MessageHeader: the header every chukan XML message starts with (ID, type, mode, systems, 受付番号, result).
#pragma once

#include "codecs/Result.h"
#include "codecs/XmlElement.h"
#include "codecs/XmlWriter.h"

#include <string>

namespace chukan {

struct MessageHeader
{
    enum Mode
    {
        LIVE,
        TEST
    };

    std::string messageId;         ///< MessageID
    std::string messageType;       ///< MessageType, e.g. ReplicaRegistration
    Mode mode = LIVE;              ///< Mode: live | test
    std::string sourceSystem;      ///< SourceSystem
    std::string destinationSystem; ///< DestinationSystem
    std::string receiptNumber;     ///< ReceiptNumber (受付番号); empty when absent
    std::string result;            ///< Result code; empty when absent

    static const char* modeName(Mode mode) { return mode == LIVE ? "live" : "test"; }

    /// Writes <MessageHeader>…</MessageHeader>.
    void writeXml(XmlWriter& writer) const;
    /// Reads a validated MessageHeader element.
    static Result<MessageHeader> fromXml(const XmlElement& element);

    bool operator==(const MessageHeader& o) const
    {
        return messageId == o.messageId && messageType == o.messageType && mode == o.mode &&
               sourceSystem == o.sourceSystem && destinationSystem == o.destinationSystem &&
               receiptNumber == o.receiptNumber && result == o.result;
    }
};

} // namespace chukan
