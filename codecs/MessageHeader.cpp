// MessageHeader: XML form shared by the replica registration and inquiry messages.
#include "codecs/MessageHeader.h"

#include "codecs/XmlValue.h"

namespace chukan {

void MessageHeader::writeXml(XmlWriter& w) const
{
    w.start("MessageHeader");
    w.text("MessageID", messageId);
    w.text("MessageType", messageType);
    w.text("Mode", modeName(mode));
    w.text("SourceSystem", sourceSystem);
    w.text("DestinationSystem", destinationSystem);
    if (!receiptNumber.empty())
        w.text("ReceiptNumber", receiptNumber);
    if (!result.empty())
        w.text("Result", result);
    w.end();
}

Result<MessageHeader> MessageHeader::fromXml(const XmlElement& e)
{
    MessageHeader h;
    h.messageId = XmlValue::token(e, "MessageID");
    h.messageType = XmlValue::token(e, "MessageType");
    std::string mode = XmlValue::token(e, "Mode");
    if (mode == "live")
        h.mode = LIVE;
    else if (mode == "test")
        h.mode = TEST;
    else
        return Status::invalid("MessageHeader (" + e.where() + "): Mode must be live or test");
    h.sourceSystem = XmlValue::token(e, "SourceSystem");
    h.destinationSystem = XmlValue::token(e, "DestinationSystem");
    h.receiptNumber = XmlValue::token(e, "ReceiptNumber");
    h.result = XmlValue::token(e, "Result");
    if (h.messageId.empty())
        return Status::invalid("MessageHeader (" + e.where() + "): MessageID missing");
    return h;
}

} // namespace chukan
