// NetworkInboundStage: authenticate the network, parse the message, hand it to the service, answer in protocol XML.
#include "gateway/NetworkInboundStage.h"

namespace chukan {

NetworkInboundStage::NetworkInboundStage(GatewayServices& s, std::shared_ptr<ProvisionService> provisions,
                                         std::shared_ptr<InquiryService> inquiries)
    : _services(s), _provisions(std::move(provisions)), _inquiries(std::move(inquiries)),
      _refusedPeer(s.metrics.counter("chukan_network_inbound_refused_total", "",
                                     "Calls to /ipn-in refused because the caller is not the network"))
{
    Result<std::shared_ptr<const XmlSchema>> schema = s.schemas->get(IpnMessage::SCHEMA_NAME);
    if (schema)
        _parser.reset(new SecureXmlParser(schema.value()));
}

Stage::Outcome NetworkInboundStage::run(Exchange& ex)
{
    if (ex.clientOrganization != _services.settings.networkPeerOrganization)
    {
        _refusedPeer.inc();
        ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "NOT_THE_NETWORK",
                "only the network may call " + ex.path);
        return STOP;
    }
    if (!_parser)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", "ipn schema unavailable");
        return STOP;
    }
    Result<IpnMessage> msg = IpnMessage::parse(ex.body, *_parser);
    IpnMessage reply;
    if (!msg)
    {
        IpnHeader unknown;
        unknown.messageId = "unknown-" + ex.requestId;
        unknown.from = IpnHeader::NETWORK;
        unknown.to = IpnHeader::NETWORK;
        reply = IpnMessage::error(unknown, IpnErrorCode::INVALID_MESSAGE, msg.status().message(),
                                  Poco::Timestamp(_services.clock->nowMicros()));
    }
    else if (ex.operation == "network.inquiry" && msg.value().kind == IpnMessage::Kind::Inquiry)
        reply = _provisions->receive(msg.value());
    else if (ex.operation == "network.response" && msg.value().kind == IpnMessage::Kind::ProvisionResponse)
        reply = _inquiries->receive(msg.value());
    else
        reply = IpnMessage::error(msg.value().header, IpnErrorCode::INVALID_MESSAGE,
                                  std::string("unexpected ") + IpnMessage::kindName(msg.value().kind) + " at " + ex.path,
                                  Poco::Timestamp(_services.clock->nowMicros()));
    Result<std::string> xml = reply.toXml();
    auto status = Poco::Net::HTTPResponse::HTTP_OK;
    if (reply.kind == IpnMessage::Kind::Error)
        status = reply.errorCode == IpnErrorCode::UNAVAILABLE ? Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE
                 : reply.errorCode == IpnErrorCode::INTERNAL  ? Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR
                                                              : Poco::Net::HTTPResponse::HTTP_BAD_REQUEST;
    ex.reply(status, "application/xml; charset=UTF-8", xml ? xml.value() : std::string());
    if (reply.kind == IpnMessage::Kind::Error)
        ex.errorCode = IpnErrorCodes::name(reply.errorCode);
    return STOP;
}

} // namespace chukan
