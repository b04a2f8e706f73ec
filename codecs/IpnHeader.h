// IpnHeader: the Header every network message starts with (MessageId, SentAt, From, To, InReplyTo).
#pragma once

#include "codecs/Result.h"
#include "codecs/XmlElement.h"
#include "codecs/XmlWriter.h"

#include <Poco/Timestamp.h>

#include <string>

namespace chukan
{

/// From/To are 16-character 機関コード or "IPN" (the network). MessageId is unique per sender
/// (8-64 of [A-Za-z0-9._-]) and is what receivers remember for idempotency.
struct IpnHeader
{
    static constexpr const char* NETWORK = "IPN";

    std::string messageId;
    Poco::Timestamp sentAt;
    std::string from;
    std::string to;
    std::string inReplyTo; ///< empty on requests

    /// Writes <Header>…</Header> (SentAt in UTC, whole seconds).
    void writeXml(XmlWriter& writer) const;
    /// Reads a validated Header element.
    static Result<IpnHeader> fromXml(const XmlElement& element);

    /// A header for the reply to `request`: new id, From/To swapped, InReplyTo set.
    static IpnHeader replyTo(const IpnHeader& request, std::string messageId,
                             const Poco::Timestamp& now);

    /// A fresh random MessageId "prefix-<24 hex>" (prefix 1-39 of [A-Za-z0-9._-]).
    static std::string newMessageId(const std::string& prefix = "m");

    bool operator==(const IpnHeader& o) const
    {
        return messageId == o.messageId && sentAt == o.sentAt && from == o.from && to == o.to &&
               inReplyTo == o.inReplyTo;
    }
};

} // namespace chukan
