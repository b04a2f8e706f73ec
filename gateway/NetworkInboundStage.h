// NetworkInboundStage: the network's calls into this gateway — inquiries to answer and results of our inquiries.
#pragma once

#include "codecs/SecureXmlParser.h"
#include "gateway/InquiryService.h"
#include "gateway/ProvisionService.h"
#include "gateway/Stage.h"

namespace chukan {

/// Only the network may call (client certificate subject O = chukan.network.peerOrganization,
/// chained to the configured CA by the TLS layer). The body is an ipn.xsd message: an Inquiry
/// (POST /ipn-in/v1/inquiries → ProvisionService) or a ProvisionResponse (POST
/// /ipn-in/v1/responses → InquiryService). The reply is the protocol's Ack or typed Error.
class NetworkInboundStage : public Stage
{
public:
    NetworkInboundStage(GatewayServices& services, std::shared_ptr<ProvisionService> provisions,
                        std::shared_ptr<InquiryService> inquiries);
    const char* name() const override { return "network_inbound"; }
    Outcome run(Exchange& exchange) override;

private:
    GatewayServices& _services;
    std::shared_ptr<ProvisionService> _provisions;
    std::shared_ptr<InquiryService> _inquiries;
    std::unique_ptr<SecureXmlParser> _parser;
    Counter& _refusedPeer;
};

} // namespace chukan
