// IpnMessage: writes every network message kind with XmlWriter and reads it back after schema validation.
#include "codecs/IpnMessage.h"

#include "codecs/Base64.h"
#include "codecs/XmlValue.h"
#include "codecs/XmlWriter.h"


namespace chukan
{

namespace
{

const IpnMessage::Kind KINDS[] = {IpnMessage::Kind::FugoRequest,    IpnMessage::Kind::FugoResponse,
                                  IpnMessage::Kind::PermitRequest,  IpnMessage::Kind::PermitResponse,
                                  IpnMessage::Kind::Inquiry,        IpnMessage::Kind::ProvisionResponse,
                                  IpnMessage::Kind::Ack,            IpnMessage::Kind::Error,
                                  IpnMessage::Kind::Batch,          IpnMessage::Kind::BatchReply};

} // namespace

const char* IpnMessage::kindName(Kind kind)
{
    switch (kind)
    {
    case Kind::FugoRequest: return "FugoRequest";
    case Kind::FugoResponse: return "FugoResponse";
    case Kind::PermitRequest: return "PermitRequest";
    case Kind::PermitResponse: return "PermitResponse";
    case Kind::Inquiry: return "Inquiry";
    case Kind::ProvisionResponse: return "ProvisionResponse";
    case Kind::Ack: return "Ack";
    case Kind::Error: return "Error";
    case Kind::Batch: return "Batch";
    case Kind::BatchReply: return "BatchReply";
    }
    return "Error";
}

Result<IpnMessage::Kind> IpnMessage::kindFromName(const std::string& name)
{
    for (Kind k : KINDS)
        if (name == kindName(k))
            return k;
    return Status::invalid("ipn message: root element " + name + " is not a message kind");
}

std::string IpnMessage::batchXml(Kind kind, const IpnHeader& header, const std::vector<std::string>& items)
{
    XmlWriter w;
    w.start(kindName(kind), {{"xmlns", NAMESPACE}});
    header.writeXml(w);
    for (const std::string& item : items)
        w.document(item);
    w.end();
    return w.str();
}

Result<std::string> IpnMessage::toXml() const
{
    if (isBatch(kind))
    {
        std::vector<std::string> written;
        written.reserve(items.size());
        for (const IpnMessage& item : items)
        {
            if (isBatch(item.kind))
                return Status::invalid(std::string("ipn ") + kindName(kind) + ": an item cannot be a " +
                                       kindName(item.kind));
            Result<std::string> xml = item.toXml();
            if (!xml)
                return xml.status();
            written.push_back(std::move(xml).value());
        }
        return batchXml(kind, header, written);
    }
    XmlWriter w;
    w.start(kindName(kind), {{"xmlns", NAMESPACE}});
    header.writeXml(w);
    switch (kind)
    {
    case Kind::FugoRequest: w.text("JuminhyoCode", juminhyoCode); break;
    case Kind::FugoResponse: w.text("Fugo", fugo); break;
    case Kind::PermitRequest:
        w.text("Provider", provider);
        w.text("JimuCode", jimuCode);
        w.text("ProcedureCode", procedureCode);
        w.text("DataItemCode", dataItemCode);
        w.text("RequesterFugo", requesterFugo);
        break;
    case Kind::PermitResponse:
        w.text("PermitId", permitId);
        w.text("SignedPermit", signedPermit);
        break;
    case Kind::Inquiry:
        w.text("Serial", serial);
        w.text("PermitId", permitId);
        w.text("SignedPermit", signedPermit);
        if (!providerFugo.empty())
            w.text("ProviderFugo", providerFugo);
        if (!route.empty())
            w.text("Route", route);
        break;
    case Kind::ProvisionResponse:
        w.text("Serial", serial);
        w.text("PermitId", permitId);
        w.text("Outcome", outcome);
        if (!reasonCode.empty())
            w.text("ReasonCode", reasonCode);
        if (hasPayload)
            w.text("Payload", Base64::encode(payload));
        if (!route.empty())
            w.text("Route", route);
        break;
    case Kind::Ack: w.text("Duplicate", duplicate ? "true" : "false"); break;
    case Kind::Error:
        w.text("Code", IpnErrorCodes::name(errorCode));
        w.text("Message", errorMessage);
        break;
    case Kind::Batch:
    case Kind::BatchReply: break; // above
    }
    w.end();
    if (!w.status())
        return Status::invalid(std::string("ipn ") + kindName(kind) + ": " +
                               w.status().message());
    return w.str();
}

Result<IpnMessage> IpnMessage::parse(const std::string& bytes, const SecureXmlParser& parser)
{
    SecureXmlParser::Outcome parsed = parser.parse(bytes);
    if (!parsed.ok())
        return Status::invalid("ipn message: " + parsed.summary());
    return fromElement(*parsed.root, true);
}

Result<IpnMessage> IpnMessage::fromElement(const XmlElement& root, bool batchAllowed)
{
    if (root.ns != NAMESPACE)
        return Status::invalid("ipn message: root element is not in namespace " +
                               std::string(NAMESPACE));
    Result<Kind> kind = kindFromName(root.name);
    if (!kind)
        return kind.status();
    const XmlElement* headerElement = root.child("Header");
    if (!headerElement)
        return Status::invalid(std::string("ipn ") + root.name + ": Header missing");
    Result<IpnHeader> header = IpnHeader::fromXml(*headerElement);
    if (!header)
        return Status::invalid(std::string("ipn ") + root.name + ": " + header.status().message());

    IpnMessage m;
    m.kind = kind.value();
    m.header = header.value();
    auto need = [&](const char* name, std::string& into) -> Status {
        into = XmlValue::token(root, name);
        if (into.empty())
            return Status::invalid(std::string("ipn ") + root.name + ": " + name + " missing");
        return Status::ok();
    };
    Status s;
    switch (m.kind)
    {
    case Kind::FugoRequest: s = need("JuminhyoCode", m.juminhyoCode); break;
    case Kind::FugoResponse: s = need("Fugo", m.fugo); break;
    case Kind::PermitRequest:
        for (auto& [name, field] :
             std::initializer_list<std::pair<const char*, std::string*>>{
                 {"Provider", &m.provider},
                 {"JimuCode", &m.jimuCode},
                 {"ProcedureCode", &m.procedureCode},
                 {"DataItemCode", &m.dataItemCode},
                 {"RequesterFugo", &m.requesterFugo}})
            if (s.isOk())
                s = need(name, *field);
        break;
    case Kind::PermitResponse:
        s = need("PermitId", m.permitId);
        m.signedPermit = root.childText("SignedPermit");
        break;
    case Kind::Inquiry:
        s = need("Serial", m.serial);
        if (s.isOk())
            s = need("PermitId", m.permitId);
        m.signedPermit = root.childText("SignedPermit");
        m.providerFugo = XmlValue::token(root, "ProviderFugo");
        m.route = XmlValue::token(root, "Route");
        break;
    case Kind::ProvisionResponse:
        s = need("Serial", m.serial);
        if (s.isOk())
            s = need("PermitId", m.permitId);
        if (s.isOk())
            s = need("Outcome", m.outcome);
        m.reasonCode = XmlValue::token(root, "ReasonCode");
        m.route = XmlValue::token(root, "Route");
        if (const XmlElement* p = root.child("Payload"))
        {
            Result<std::string> bytes = Base64::decode(p->text, "ProvisionResponse/Payload");
            if (!bytes)
                return bytes.status();
            m.payload = std::move(bytes).value();
            m.hasPayload = true;
        }
        break;
    case Kind::Ack:
    {
        std::optional<bool> d = XmlValue::boolean(root, "Duplicate");
        if (!d)
            return Status::invalid("ipn Ack: Duplicate missing or not a boolean");
        m.duplicate = *d;
        break;
    }
    case Kind::Error:
    {
        Result<IpnErrorCode> code = IpnErrorCodes::parse(XmlValue::token(root, "Code"));
        if (!code)
            return code.status();
        m.errorCode = code.value();
        m.errorMessage = root.childText("Message");
        break;
    }
    case Kind::Batch:
    case Kind::BatchReply:
    {
        if (!batchAllowed)
            return Status::invalid(std::string("ipn ") + root.name + ": a batch cannot be an item of a batch");
        if (root.children.size() - 1 > MAX_BATCH)
            return Status::invalid(std::string("ipn ") + root.name + ": " + std::to_string(root.children.size() - 1) +
                                   " items, at most " + std::to_string(MAX_BATCH) + " are allowed");
        m.items.reserve(root.children.size() - 1);
        std::size_t n = 0;
        for (const XmlElement& child : root.children)
        {
            if (&child == headerElement)
                continue;
            ++n;
            Result<IpnMessage> item = fromElement(child, false);
            if (!item)
                return Status::invalid(std::string("ipn ") + root.name + " item " + std::to_string(n) + ": " +
                                       item.status().message());
            if (m.kind == Kind::Batch && !m.items.empty() && item.value().kind != m.items.front().kind)
                return Status::invalid(std::string("ipn Batch item ") + std::to_string(n) + ": a " +
                                       kindName(item.value().kind) + " among " + kindName(m.items.front().kind) +
                                       " items (a batch carries one kind)");
            m.items.push_back(std::move(item).value());
        }
        if (m.items.empty())
            return Status::invalid(std::string("ipn ") + root.name + ": no items");
        break;
    }
    }
    if (!s)
        return s;
    return m;
}

IpnMessage IpnMessage::ack(const IpnHeader& request, bool duplicate, const Poco::Timestamp& now)
{
    IpnMessage m;
    m.kind = Kind::Ack;
    m.header = IpnHeader::replyTo(request, IpnHeader::newMessageId("ack"), now);
    m.duplicate = duplicate;
    return m;
}

IpnMessage IpnMessage::error(const IpnHeader& request, IpnErrorCode code, std::string message,
                             const Poco::Timestamp& now)
{
    IpnMessage m;
    m.kind = Kind::Error;
    m.header = IpnHeader::replyTo(request, IpnHeader::newMessageId("err"), now);
    m.errorCode = code;
    m.errorMessage = std::move(message);
    return m;
}

bool IpnMessage::operator==(const IpnMessage& o) const
{
    return kind == o.kind && header == o.header && juminhyoCode == o.juminhyoCode &&
           fugo == o.fugo && provider == o.provider && jimuCode == o.jimuCode &&
           procedureCode == o.procedureCode && dataItemCode == o.dataItemCode &&
           requesterFugo == o.requesterFugo && permitId == o.permitId &&
           signedPermit == o.signedPermit && serial == o.serial &&
           providerFugo == o.providerFugo && route == o.route && outcome == o.outcome &&
           reasonCode == o.reasonCode && payload == o.payload && hasPayload == o.hasPayload &&
           duplicate == o.duplicate && errorCode == o.errorCode && errorMessage == o.errorMessage &&
           items == o.items;
}

} // namespace chukan
