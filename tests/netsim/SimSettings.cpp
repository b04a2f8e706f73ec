// SimSettings: reading and checking the ipn.* keys, then loading every file they name.
#include "tests/netsim/SimSettings.h"

#include "codecs/IpnMessage.h"
#include "codecs/XmlSchemaCatalog.h"
#include "tests/netsim/PermissionListFile.h"

#include <Poco/File.h>
#include <Poco/JSON/Object.h>

#include <fstream>
#include <sstream>

namespace chukan
{

namespace
{

Result<std::string> readFile(const std::string& key, const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Status::invalid(key + ": file '" + path + "' cannot be read");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

Result<SimSettings> SimSettings::load(const Poco::Util::AbstractConfiguration& c)
{
    SimSettings s;
    auto text = [&](const std::string& key, std::string& into, bool required) -> Status {
        into = c.getString(key, into);
        if (required && into.empty())
            return Status::invalid(key + ": required");
        return Status::ok();
    };
    auto file = [&](const std::string& key, std::string& into) -> Status {
        Status t = text(key, into, true);
        if (!t)
            return t;
        if (!Poco::File(into).exists())
            return Status::invalid(key + ": file '" + into + "' does not exist");
        return Status::ok();
    };
    auto number = [&](const std::string& key, int& into, int min, int max) -> Status {
        std::string v = c.getString(key, std::to_string(into));
        try
        {
            std::size_t used = 0;
            int n = std::stoi(v, &used);
            if (used != v.size() || n < min || n > max)
                throw std::out_of_range(v);
            into = n;
            return Status::ok();
        }
        catch (const std::exception&)
        {
            return Status::invalid(key + ": '" + v + "' is not a number from " +
                                   std::to_string(min) + " to " + std::to_string(max));
        }
    };
    s.schemasDir = XmlSchemaCatalog::defaultDirectory();
    for (Status st :
         {text("ipn.listen.host", s.listenHost, true), number("ipn.listen.port", s.listenPort, 0, 65535),
          file("ipn.tls.certificate", s.tlsCertificate), file("ipn.tls.privateKey", s.tlsPrivateKey),
          file("ipn.tls.caFile", s.tlsCaFile), file("ipn.client.certificate", s.clientCertificate),
          file("ipn.client.privateKey", s.clientPrivateKey),
          file("ipn.signing.certificate", s.signingCertificate),
          file("ipn.signing.privateKey", s.signingPrivateKey),
          text("ipn.fugo.keyFile", s.fugoKeyFile, true),
          file("ipn.directory.file", s.directoryFile),
          file("ipn.permissionList.file", s.permissionListFile),
          text("ipn.routingLog.file", s.routingLogFile, false),
          text("ipn.schemas.dir", s.schemasDir, true),
          text("ipn.admin.organization", s.adminOrganization, true),
          text("ipn.admin.commonName", s.adminCommonName, true),
          number("ipn.permit.validitySeconds", s.permitValiditySeconds, 1, 86400 * 365),
          number("ipn.idempotency.capacity", s.idempotencyCapacity, 1, 100000000),
          number("ipn.delivery.maxAttempts", s.deliveryMaxAttempts, 1, 100),
          number("ipn.delivery.baseDelayMs", s.deliveryBaseDelayMs, 0, 600000),
          number("ipn.delivery.timeoutMs", s.deliveryTimeoutMs, 1, 600000),
          number("ipn.listen.keepAliveSeconds", s.keepAliveSeconds, 1, 3600),
          number("ipn.delivery.threads", s.deliveryThreads, 1, 256),
          number("ipn.delivery.perDestination", s.deliveryPerDestination, 0, 256),
          number("ipn.delivery.batch", s.deliveryBatch, 1, int(IpnMessage::MAX_BATCH))})
        if (!st)
            return st;
    Poco::JSON::Object faults;
    for (const char* k : {"delayMs", "dropNext", "duplicateNext", "corruptSignatureNext", "expirePermitNext",
                          "replayNext", "downForMs"})
    {
        int v = 0;
        std::string key = std::string("ipn.faults.") + k;
        if (!c.hasProperty(key))
            continue;
        Status st = number(key, v, 0, 1000000000);
        if (!st)
            return st;
        faults.set(k, v);
    }
    for (const char* k : {"reorder", "noBatch"})
    {
        std::string key = std::string("ipn.faults.") + k;
        if (!c.hasProperty(key))
            continue;
        try
        {
            faults.set(k, c.getBool(key));
        }
        catch (const std::exception&)
        {
            return Status::invalid(key + ": must be true or false");
        }
    }
    std::ostringstream out;
    faults.stringify(out);
    s.faultsJson = out.str();
    return s;
}

Result<IpnSim::Config> SimSettings::toConfig() const
{
    IpnSim::Config c;
    Result<FugoIssuer> fugo = FugoIssuer::fromKeyFile(fugoKeyFile);
    if (!fugo)
        return Status::invalid("ipn.fugo.keyFile: " + fugo.status().message());
    c.fugo = std::make_shared<FugoIssuer>(fugo.value());
    Result<std::string> key = readFile("ipn.signing.privateKey", signingPrivateKey);
    Result<std::string> cert = readFile("ipn.signing.certificate", signingCertificate);
    Result<std::string> ca = readFile("ipn.tls.caFile", tlsCaFile);
    for (const auto* r : {&key, &cert, &ca})
        if (!*r)
            return r->status();
    c.signingKeyPem = key.value();
    c.signingCertPem = cert.value();
    Result<CryptoTrustStore> trust = CryptoTrustStore::fromPem(ca.value());
    if (!trust)
        return Status::invalid("ipn.tls.caFile: " + trust.status().message());
    c.trust = std::make_shared<CryptoTrustStore>(std::move(trust).value());
    XmlSchemaCatalog catalog(schemasDir);
    Result<std::shared_ptr<const XmlSchema>> schema = catalog.get(IpnMessage::SCHEMA_NAME);
    if (!schema)
        return Status::invalid("ipn.schemas.dir: " + schema.status().message());
    c.parser = std::make_shared<SecureXmlParser>(schema.value());
    Result<PermitList> list = PermissionListFile::load(permissionListFile, "sim-permission-list");
    if (!list)
        return Status::invalid("ipn.permissionList.file: " + list.status().message());
    c.permissionList = list.value();
    Result<std::vector<SimInstitution>> institutions = SimDirectory::loadFile(directoryFile);
    if (!institutions)
        return Status::invalid("ipn.directory.file: " + institutions.status().message());
    c.institutions = institutions.value();
    c.adminOrganization = adminOrganization;
    c.adminCommonName = adminCommonName;
    c.permitValiditySeconds = permitValiditySeconds;
    c.idempotencyCapacity = static_cast<std::size_t>(idempotencyCapacity);
    c.faults = std::make_shared<SimFaults>();
    Status f = c.faults->apply(faultsJson, Poco::Timestamp().epochMicroseconds());
    if (!f)
        return Status::invalid("ipn.faults: " + f.message());
    if (!routingLogFile.empty() && !std::ofstream(routingLogFile, std::ios::app))
        return Status::invalid("ipn.routingLog.file: '" + routingLogFile + "' cannot be opened");
    c.log = std::make_shared<RoutingLog>(routingLogFile);
    c.deliveryThreads = deliveryThreads;
    c.deliveryPerDestination = deliveryPerDestination;
    c.deliveryBatch = deliveryBatch;
    return c;
}

} // namespace chukan
