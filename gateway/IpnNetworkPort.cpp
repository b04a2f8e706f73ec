// IpnNetworkPort: request/response mapping of the protocol messages, errors kept as typed values.
#include "gateway/IpnNetworkPort.h"

#include "adapters/TlsContexts.h"
#include "gateway/PipelineHandler.h"

#include <algorithm>

namespace chukan {

IpnNetworkPort::IpnNetworkPort(const Settings& settings, std::shared_ptr<const SecureXmlParser> parser,
                               std::shared_ptr<Clock> clock)
    : _url(settings.networkUrl), _parser(std::move(parser)), _clock(std::move(clock))
{
    for (const TenantProfile& p : settings.tenants)
    {
        IpnClient::Options o;
        o.tls = TlsContexts::client(p.networkCertPath, p.networkKeyPath, settings.networkCaFile);
        o.parser = _parser;
        o.maxAttempts = settings.networkRetryAttempts;
        o.timeout = std::chrono::seconds(settings.networkTimeoutSeconds);
        // Every worker thread may hold a connection at once: keep that many for reuse.
        o.maxIdlePerHost = std::max<std::size_t>(o.maxIdlePerHost, std::size_t(settings.workerThreads) + 2);
        o.clock = _clock;
        _clients[p.tenant.str()] = std::make_unique<IpnClient>(o);
    }
}

IpnClient& IpnNetworkPort::client(const TenantProfile& tenant)
{
    return *_clients.at(tenant.tenant.str());
}

IpnHeader IpnNetworkPort::header(const TenantProfile& tenant, const std::string& messageId) const
{
    IpnHeader h;
    h.messageId = messageId;
    h.sentAt = Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(_clock->nowMicros()));
    h.from = tenant.institutionCode;
    h.to = IpnHeader::NETWORK;
    return h;
}

Status IpnNetworkPort::fromError(const IpnMessage& reply)
{
    std::string text = std::string(IpnErrorCodes::name(reply.errorCode)) + ": " + reply.errorMessage;
    switch (reply.errorCode)
    {
    case IpnErrorCode::UNAVAILABLE: return Status::unavailable(text);
    case IpnErrorCode::INVALID_MESSAGE: return Status::invalid(text);
    case IpnErrorCode::NO_FUGO: return Status::precondition(text);
    case IpnErrorCode::INTERNAL: return Status::internal(text);
    default: return Status::denied(text);
    }
}

Result<IpnMessage> IpnNetworkPort::post(const TenantProfile& tenant, const std::string& path, const IpnMessage& message,
                                        IpnMessage::Kind expected)
{
    Result<std::string> xml = message.toXml();
    if (!xml)
        return xml.status();
    return postXml(tenant, path, xml.value(), expected);
}

Result<IpnMessage> IpnNetworkPort::postXml(const TenantProfile& tenant, const std::string& path,
                                           const std::string& xml, IpnMessage::Kind expected)
{
    return expect(client(tenant).postXml(_url + path, xml), expected);
}

Result<IpnMessage> IpnNetworkPort::expect(const Result<IpnMessage>& reply, IpnMessage::Kind expected)
{
    if (!reply)
        return reply.status();
    if (reply.value().kind == IpnMessage::Kind::Error)
        return fromError(reply.value());
    if (reply.value().kind != expected)
        return Status::corruption(std::string("network answered ") + IpnMessage::kindName(reply.value().kind) +
                                  " where " + IpnMessage::kindName(expected) + " was expected");
    return reply;
}

std::vector<Result<IpnMessage>> IpnNetworkPort::postBatch(const TenantProfile& tenant,
                                                          const std::vector<StoredMessage>& items,
                                                          const std::string& path, IpnMessage::Kind expected)
{
    std::vector<Result<IpnMessage>> out(items.size(), Status::internal("not sent"));
    std::vector<std::size_t> sendable;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].xml.empty())
            out[i] = Status::invalid("ipn message " + items[i].messageId + ": no body to send");
        else if (_noBatches.load())
            out[i] = postXml(tenant, path, items[i].xml, expected);
        else
            sendable.push_back(i);
    for (std::size_t from = 0; from < sendable.size(); from += IpnMessage::MAX_BATCH)
    {
        const std::size_t to = std::min(sendable.size(), from + IpnMessage::MAX_BATCH);
        std::vector<std::string> chunk;
        for (std::size_t k = from; k < to; ++k)
            chunk.push_back(items[sendable[k]].xml);
        // A new MessageId for every Batch: the items carry the idempotency (their own MessageIds),
        // so a resend may group them differently.
        std::string xml = IpnMessage::batchXml(IpnMessage::Kind::Batch,
                                               header(tenant, "B-" + PipelineHandler::newRequestId()), chunk);
        Result<IpnMessage> raw = client(tenant).postXml(_url + "/ipn/v1/batch", xml);
        if (!raw && raw.status().code() == Status::CORRUPTION)
        {
            // Not a protocol reply at all (no such endpoint): this network takes no batches.
            _noBatches = true;
            for (std::size_t k = from; k < to; ++k)
                out[sendable[k]] = postXml(tenant, path, items[sendable[k]].xml, expected);
            continue;
        }
        Result<IpnMessage> reply = expect(raw, IpnMessage::Kind::BatchReply);
        if (reply && reply.value().items.size() != chunk.size())
            reply = Status::corruption("network answered a Batch of " + std::to_string(chunk.size()) +
                                       " items with " + std::to_string(reply.value().items.size()) + " answers");
        for (std::size_t k = from; k < to; ++k)
        {
            const StoredMessage& item = items[sendable[k]];
            Result<IpnMessage>& answer = out[sendable[k]];
            if (!reply)
                answer = reply.status();
            else if (reply.value().items[k - from].header.inReplyTo != item.messageId)
                answer = Status::corruption("network answered " + item.messageId + " with a reply to " +
                                            reply.value().items[k - from].header.inReplyTo);
            else
                answer = expect(reply.value().items[k - from], expected);
        }
    }
    return out;
}

IpnMessage IpnNetworkPort::permitRequest(const TenantProfile& tenant, const PermitAsk& ask) const
{
    IpnMessage m;
    m.kind = IpnMessage::Kind::PermitRequest;
    m.header = header(tenant, ask.messageId);
    m.provider = ask.provider;
    m.jimuCode = ask.jimuCode;
    m.procedureCode = ask.procedureCode;
    m.dataItemCode = ask.dataItemCode;
    m.requesterFugo = ask.requesterFugo;
    return m;
}

IpnMessage IpnNetworkPort::inquiry(const TenantProfile& tenant, const InquirySend& q) const
{
    IpnMessage m;
    m.kind = IpnMessage::Kind::Inquiry;
    m.header = header(tenant, q.messageId);
    m.serial = q.serial;
    m.permitId = q.permit.permitId;
    m.signedPermit = q.permit.signedPermit;
    return m;
}

Result<std::string> IpnNetworkPort::obtainFugo(const TenantProfile& tenant, const std::string& juminhyoCode)
{
    IpnMessage m;
    m.kind = IpnMessage::Kind::FugoRequest;
    m.header = header(tenant, "F-" + PipelineHandler::newRequestId());
    m.juminhyoCode = juminhyoCode;
    Result<IpnMessage> reply = post(tenant, "/ipn/v1/fugo", m, IpnMessage::Kind::FugoResponse);
    if (!reply)
        return reply.status();
    return reply.value().fugo;
}

Result<PermitGrant> IpnNetworkPort::requestPermit(const TenantProfile& tenant, const PermitAsk& ask)
{
    Result<IpnMessage> reply =
        post(tenant, "/ipn/v1/permits", permitRequest(tenant, ask), IpnMessage::Kind::PermitResponse);
    if (!reply)
        return reply.status();
    return PermitGrant{reply.value().permitId, reply.value().signedPermit};
}

Status IpnNetworkPort::sendInquiry(const TenantProfile& tenant, const std::string& messageId, const std::string& serial,
                                   const PermitGrant& permit)
{
    Result<IpnMessage> reply = post(tenant, "/ipn/v1/inquiries", inquiry(tenant, InquirySend{messageId, serial, permit}),
                                    IpnMessage::Kind::Ack);
    return reply ? Status::ok() : reply.status();
}

Status IpnNetworkPort::sendResponse(const TenantProfile& tenant, const std::string& xml)
{
    // The outbox holds the bytes ProvisionService wrote with IpnMessage::toXml: they are sent
    // as stored (the network validates them against ipn.xsd like any message), not parsed and
    // written again. A row without a body is not worth a round trip.
    if (xml.empty())
        return Status::invalid("ipn ProvisionResponse: the outbox message has no body");
    Result<IpnMessage> reply = postXml(tenant, "/ipn/v1/responses", xml, IpnMessage::Kind::Ack);
    return reply ? Status::ok() : reply.status();
}

std::vector<Result<PermitGrant>> IpnNetworkPort::requestPermits(const TenantProfile& tenant,
                                                                const std::vector<PermitAsk>& asks)
{
    if (asks.size() <= 1)
        return NetworkPort::requestPermits(tenant, asks);
    std::vector<StoredMessage> items;
    for (const PermitAsk& ask : asks)
    {
        Result<std::string> xml = permitRequest(tenant, ask).toXml();
        items.push_back({ask.messageId, xml ? xml.value() : std::string()});
    }
    std::vector<Result<PermitGrant>> out;
    for (const Result<IpnMessage>& reply : postBatch(tenant, items, "/ipn/v1/permits", IpnMessage::Kind::PermitResponse))
        if (reply)
            out.push_back(PermitGrant{reply.value().permitId, reply.value().signedPermit});
        else
            out.push_back(reply.status());
    return out;
}

std::vector<Status> IpnNetworkPort::sendInquiries(const TenantProfile& tenant, const std::vector<InquirySend>& inquiries)
{
    if (inquiries.size() <= 1)
        return NetworkPort::sendInquiries(tenant, inquiries);
    std::vector<StoredMessage> items;
    for (const InquirySend& q : inquiries)
    {
        Result<std::string> xml = inquiry(tenant, q).toXml();
        items.push_back({q.messageId, xml ? xml.value() : std::string()});
    }
    std::vector<Status> out;
    for (const Result<IpnMessage>& reply : postBatch(tenant, items, "/ipn/v1/inquiries", IpnMessage::Kind::Ack))
        out.push_back(reply ? Status::ok() : reply.status());
    return out;
}

std::vector<Status> IpnNetworkPort::sendResponses(const TenantProfile& tenant, const std::vector<StoredMessage>& messages)
{
    if (messages.size() <= 1)
        return NetworkPort::sendResponses(tenant, messages);
    // The outbox's bytes go into the Batch as stored (not parsed and written again).
    std::vector<Status> out;
    for (const Result<IpnMessage>& reply : postBatch(tenant, messages, "/ipn/v1/responses", IpnMessage::Kind::Ack))
        out.push_back(reply ? Status::ok() : reply.status());
    return out;
}

Result<std::string> IpnNetworkPort::fetchPermissionList(const TenantProfile& tenant)
{
    return client(tenant).get(_url + "/ipn/v1/permission-list");
}

Result<std::string> IpnNetworkPort::fetchDirectory(const TenantProfile& tenant)
{
    return client(tenant).get(_url + "/ipn/v1/directory");
}

} // namespace chukan
