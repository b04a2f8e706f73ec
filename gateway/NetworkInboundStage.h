// NetworkInboundStage: the network's calls into this gateway — inquiries to answer and results of our inquiries.
#pragma once

#include "codecs/SecureXmlParser.h"
#include "gateway/InquiryService.h"
#include "gateway/ProvisionService.h"
#include "gateway/Stage.h"

#include <Poco/ThreadPool.h>

#include <memory>

namespace chukan {

/// Only the network may call (client certificate subject O = chukan.network.peerOrganization,
/// chained to the configured CA by the TLS layer). The body is an ipn.xsd message: an Inquiry
/// (POST /ipn-in/v1/inquiries → ProvisionService) or a ProvisionResponse (POST
/// /ipn-in/v1/responses → InquiryService), or a Batch of either (POST /ipn-in/v1/batch), whose
/// items are answered each as if it had come alone, by up to BATCH_THREADS threads at once (so
/// their store writes share commits), in a BatchReply: the calling thread and helpers from a pool
/// of BATCH_HELPERS kept for all batches (threads were started and joined per Batch); when the
/// pool is busy with other batches, a Batch is worked on by fewer. The reply is the protocol's Ack or typed
/// Error (per item in a BatchReply).
class NetworkInboundStage : public Stage
{
public:
    NetworkInboundStage(GatewayServices& services, std::shared_ptr<ProvisionService> provisions,
                        std::shared_ptr<InquiryService> inquiries);
    const char* name() const override { return "network_inbound"; }
    Outcome run(Exchange& exchange) override;

    static constexpr int BATCH_THREADS = 4;
    /// Helper threads kept for all batches at once: BATCH_THREADS - 1 for each of four.
    static constexpr int BATCH_HELPERS = 4 * (BATCH_THREADS - 1);

private:
    /// The answer to one message that arrived at `operation`.
    IpnMessage answer(const IpnMessage& message, const std::string& operation, const std::string& path);
    IpnMessage answerBatch(const IpnMessage& batch, const std::string& path);

    GatewayServices& _services;
    std::shared_ptr<ProvisionService> _provisions;
    std::shared_ptr<InquiryService> _inquiries;
    std::unique_ptr<SecureXmlParser> _parser;
    Counter& _refusedPeer;
    std::unique_ptr<Poco::ThreadPool> _helpers;
};

} // namespace chukan
