// SimSettings: ipn-sim's configuration keys (ipn.*), validated, and the IpnSim::Config they describe.
#pragma once

#include "codecs/Result.h"
#include "tests/netsim/IpnSim.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <string>

namespace chukan
{

/// Keys (docs/protocol.md, "ipn-sim"):
///   ipn.listen.host (127.0.0.1), ipn.listen.port (0 = any free port)
///   ipn.tls.certificate, ipn.tls.privateKey, ipn.tls.caFile      server side, mutual TLS
///   ipn.client.certificate, ipn.client.privateKey                 calls to gateways
///   ipn.signing.certificate, ipn.signing.privateKey               directory, list, permits
///   ipn.fugo.keyFile                                              K_net, created if missing
///   ipn.directory.file, ipn.permissionList.file                   CSV
///   ipn.routingLog.file                                           JSON lines ("" = none)
///   ipn.schemas.dir ($CHUKAN_SCHEMAS or conf/schemas)
///   ipn.admin.organization (ipn), ipn.admin.commonName (ipn-sim)
///   ipn.permit.validitySeconds (600), ipn.idempotency.capacity (100000)
///   ipn.delivery.maxAttempts (5), ipn.delivery.baseDelayMs (200), ipn.delivery.timeoutMs (5000),
///   ipn.delivery.threads (16), ipn.delivery.perDestination (0 = half the threads),
///   ipn.delivery.batch (50: forwards queued for one URL sent as one Batch; 1 = each alone)
///   ipn.faults.delayMs, .dropNext, .duplicateNext, .reorder, .corruptSignatureNext, .downForMs
struct SimSettings
{
    std::string listenHost = "127.0.0.1";
    int listenPort = 0;
    std::string tlsCertificate, tlsPrivateKey, tlsCaFile;
    std::string clientCertificate, clientPrivateKey;
    std::string signingCertificate, signingPrivateKey;
    std::string fugoKeyFile;
    std::string directoryFile, permissionListFile;
    std::string routingLogFile;
    std::string schemasDir;
    std::string adminOrganization = "ipn", adminCommonName = "ipn-sim";
    int permitValiditySeconds = 600;
    int idempotencyCapacity = 100000;
    int deliveryMaxAttempts = 5, deliveryBaseDelayMs = 200, deliveryTimeoutMs = 5000;
    int keepAliveSeconds = 5; ///< the listener closes a keep-alive connection idle this long
    int deliveryThreads = 16;
    int deliveryPerDestination = 0;
    int deliveryBatch = 50;
    std::string faultsJson; ///< the ipn.faults.* keys as a SimFaults JSON object

    /// The first missing or malformed key stops it: "ipn.tls.caFile: file '…' does not exist".
    static Result<SimSettings> load(const Poco::Util::AbstractConfiguration& config);

    /// Reads the files (keys, certificates, CSVs, schema) into an IpnSim::Config; `send` is
    /// left for the caller.
    Result<IpnSim::Config> toConfig() const;
};

} // namespace chukan
