// IpnSim: the network simulator's behaviour (符号, signed documents, permits, routing, faults) behind one handle() call.
#pragma once

#include "adapters/Clock.h"
#include "adapters/IpnClient.h"
#include "codecs/CryptoTrustStore.h"
#include "codecs/IpnMessage.h"
#include "codecs/Permit.h"
#include "codecs/PermitList.h"
#include "gateway/Metrics.h"
#include "tests/netsim/FugoIssuer.h"
#include "tests/netsim/ReplyCache.h"
#include "tests/netsim/RoutingLog.h"
#include "tests/netsim/SimDeliverer.h"
#include "tests/netsim/SimDirectory.h"
#include "tests/netsim/SimFaults.h"

#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

namespace chukan
{

/// Transport-free: SimServer turns each HTTPS request (with the verified client certificate's
/// subject) into a Request, and tests call handle() directly. Endpoints are in docs/protocol.md.
/// Callers: an institution is identified by its certificate (CN = 機関コード, O = tenant, as in
/// the directory); the admin by O/CN = adminOrganization/adminCommonName. TLS has already
/// checked that the certificate chains to the CA.
/// Thread-safety: handle() runs concurrently on the server's threads.
class IpnSim
{
public:
    struct Config
    {
        std::shared_ptr<const FugoIssuer> fugo;
        std::string signingKeyPem; ///< network/signing.key
        std::string signingCertPem;
        std::shared_ptr<const CryptoTrustStore> trust; ///< verifies permits (ca.pem)
        std::shared_ptr<const SecureXmlParser> parser; ///< over ipn.xsd
        PermitList permissionList;
        std::vector<SimInstitution> institutions;
        std::string adminOrganization = "ipn";
        std::string adminCommonName = "ipn-sim";
        int permitValiditySeconds = 600;
        std::size_t idempotencyCapacity = 100000;
        std::shared_ptr<SimFaults> faults;  ///< default: none set
        std::shared_ptr<RoutingLog> log;    ///< default: memory only
        std::shared_ptr<Metrics> metrics;   ///< default: own registry
        std::shared_ptr<Clock> clock;       ///< default: SystemClock
        SimDeliverer::Send send;            ///< how forwards are sent (IpnClient::post)
        SimDeliverer::SendBatch sendBatch;  ///< how several are sent as one Batch; unset: each alone
        int deliveryBatch = 50;             ///< forwards in one Batch at most
        int deliveryThreads = 16;
        int deliveryPerDestination = 0; ///< deliveries in flight to one institution; 0: half the threads
    };

    struct Caller
    {
        std::string organization; ///< subject O of the verified client certificate
        std::string commonName;   ///< subject CN
    };
    struct Request
    {
        std::string method;
        std::string path;
        std::string body;
        Caller caller;
    };
    struct Reply
    {
        int status = 200;
        std::string contentType = "application/xml";
        std::string body;
    };

    /// INVALID_ARGUMENT when the signing key/certificate cannot sign or a member is missing.
    static Result<std::unique_ptr<IpnSim>> create(Config config);
    ~IpnSim();

    Reply handle(const Request& request);

    SimDirectory& directory() { return _directory; }
    SimFaults& faults() { return *_config.faults; }
    RoutingLog& log() { return *_config.log; }
    Metrics& metrics() { return *_config.metrics; }
    /// A Batch of the network's forwards `items` (their URLs share one endpoint), to `to` — the
    /// items' common addressee, or IPN when they differ (one endpoint hosting several institutions).
    static IpnMessage batchOf(const std::vector<SimDeliverer::Item>& items, const Poco::Timestamp& now);
    /// Config::sendBatch over `client`: batchOf(items) to the endpoint's /ipn-in/v1/batch; reply n
    /// answers item n; an Error for the whole Batch is each item's answer, and so is a failed
    /// send or a reply that does not fit (as a Status).
    static SimDeliverer::SendBatch batchSender(std::shared_ptr<IpnClient> client);
    SimDeliverer& deliverer() { return *_deliverer; }
    const FugoIssuer& fugoIssuer() const { return *_config.fugo; }

private:
    struct PermitState
    {
        Permit permit;
        std::string payload; ///< the signed payload bytes
        /// SHA-256 of the SignedEnvelope JSON as the network signed it: an inquiry carrying
        /// exactly these bytes needs no signature check (the network made them).
        std::string issuedDigest;
        std::string providerFugo;
        std::string route;
        bool inquiryRouted = false;
        bool responseRouted = false;
        bool expiredByFault = false; ///< fault expirePermitNext: routed without the validity check
        /// The forwards under this permit and what became of them: pending | delivered | lost
        /// (dropped, undeliverable) | refused. A sender's resend re-forwards a lost one.
        std::optional<SimDeliverer::Item> inquiryForward;
        std::string inquiryDelivery;
        std::optional<SimDeliverer::Item> responseForward;
        std::string responseDelivery;
    };

    explicit IpnSim(Config config);
    Reply handleNetwork(const Request& request);
    /// One message (alone, or an item of a Batch) that was posted where `expected` belongs.
    IpnMessage handleMessage(const IpnMessage& m, IpnMessage::Kind expected, const SimInstitution& caller,
                             std::size_t bytes);
    static std::string pathOf(IpnMessage::Kind kind);
    Reply handleAdmin(const Request& request);
    IpnMessage dispatch(const IpnMessage& m, const SimInstitution& caller);
    IpnMessage fugo(const IpnMessage& m, const SimInstitution& caller);
    IpnMessage permit(const IpnMessage& m, const SimInstitution& caller);
    IpnMessage inquiry(const IpnMessage& m, const SimInstitution& caller);
    IpnMessage response(const IpnMessage& m, const SimInstitution& caller);
    /// A resend (same sender and MessageId) of an Inquiry or ProvisionResponse: forwards again
    /// what was lost under its permit — the message itself, or for an Inquiry whose forward was
    /// delivered, the response that was lost on the way back. Logged "resent".
    void forwardLostAgain(const IpnMessage& m);
    /// Called by the deliverer with each forward's outcome.
    void delivered(const SimDeliverer::Item& item, const std::string& outcome);

    Reply errorReply(const IpnHeader* request, const std::string& to, IpnErrorCode code,
                     const std::string& message);
    IpnMessage replyMessage(const IpnMessage& request, IpnMessage::Kind kind) const;
    IpnMessage error(const IpnMessage& request, IpnErrorCode code, std::string message) const;
    static Reply toReply(const IpnMessage& m);
    void record(const std::string& messageId, const std::string& kind, const std::string& from,
                const std::string& to, const std::string& permitId, const std::string& outcome,
                std::size_t bytes, long long millis = -1);
    Result<std::string> signedDirectory();
    Poco::Timestamp now() const;
    bool isAdmin(const Caller& c) const;

    Config _config;
    SimDirectory _directory;
    ReplyCache _replies;
    std::string _signedPermissionList;
    std::mutex _mutex; ///< guards everything below
    std::unordered_set<std::string> _issuedIdcs;
    std::map<std::string, PermitState> _permits;
    std::uint64_t _directoryVersion = 0;
    std::string _signedDirectory;
    std::unique_ptr<SimDeliverer> _deliverer;
};

} // namespace chukan
