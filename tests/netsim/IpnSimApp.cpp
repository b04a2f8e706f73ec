// IpnSimApp: settings, the IpnSim core with an IpnClient for forwards, and the HTTPS listener.
#include "tests/netsim/IpnSimApp.h"

#include "adapters/IpnClient.h"
#include "adapters/TlsContexts.h"
#include "tests/netsim/SimHttpsServer.h"
#include "tests/netsim/SimSettings.h"

#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>

#include <algorithm>
#include <iostream>

namespace chukan
{

namespace
{
const int EXIT_CONFIG = 78;
}

IpnSimApp::IpnSimApp() { setUnixOptions(true); }

void IpnSimApp::defineOptions(Poco::Util::OptionSet& options)
{
    ServerApplication::defineOptions(options);
    options.addOption(
        Poco::Util::Option("help", "h", "show this help and exit").required(false).repeatable(false));
    options.addOption(Poco::Util::Option("config", "c", "configuration file (.properties)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE"));
}

void IpnSimApp::handleOption(const std::string& name, const std::string& value)
{
    ServerApplication::handleOption(name, value);
    if (name == "help")
    {
        _helpRequested = true;
        stopOptionsProcessing();
    }
    else if (name == "config")
        _configFile = value;
}

void IpnSimApp::displayHelp()
{
    Poco::Util::HelpFormatter hf(options());
    hf.setUnixStyle(true);
    hf.setCommand("ipn-sim");
    hf.setUsage("--config FILE");
    hf.setHeader("ipn-sim: a simulator of the 情報提供ネットワークシステム for tests and the sandbox. "
                 "Issues 符号, publishes the signed directory and permission list, issues signed "
                 "permits and routes inquiries and responses between intermediate servers over "
                 "mutually authenticated HTTPS.");
    hf.setFooter(
        "Keys: ipn.listen.host/port/keepAliveSeconds, ipn.tls.certificate/privateKey/caFile, "
        "ipn.client.certificate/privateKey, ipn.signing.certificate/privateKey, ipn.fugo.keyFile, "
        "ipn.directory.file, ipn.permissionList.file, ipn.routingLog.file, ipn.admin.*, "
        "ipn.permit.validitySeconds, ipn.delivery.*, ipn.faults.* (docs/protocol.md, \"ipn-sim\").\n"
        "Admin endpoints (admin client certificate): POST /sim/v1/institutions, GET|POST "
        "/sim/v1/faults, GET /sim/v1/log; GET /metrics.\n"
        "With ipn.listen.port = 0 it prints \"ipn-sim listening on https://HOST:PORT\" on stdout.\n"
        "Exit codes: 0 stopped cleanly, 64 usage, 78 configuration error.");
    hf.format(std::cout);
}

void IpnSimApp::initialize(Poco::Util::Application& self)
{
    if (!_helpRequested && !_configFile.empty())
        loadConfiguration(_configFile);
    ServerApplication::initialize(self);
}

int IpnSimApp::main(const std::vector<std::string>&)
{
    if (_helpRequested)
    {
        displayHelp();
        return EXIT_OK;
    }
    if (_configFile.empty())
    {
        std::cerr << "ipn-sim: --config FILE is required (see --help)" << std::endl;
        return EXIT_USAGE;
    }
    Result<SimSettings> settings = SimSettings::load(config());
    if (!settings)
    {
        std::cerr << "ipn-sim: configuration error in " << _configFile << ": "
                  << settings.status().message() << std::endl;
        return EXIT_CONFIG;
    }
    const SimSettings& s = settings.value();
    Result<IpnSim::Config> simConfig = s.toConfig();
    if (!simConfig)
    {
        std::cerr << "ipn-sim: configuration error in " << _configFile << ": "
                  << simConfig.status().message() << std::endl;
        return EXIT_CONFIG;
    }
    IpnSim::Config c = simConfig.value();
    std::unique_ptr<SimHttpsServer> server;
    std::shared_ptr<IpnClient> client;
    try
    {
        IpnClient::Options o;
        o.tls = TlsContexts::client(s.clientCertificate, s.clientPrivateKey, s.tlsCaFile);
        o.parser = c.parser;
        o.maxAttempts = s.deliveryMaxAttempts;
        o.baseDelay = std::chrono::milliseconds(s.deliveryBaseDelayMs);
        o.timeout = std::chrono::milliseconds(s.deliveryTimeoutMs);
        // Every delivery thread may hold a connection to one institution at once: keep them all
        // for reuse, or a busy moment closes the ones over the default and opens them again.
        o.maxIdlePerHost = std::max<std::size_t>(o.maxIdlePerHost, static_cast<std::size_t>(s.deliveryThreads));
        client = std::make_shared<IpnClient>(o);
        c.send = [client](const SimDeliverer::Item& item) {
            return client->post(item.url, item.message);
        };
        c.sendBatch = IpnSim::batchSender(client);
        Result<std::unique_ptr<IpnSim>> sim = IpnSim::create(std::move(c));
        if (!sim)
        {
            std::cerr << "ipn-sim: " << sim.status().message() << std::endl;
            return EXIT_CONFIG;
        }
        std::shared_ptr<IpnSim> core = std::move(sim).value();
        server = std::make_unique<SimHttpsServer>(
            [core](const IpnSim::Request& r) { return core->handle(r); },
            TlsContexts::server(s.tlsCertificate, s.tlsPrivateKey, s.tlsCaFile), s.listenHost,
            static_cast<unsigned short>(s.listenPort), 32, s.keepAliveSeconds);
        std::cout << "ipn-sim listening on https://" << s.listenHost << ":" << server->port()
                  << std::endl;
        waitForTerminationRequest();
        server->stop();
        logger().information("ipn-sim: stopped");
    }
    catch (const Poco::Exception& e)
    {
        std::cerr << "ipn-sim: " << e.displayText() << std::endl;
        return EXIT_CONFIG;
    }
    return EXIT_OK;
}

} // namespace chukan
