// Settings: validation of conf/*.properties; a broken setting is reported by key before anything starts.
#include "gateway/Settings.h"

#include <Poco/File.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/StringTokenizer.h>

namespace chukan {

namespace {

class Reader
{
public:
    explicit Reader(const Poco::Util::AbstractConfiguration& config) : _config(config) {}

    Status error() const { return _error; }
    bool ok() const { return _error.isOk(); }

    std::string text(const std::string& key, const std::string& fallback, bool required = false)
    {
        if (!ok())
            return fallback;
        if (!_config.hasProperty(key))
        {
            if (required)
                fail(key, "is required but not set");
            return fallback;
        }
        std::string v = _config.getString(key);
        if (v.empty() && required)
            fail(key, "must not be empty");
        return v;
    }

    int integer(const std::string& key, int fallback, int min, int max)
    {
        if (!ok() || !_config.hasProperty(key))
            return fallback;
        std::string raw = _config.getString(key);
        int v = 0;
        if (!Poco::NumberParser::tryParse(raw, v))
        {
            fail(key, "must be an integer, got '" + raw + "'");
            return fallback;
        }
        if (v < min || v > max)
            fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + raw);
        return v;
    }

    void oneOf(const std::string& key, const std::string& value, std::initializer_list<const char*> allowed)
    {
        if (!ok())
            return;
        std::string list;
        for (const char* a : allowed)
        {
            if (value == a)
                return;
            list += (list.empty() ? "'" : " or '") + std::string(a) + "'";
        }
        fail(key, "must be " + list + ", got '" + value + "'");
    }

    void readableFile(const std::string& key, const std::string& path)
    {
        if (!ok())
            return;
        Poco::File f(path);
        if (!f.exists())
            fail(key, "file '" + path + "' does not exist");
        else if (!f.isFile() || !f.canRead())
            fail(key, "'" + path + "' is not a readable file");
    }

    void fail(const std::string& key, const std::string& what)
    {
        if (ok())
            _error = Status::invalid(key + ": " + what);
    }

private:
    const Poco::Util::AbstractConfiguration& _config;
    Status _error;
};

bool isInstitutionCode(const std::string& s)
{
    if (s.size() != 16)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
            return false;
    return true;
}

bool isNodeId(const std::string& s)
{
    if (s.empty() || s.size() > 64)
        return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
            return false;
    return true;
}

} // namespace

Result<Settings> Settings::load(const Poco::Util::AbstractConfiguration& config, bool needListener)
{
    Reader r(config);
    Settings s;
    s.nodeId = r.text("chukan.node.id", "node-1");
    if (r.ok() && !isNodeId(s.nodeId))
        r.fail("chukan.node.id", "must be 1 to 64 of A-Z a-z 0-9 - _ ., got '" + s.nodeId + "'");
    s.dataDir = r.text("chukan.data.dir", "", true);

    std::string backend = r.text("chukan.store.backend", "sqlite");
    r.oneOf("chukan.store.backend", backend, {"sqlite", "mariadb"});
    s.store.backend = backend == "mariadb" ? Database::MARIADB : Database::SQLITE;
    s.store.poolMax = r.integer("chukan.store.pool.max", 16, 1, 256);
    if (s.store.backend == Database::SQLITE)
    {
        std::string file = r.text("chukan.store.sqlite.file", "chukan.db");
        Poco::Path p(file);
        s.store.sqlitePath = p.isAbsolute() ? file : Poco::Path(Poco::Path(s.dataDir).makeDirectory(), p).toString();
    }
    else
    {
        s.store.mariadbHost = r.text("chukan.store.mariadb.host", "127.0.0.1");
        s.store.mariadbPort = r.integer("chukan.store.mariadb.port", 3306, 1, 65535);
        s.store.mariadbUser = r.text("chukan.store.mariadb.user", "", true);
        s.store.mariadbPassword = r.text("chukan.store.mariadb.password", "");
        s.store.mariadbDatabase = r.text("chukan.store.mariadb.database", "", true);
    }

    s.recordsRetentionDays = r.integer("chukan.records.retentionDays", 2557, 1, 36500);
    s.inquiryResultRetentionDays = r.integer("chukan.inquiry.resultRetentionDays", 30, 1, 3650);
    s.auditRetentionDays = r.integer("chukan.audit.retentionDays", 2557, 1, 36500);
    s.retentionIntervalSeconds = r.integer("chukan.retention.intervalSeconds", 3600, 1, 7 * 86400);
    s.retentionHistoryDays = r.integer("chukan.retention.historyDays", 90, 1, 3650);
    s.logLevel = r.text("chukan.log.level", "information");
    r.oneOf("chukan.log.level", s.logLevel, {"fatal", "critical", "error", "warning", "notice", "information", "debug", "trace"});
    s.logFormat = r.text("chukan.log.format", "json");
    r.oneOf("chukan.log.format", s.logFormat, {"json", "text"});
    s.logFile = r.text("chukan.log.file", "");
    if (r.ok() && !s.logFile.empty() && !Poco::Path(s.logFile).isAbsolute())
        s.logFile = Poco::Path(Poco::Path(s.dataDir).makeDirectory(), s.logFile).toString();
    int rotateMb = r.integer("chukan.log.rotateMegabytes", 10, 1, 10240);
    s.logRotateSize = std::to_string(rotateMb) + " M";
    s.logKeep = r.integer("chukan.log.keep", 10, 1, 1000);

    s.schemasDir = r.text("chukan.schemas.dir", "conf/schemas");
    s.layoutsDir = r.text("chukan.layouts.dir", "conf/layouts");
    int deadlineHours = r.integer("chukan.holds.deadlineHours", 72, 1, 24 * 365);
    s.holdDeadlineSeconds = Poco::Int64(deadlineHours) * 3600;
    if (r.ok() && config.hasProperty("chukan.holds.deadlineSeconds"))
    {
        if (config.hasProperty("chukan.holds.deadlineHours"))
            r.fail("chukan.holds.deadlineSeconds", "set either chukan.holds.deadlineHours or this key, not both");
        s.holdDeadlineSeconds = r.integer("chukan.holds.deadlineSeconds", 0, 1, 24 * 365 * 3600);
    }
    std::string fourEyes = r.text("chukan.holds.fourEyes", "true");
    r.oneOf("chukan.holds.fourEyes", fourEyes, {"true", "false"});
    s.holdFourEyes = fourEyes == "true";
    s.workerThreads = r.integer("chukan.workers", 8, 1, 64);
    s.httpThreads = r.integer("chukan.http.threads", 192, 4, 1024);
    s.httpKeepAliveSeconds = r.integer("chukan.http.keepAliveSeconds", 10, 1, 3600);
    s.inquiryResendSeconds = r.integer("chukan.inquiry.resendSeconds", 300, 1, 86400);
    s.replicaDropDir = r.text("chukan.replica.dropDir", "");
    if (r.ok() && !s.replicaDropDir.empty() &&
        (!Poco::File(s.replicaDropDir).exists() || !Poco::File(s.replicaDropDir).isDirectory()))
        r.fail("chukan.replica.dropDir", "'" + s.replicaDropDir + "' is not a directory");
    s.replicaDropPollSeconds = r.integer("chukan.replica.dropPollSeconds", 10, 1, 3600);
    s.replicaConnections = r.integer("chukan.replica.connections", 2, 1, 8);
    if (r.ok() && s.replicaConnections >= s.store.poolMax)
        r.fail("chukan.replica.connections",
               std::to_string(s.replicaConnections) + " must be below chukan.store.pool.max (" +
                   std::to_string(s.store.poolMax) + ")");

    // The staff console (docs/console-api.md, "Configuration").
    ConsoleSettings& c = s.console;
    c.dir = r.text("chukan.console.dir", "gateway/console");
    if (r.ok() && config.hasProperty("chukan.console.dir") &&
        (!Poco::File(c.dir).exists() || !Poco::File(c.dir).isDirectory()))
        r.fail("chukan.console.dir", "'" + c.dir + "' is not a directory");
    c.idleTimeoutMinutes = r.integer("chukan.console.idleTimeoutMinutes", 15, 1, 240);
    if (config.hasProperty("chukan.console.idleTimeoutSeconds"))
    {
        // Seconds for tests that watch the automatic log-off; one key or the other.
        if (config.hasProperty("chukan.console.idleTimeoutMinutes"))
            r.fail("chukan.console.idleTimeoutSeconds",
                   "set either chukan.console.idleTimeoutMinutes or this key, not both");
        c.idleTimeoutSeconds = r.integer("chukan.console.idleTimeoutSeconds", 0, 5, 240 * 60);
    }
    c.absoluteTimeoutMinutes = r.integer("chukan.console.absoluteTimeoutMinutes", 480, 5, 1440);
    if (r.ok() && c.absoluteTimeoutMinutes * 60LL < c.idleSeconds())
        r.fail("chukan.console.absoluteTimeoutMinutes",
               "must not be shorter than the idle time-out (" + std::to_string(c.idleSeconds()) + " s)");
    c.account.maxFailedLogins = r.integer("chukan.console.maxFailedLogins", 5, 1, 100);
    c.account.lockoutMinutes = r.integer("chukan.console.lockoutMinutes", 30, 0, 10080);
    c.account.passwordExpiryDays = r.integer("chukan.console.passwordExpiryDays", 90, 0, 3650);
    c.account.dormantDays = r.integer("chukan.console.dormantDays", 90, 0, 3650);
    c.passwordMinLength = r.integer("chukan.console.passwordMinLength", 12, 12, 256);
    std::string kdf = r.text("chukan.console.kdf", "scrypt");
    r.oneOf("chukan.console.kdf", kdf, {"scrypt", "pbkdf2-sha256"});
    c.kdf.kind = kdf == "pbkdf2-sha256" ? KdfParams::PBKDF2_SHA256 : KdfParams::SCRYPT;
    c.kdf.scryptLogN = r.integer("chukan.console.scryptLogN", 15, 10, 20);
    c.kdf.pbkdf2Iterations = r.integer("chukan.console.pbkdf2Iterations", 600000, 10000, 10000000);
    Poco::StringTokenizer origins(r.text("chukan.console.origins", ""), ",",
                                  Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const std::string& o : origins)
    {
        if (r.ok() && (o.compare(0, 8, "https://") != 0 || o.find('/', 8) != std::string::npos))
            r.fail("chukan.console.origins", "'" + o + "' is not an origin like https://host:port");
        c.origins.push_back(o);
    }

    std::string tenantList = r.text("chukan.tenants", "");
    Poco::StringTokenizer codes(tenantList, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const std::string& code : codes)
    {
        if (!r.ok())
            break;
        Result<TenantCode> tc = TenantCode::parse(code);
        if (!tc)
        {
            r.fail("chukan.tenants", tc.status().message());
            break;
        }
        std::string prefix = "chukan.tenant." + code + ".";
        TenantProfile p{tc.value(), "", "", "", "", ""};
        p.institutionCode = r.text(prefix + "institution", "", true);
        if (r.ok() && !isInstitutionCode(p.institutionCode))
            r.fail(prefix + "institution", "must be 16 capital letters or digits, got '" + p.institutionCode + "'");
        p.encryptionCertPath = r.text(prefix + "encryption.certificate", "", true);
        r.readableFile(prefix + "encryption.certificate", p.encryptionCertPath);
        p.encryptionKeyPath = r.text(prefix + "encryption.privateKey", "", true);
        r.readableFile(prefix + "encryption.privateKey", p.encryptionKeyPath);
        p.networkCertPath = r.text(prefix + "network.certificate", "", true);
        r.readableFile(prefix + "network.certificate", p.networkCertPath);
        p.networkKeyPath = r.text(prefix + "network.privateKey", "", true);
        r.readableFile(prefix + "network.privateKey", p.networkKeyPath);
        for (const TenantProfile& other : s.tenants)
            if (r.ok() && (other.tenant == p.tenant || other.institutionCode == p.institutionCode))
                r.fail("chukan.tenants", "tenant " + code + " or its institution code is listed twice");
        s.tenants.push_back(p);
    }

    s.networkUrl = r.text("chukan.network.url", "");
    if (r.ok() && !s.networkUrl.empty())
    {
        if (s.networkUrl.compare(0, 8, "https://") != 0)
            r.fail("chukan.network.url", "must start with https://, got '" + s.networkUrl + "'");
        s.networkCaFile = r.text("chukan.network.caFile", "", true);
        r.readableFile("chukan.network.caFile", s.networkCaFile);
        s.networkTrustAnchor = r.text("chukan.network.trustAnchor", "", true);
        r.readableFile("chukan.network.trustAnchor", s.networkTrustAnchor);
        s.networkRetryAttempts = r.integer("chukan.network.retryAttempts", 6, 1, 100);
        s.networkTimeoutSeconds = r.integer("chukan.network.timeoutSeconds", 10, 1, 600);
        s.networkPeerOrganization = r.text("chukan.network.peerOrganization", "ipn");
    }

    if (needListener)
    {
        s.listenHost = r.text("chukan.listen.host", "127.0.0.1");
        s.listenPort = r.integer("chukan.listen.port", 8443, 0, 65535);
        s.tlsCertificate = r.text("chukan.tls.certificate", "", true);
        r.readableFile("chukan.tls.certificate", s.tlsCertificate);
        s.tlsPrivateKey = r.text("chukan.tls.privateKey", "", true);
        r.readableFile("chukan.tls.privateKey", s.tlsPrivateKey);
        s.tlsCaFile = r.text("chukan.tls.caFile", "", true);
        r.readableFile("chukan.tls.caFile", s.tlsCaFile);
    }
    if (!r.ok())
        return r.error();
    return s;
}

const TenantProfile* Settings::profile(const std::string& tenantCode) const
{
    for (const TenantProfile& p : tenants)
        if (p.tenant.str() == tenantCode)
            return &p;
    return nullptr;
}

const TenantProfile* Settings::profileByInstitution(const std::string& institutionCode) const
{
    for (const TenantProfile& p : tenants)
        if (p.institutionCode == institutionCode)
            return &p;
    return nullptr;
}

} // namespace chukan
