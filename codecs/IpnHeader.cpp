// IpnHeader: XML form of the network message header and reply headers.
#include "codecs/IpnHeader.h"

#include "codecs/SignedTime.h"
#include "codecs/XmlValue.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace chukan
{

void IpnHeader::writeXml(XmlWriter& w) const
{
    w.start("Header");
    w.text("MessageId", messageId);
    w.text("SentAt", SignedTime::format(sentAt));
    w.text("From", from);
    w.text("To", to);
    if (!inReplyTo.empty())
        w.text("InReplyTo", inReplyTo);
    w.end();
}

Result<IpnHeader> IpnHeader::fromXml(const XmlElement& e)
{
    IpnHeader h;
    h.messageId = XmlValue::token(e, "MessageId");
    if (h.messageId.empty())
        return Status::invalid("Header (" + e.where() + "): MessageId missing");
    Result<Poco::Timestamp> sent = SignedTime::parse(XmlValue::token(e, "SentAt"), "Header/SentAt");
    if (!sent)
        return sent.status();
    h.sentAt = sent.value();
    h.from = XmlValue::token(e, "From");
    h.to = XmlValue::token(e, "To");
    h.inReplyTo = XmlValue::token(e, "InReplyTo");
    if (h.from.empty() || h.to.empty())
        return Status::invalid("Header (" + e.where() + "): From or To missing");
    return h;
}

IpnHeader IpnHeader::replyTo(const IpnHeader& request, std::string messageId,
                             const Poco::Timestamp& now)
{
    IpnHeader h;
    h.messageId = std::move(messageId);
    h.sentAt = now;
    h.from = request.to;
    h.to = request.from;
    h.inReplyTo = request.messageId;
    return h;
}

std::string IpnHeader::newMessageId(const std::string& prefix)
{
    unsigned char bytes[12];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("RAND_bytes failed");
    static const char* hex = "0123456789abcdef";
    std::string id = prefix + "-";
    for (unsigned char b : bytes)
    {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    return id;
}

} // namespace chukan
