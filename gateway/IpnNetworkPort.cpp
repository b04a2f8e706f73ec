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
    Result<IpnMessage> reply = client(tenant).postXml(_url + path, xml);
    if (!reply)
        return reply.status();
    if (reply.value().kind == IpnMessage::Kind::Error)
        return fromError(reply.value());
    if (reply.value().kind != expected)
        return Status::corruption(std::string("network answered ") + IpnMessage::kindName(reply.value().kind) +
                                  " where " + IpnMessage::kindName(expected) + " was expected");
    return reply;
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
    IpnMessage m;
    m.kind = IpnMessage::Kind::PermitRequest;
    m.header = header(tenant, ask.messageId);
    m.provider = ask.provider;
    m.jimuCode = ask.jimuCode;
    m.procedureCode = ask.procedureCode;
    m.dataItemCode = ask.dataItemCode;
    m.requesterFugo = ask.requesterFugo;
    Result<IpnMessage> reply = post(tenant, "/ipn/v1/permits", m, IpnMessage::Kind::PermitResponse);
    if (!reply)
        return reply.status();
    return PermitGrant{reply.value().permitId, reply.value().signedPermit};
}

Status IpnNetworkPort::sendInquiry(const TenantProfile& tenant, const std::string& messageId, const std::string& serial,
                                   const PermitGrant& permit)
{
    IpnMessage m;
    m.kind = IpnMessage::Kind::Inquiry;
    m.header = header(tenant, messageId);
    m.serial = serial;
    m.permitId = permit.permitId;
    m.signedPermit = permit.signedPermit;
    Result<IpnMessage> reply = post(tenant, "/ipn/v1/inquiries", m, IpnMessage::Kind::Ack);
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

Result<std::string> IpnNetworkPort::fetchPermissionList(const TenantProfile& tenant)
{
    return client(tenant).get(_url + "/ipn/v1/permission-list");
}

Result<std::string> IpnNetworkPort::fetchDirectory(const TenantProfile& tenant)
{
    return client(tenant).get(_url + "/ipn/v1/directory");
}

} // namespace chukan
