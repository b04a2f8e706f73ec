// GatewayApp: startup order — settings, store, migrations, listener — and a clean refusal on bad settings.
#include "gateway/GatewayApp.h"
#include "gateway/LogSetup.h"

#include "adapters/Migrator.h"
#include "adapters/ShiftedClock.h"
#include "adapters/TlsContexts.h"
#include "adapters/TlsServerSocket.h"
#include "gateway/GatewayServices.h"
#include "gateway/GatewayWorker.h"
#include "gateway/IpnNetworkPort.h"
#include "codecs/CryptoTrustStore.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include "gateway/ReplicaDropWatcher.h"
#include "gateway/Router.h"
#include "gateway/Settings.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>

#include <iostream>

namespace chukan {

namespace {
const int EXIT_CONFIG = 78; // sysexits EX_CONFIG
}

GatewayApp::GatewayApp()
{
    setUnixOptions(true);
}

void GatewayApp::defineOptions(Poco::Util::OptionSet& options)
{
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("help", "h", "show this help and exit").required(false).repeatable(false));
    options.addOption(Poco::Util::Option("config", "c", "configuration file (.properties or .xml)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE"));
    options.addOption(Poco::Util::Option("check-config", "", "validate the configuration, print a summary and exit")
                          .required(false)
                          .repeatable(false));
}

void GatewayApp::handleOption(const std::string& name, const std::string& value)
{
    ServerApplication::handleOption(name, value);
    if (name == "help")
    {
        _helpRequested = true;
        stopOptionsProcessing();
    }
    else if (name == "config")
        _configFile = value;
    else if (name == "check-config")
        _checkOnly = true;
}

void GatewayApp::displayHelp()
{
    Poco::Util::HelpFormatter hf(options());
    hf.setUnixStyle(true);
    hf.setCommand("chukan-gateway");
    hf.setUsage("--config FILE [--check-config]");
    hf.setHeader("chukan intermediate server (中間サーバー): serves business systems and the network over "
                 "mutually authenticated HTTPS.");
    hf.setFooter("Every configuration key is listed with its default in conf/chukan.properties.\n"
                 "Exit codes: 0 stopped cleanly, 78 configuration error, 69 store unavailable.");
    hf.format(std::cout);
}

void GatewayApp::initialize(Poco::Util::Application& self)
{
    if (!_helpRequested && !_configFile.empty())
        loadConfiguration(_configFile);
    ServerApplication::initialize(self);
}

int GatewayApp::main(const std::vector<std::string>&)
{
    if (_helpRequested)
    {
        displayHelp();
        return EXIT_OK;
    }
    if (_configFile.empty())
    {
        std::cerr << "chukan-gateway: --config FILE is required (see --help)" << std::endl;
        return EXIT_USAGE;
    }
    Result<Settings> settings = Settings::load(config());
    if (!settings)
    {
        std::cerr << "chukan-gateway: configuration error in " << _configFile << ": "
                  << settings.status().message() << std::endl;
        return EXIT_CONFIG;
    }
    const Settings& s = settings.value();
    if (_checkOnly)
        return checkConfig(s);
    Status logging = LogSetup::apply(s);
    if (!logging)
    {
        std::cerr << "chukan-gateway: configuration error in " << _configFile << ": " << logging.message()
                  << std::endl;
        return EXIT_CONFIG;
    }
    Result<std::shared_ptr<Database>> db = Database::open(s.store);
    if (!db)
    {
        std::cerr << "chukan-gateway: " << db.status().message() << std::endl;
        return EXIT_UNAVAILABLE;
    }
    Migrator migrator(*db.value());
    Result<int> version = migrator.migrate();
    if (!version)
    {
        std::cerr << "chukan-gateway: " << version.status().message() << std::endl;
        return EXIT_CONFIG;
    }
    logger().information("node %s: store %s at schema version %d", s.nodeId, db.value()->describe(),
                         version.value());

    int shiftDays = 0;
    std::shared_ptr<Clock> clock = ShiftedClock::fromEnvironment(shiftDays);
    if (shiftDays != 0)
        logger().warning("node %s: TEST CLOCK shifted by %d days (CHUKAN_TEST_CLOCK)", s.nodeId,
                         shiftDays);
    GatewayServices services(s, clock, db.value(), nullptr);
    if (!s.networkUrl.empty())
    {
        std::string anchor;
        try
        {
            Poco::FileInputStream in(s.networkTrustAnchor);
            Poco::StreamCopier::copyToString(in, anchor);
        }
        catch (const Poco::Exception& e)
        {
            std::cerr << "chukan-gateway: chukan.network.trustAnchor: " << e.displayText() << std::endl;
            return EXIT_CONFIG;
        }
        Result<CryptoTrustStore> trust = CryptoTrustStore::fromPem(anchor);
        if (!trust)
        {
            std::cerr << "chukan-gateway: chukan.network.trustAnchor: " << trust.status().message() << std::endl;
            return EXIT_CONFIG;
        }
        services.documents = std::make_shared<NetworkDocuments>(std::make_shared<CryptoTrustStore>(std::move(trust).value()));
        Result<std::shared_ptr<const XmlSchema>> ipn = services.schemas->get(IpnMessage::SCHEMA_NAME);
        if (!ipn)
        {
            std::cerr << "chukan-gateway: chukan.schemas.dir: " << ipn.status().message() << std::endl;
            return EXIT_CONFIG;
        }
        services.network = std::make_shared<IpnNetworkPort>(s, std::make_shared<SecureXmlParser>(ipn.value()), clock);
    }
    auto inquiries = std::make_shared<InquiryService>(services);
    auto provisions = std::make_shared<ProvisionService>(services);
    GatewayWorker worker(services, inquiries, provisions);
    Poco::Net::Context::Ptr tls = TlsContexts::server(s.tlsCertificate, s.tlsPrivateKey, s.tlsCaFile);
    TlsServerSocket socket(Poco::Net::SocketAddress(s.listenHost, s.listenPort), 256, tls);
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    // Poco serves a keep-alive connection on one thread until it closes or idles out. The
    // server's own pool (not Poco's default pool of 16) holds chukan.http.threads of them, so
    // the network's deliveries to /ipn-in/ find a thread beside the business systems' clients.
    params->setMaxThreads(s.httpThreads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(s.httpKeepAliveSeconds, 0));
    Poco::ThreadPool httpPool("chukan-http", 2, s.httpThreads);
    Poco::Net::HTTPServer server(new Router(services, inquiries, provisions), httpPool, socket, params);
    server.start();
    worker.start();
    // The bound port (useful with chukan.listen.port = 0) goes to stdout for scripts and tests.
    std::cout << "chukan-gateway listening on https://" << s.listenHost << ":" << socket.address().port()
              << " node=" << s.nodeId << " store=" << db.value()->backendName() << std::endl;
    std::unique_ptr<ReplicaDropWatcher> drop;
    if (!s.replicaDropDir.empty())
    {
        drop.reset(new ReplicaDropWatcher(
            services, std::make_shared<ReplicaFileImporter>(
                services.db, services.clock, s.layoutsDir, ReplicaFileImporter::DEFAULT_BATCH,
                static_cast<std::size_t>(s.replicaConnections))));
        drop->start();
    }
    waitForTerminationRequest();
    if (drop)
        drop->stop();
    server.stopAll(true);
    logger().information("node %s: stopped", s.nodeId);
    return EXIT_OK;
}

int GatewayApp::checkConfig(const Settings& s)
{
    // Settings::load has checked every key and file; the directories are read only at runtime.
    for (const auto& dir : {std::make_pair("chukan.schemas.dir", s.schemasDir),
                            std::make_pair("chukan.layouts.dir", s.layoutsDir)})
    {
        Poco::File f(dir.second);
        if (!f.exists() || !f.isDirectory())
        {
            std::cerr << "chukan-gateway: configuration error in " << _configFile << ": " << dir.first << ": '"
                      << dir.second << "' is not a directory" << std::endl;
            return EXIT_CONFIG;
        }
    }
    std::string tenants;
    for (const TenantProfile& p : s.tenants)
        tenants += (tenants.empty() ? "" : ",") + p.tenant.str();
    std::cout << "chukan-gateway: " << _configFile << " is valid: node " << s.nodeId << ", store "
              << (s.store.backend == Database::SQLITE ? "sqlite " + s.store.sqlitePath
                                                      : "mariadb " + s.store.mariadbHost + "/" + s.store.mariadbDatabase)
              << ", listener " << s.listenHost << ":" << s.listenPort << ", tenants "
              << (tenants.empty() ? "none" : tenants) << ", network "
              << (s.networkUrl.empty() ? "not configured" : s.networkUrl) << std::endl;
    return EXIT_OK;
}

} // namespace chukan
