// NetsimFixture: shared test material for netsim-tests — a scripts/pki PKI made once per run, and an IpnSim wired to it.
#pragma once

#include "adapters/Clock.h"
#include "adapters/IpnClient.h"
#include "adapters/TlsContexts.h"
#include "codecs/XmlSchemaCatalog.h"
#include "tests/netsim/IpnSim.h"
#include "tests/netsim/PermissionListFile.h"

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>

namespace chukan::netsim_test
{

inline const std::string CHIBA = "1210020000000000";
inline const std::string HOFU = "3520630000000000";
inline const std::string JIMU = "JM01000000121000";
inline const std::string PROC = "JT01010000000214";
inline const std::string ITEM = "TM00000000000002";

inline std::string sourceDir()
{
    const char* env = std::getenv("CHUKAN_SRC");
    return env && *env ? std::string(env) : std::string(CHUKAN_SOURCE_DIR);
}

inline std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// scripts/pki output in a temp directory, generated once per process, removed at exit.
class Pki
{
public:
    static const Pki& get()
    {
        static Pki pki;
        return pki;
    }
    std::string path(const std::string& relative) const { return _dir + "/" + relative; }
    std::string pem(const std::string& relative) const { return slurp(path(relative)); }

private:
    Pki()
    {
        char tmpl[] = "/tmp/chukan-netsim-XXXXXX";
        if (!mkdtemp(tmpl))
            throw std::runtime_error("mkdtemp failed");
        _dir = tmpl;
        std::string cmd = "bash '" + sourceDir() + "/scripts/pki' '" + _dir + "/pki' >/dev/null";
        if (std::system(cmd.c_str()) != 0)
            throw std::runtime_error("scripts/pki failed");
        _dir += "/pki";
    }
    ~Pki()
    {
        std::string cmd = "rm -rf '" + _dir.substr(0, _dir.size() - 4) + "'";
        if (std::system(cmd.c_str()) != 0)
            std::fprintf(stderr, "cannot remove %s\n", _dir.c_str());
    }
    std::string _dir;
};

inline std::shared_ptr<const SecureXmlParser> ipnParser()
{
    static XmlSchemaCatalog catalog(sourceDir() + "/conf/schemas");
    static std::shared_ptr<const SecureXmlParser> parser =
        std::make_shared<SecureXmlParser>(catalog.get(IpnMessage::SCHEMA_NAME).value());
    return parser;
}

inline std::vector<SimInstitution> institutions()
{
    const Pki& p = Pki::get();
    return {{CHIBA, "121002", "千葉市", "", p.pem("121002/encryption.pem")},
            {HOFU, "352063", "防府市", "", p.pem("352063/encryption.pem")}};
}

/// An IpnSim over the test PKI; `send` defaults to answering Ack.
inline IpnSim::Config simConfig(std::shared_ptr<Clock> clock, SimDeliverer::Send send,
                                const std::string& fugoKey = std::string(32, '\x5a'))
{
    const Pki& p = Pki::get();
    IpnSim::Config c;
    c.fugo = std::make_shared<FugoIssuer>(fugoKey);
    c.signingKeyPem = p.pem("network/signing.key");
    c.signingCertPem = p.pem("network/signing.pem");
    c.trust = std::make_shared<CryptoTrustStore>(CryptoTrustStore::fromPem(p.pem("ca.pem")).value());
    c.parser = ipnParser();
    c.permissionList =
        PermissionListFile::load(sourceDir() + "/conf/permission-list.sample.csv", "test").value();
    c.institutions = institutions();
    c.clock = std::move(clock);
    c.send = std::move(send);
    c.deliveryThreads = 2;
    return c;
}

inline Poco::Net::Context::Ptr clientTls(const std::string& who)
{
    const Pki& p = Pki::get();
    return TlsContexts::client(p.path(who + ".pem"), p.path(who + ".key"), p.path("ca.pem"));
}

inline Poco::Net::Context::Ptr serverTls(const std::string& who)
{
    const Pki& p = Pki::get();
    return TlsContexts::server(p.path(who + ".pem"), p.path(who + ".key"), p.path("ca.pem"));
}

inline IpnHeader header(const std::string& from, const std::string& to = IpnHeader::NETWORK)
{
    IpnHeader h;
    h.messageId = IpnHeader::newMessageId("t");
    h.sentAt = Poco::Timestamp();
    h.from = from;
    h.to = to;
    return h;
}

} // namespace chukan::netsim_test
