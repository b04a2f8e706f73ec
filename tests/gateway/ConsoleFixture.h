// ConsoleFixture: ConsoleRoutes over a GatewayFixture — staff terminals of 千葉市 and 防府市,
// staff, logins, calls, and a held provision.
#pragma once

#include "adapters/AuditStore.h"
#include "adapters/FugoStore.h"
#include "adapters/HoldStore.h"
#include "adapters/ReplicaStore.h"
#include "codecs/SignedEnvelope.h"
#include "gateway/ConsoleRoutes.h"
#include "gateway/ProvisionService.h"
#include "tests/gateway/GatewayFixture.h"
#include "tests/support/TestPki.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <memory>
#include <string>

namespace chukan
{
namespace test
{

/// The network's signer and 千葉市's encryption key, made once per test binary.
struct ConsoleNetworkPki
{
    TestPki pki{"network root"};
    TestIdentity signer = pki.issue("network signing", TestPki::documentSigner());
    TestIdentity chibaEncryption = pki.issue("chiba encryption", TestPki::Key::RSA);
};

inline const ConsoleNetworkPki& consoleNetworkPki()
{
    static ConsoleNetworkPki n;
    return n;
}

/// A logged-in console session: the cookie token and the CSRF token, on one terminal.
struct ConsoleSession
{
    std::string tenant;      ///< the terminal certificate's O=
    std::string fingerprint; ///< the terminal certificate
    std::string token;       ///< chukan_console cookie value
    std::string csrf;
    std::string loginId;
};

class ConsoleFixture
{
public:
    static constexpr const char* CHIBA = "121002";
    static constexpr const char* HOFU = "352063";
    static constexpr const char* CHIBA_INST = "1210020000000000";
    static constexpr const char* HOFU_INST = "3520630000000000";
    /// Meets PasswordPolicy for any login id used in the tests.
    static constexpr const char* PASSWORD = "Kensa-Pass-2026!";
    static constexpr const char* HOST = "chukan.test:8443";

    ConsoleFixture()
    {
        f.reset(new GatewayFixture);
        ConsoleSettings& c = f->services->settings.console;
        c.kdf.kind = KdfParams::PBKDF2_SHA256; // fast enough for many logins per test
        c.kdf.pbkdf2Iterations = 10000;
        chibaTerminal = f->addSystem(CHIBA, "terminal-1", {"console"});
        hofuTerminal = f->addSystem(HOFU, "terminal-1", {"console"});
        provisions = std::make_shared<ProvisionService>(*f->services);
        routes.reset(new ConsoleRoutes(*f->services, provisions));
    }

    static TenantCode code(const std::string& tenant) { return TenantCode::parse(tenant).value(); }
    std::string terminalOf(const std::string& tenant) const
    {
        return tenant == CHIBA ? chibaTerminal : hofuTerminal;
    }
    StaffService& staff() { return *routes->staff(); }

    /// Adds an account with PASSWORD (no change required) or, with oneTime, a generated
    /// one-time password (returned).
    std::string addStaff(const std::string& tenant, const std::string& loginId,
                         const std::string& role, bool oneTime = false)
    {
        Result<std::string> r = staff().addStaff(code(tenant), loginId, "職員 " + loginId, role,
                                                 oneTime ? "" : PASSWORD, "test");
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        return r.value();
    }

    /// A request from a terminal, as PipelineHandler would fill it.
    Exchange request(const std::string& tenant, const std::string& fingerprint,
                     const std::string& method, const std::string& path,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& query = {},
                     const std::map<std::string, std::string>& headers = {})
    {
        Exchange ex;
        ex.requestId = "req-console";
        ex.clientOrganization = tenant;
        ex.clientFingerprint = fingerprint;
        ex.clientCommonName = "terminal";
        ex.method = method;
        ex.path = path;
        ex.query = query;
        ex.body = body;
        ex.contentType = "application/json";
        ex.headers["host"] = HOST;
        for (const auto& h : headers)
            ex.headers[h.first] = h.second;
        return ex;
    }

    Exchange dispatch(Exchange ex)
    {
        routes->dispatch(ex);
        return ex;
    }

    /// POST /console/api/login; the reply (status and all) for the caller to check.
    Exchange loginReply(const std::string& tenant, const std::string& loginId,
                        const std::string& password, const std::string& fingerprint = "")
    {
        return dispatch(
            request(tenant, fingerprint.empty() ? terminalOf(tenant) : fingerprint, "POST",
                    "/console/api/login",
                    "{\"loginId\":\"" + loginId + "\",\"password\":\"" + password + "\"}"));
    }

    /// A successful login (asserted).
    ConsoleSession login(const std::string& tenant, const std::string& loginId,
                         const std::string& password = PASSWORD,
                         const std::string& fingerprint = "")
    {
        Exchange ex = loginReply(tenant, loginId, password, fingerprint);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ex.replyBody, 200, static_cast<int>(ex.status));
        ConsoleSession s;
        s.tenant = tenant;
        s.fingerprint = fingerprint.empty() ? terminalOf(tenant) : fingerprint;
        s.loginId = loginId;
        std::string cookie = header(ex, "Set-Cookie");
        std::size_t eq = cookie.find('=');
        s.token = cookie.substr(eq + 1, cookie.find(';') - eq - 1);
        s.csrf = json(ex)->getValue<std::string>("csrfToken");
        return s;
    }

    /// A call in a session: cookie and (for POST) the CSRF token set, same-origin.
    Exchange call(const ConsoleSession& s, const std::string& method, const std::string& path,
                  const std::string& body = "",
                  const std::map<std::string, std::string>& query = {},
                  std::map<std::string, std::string> headers = {})
    {
        headers.emplace("cookie", std::string("chukan_console=") + s.token);
        if (method == "POST")
            headers.emplace("x-csrf-token", s.csrf);
        return dispatch(request(s.tenant, s.fingerprint, method, path, body, query, headers));
    }

    static std::string header(const Exchange& ex, const std::string& name)
    {
        for (const auto& h : ex.replyHeaders)
            if (h.first == name)
                return h.second;
        return "";
    }

    static Poco::JSON::Object::Ptr json(const Exchange& ex)
    {
        Poco::JSON::Parser p;
        return p.parse(ex.replyBody).extract<Poco::JSON::Object::Ptr>();
    }

    /// The tenant's audit entries, optionally of one operation and/or staff member.
    std::vector<AuditEntry> audits(const std::string& tenant, const std::string& operation = "",
                                   const std::string& staffId = "")
    {
        AuditFilter filter;
        filter.operation = operation;
        filter.staffId = staffId;
        return AuditStore(f->store.db()).query(code(tenant), filter, 0, 10000);
    }

    // --- a held provision at 防府市 (the provider), asked for by 千葉市

    /// Loads the network's permission list and directory, a 符号 and a 副本 item flagged
    /// 自動応答不可 for resident 000000000000777 at 防府市, and receives an inquiry for it:
    /// returns the hold id (H-<messageId>).
    std::string heldProvision(const std::string& messageId = "MSG-00000010")
    {
        if (!f->services->documents)
            loadNetworkDocuments();
        Poco::Timestamp now(f->clock->nowMicros());
        Permit p;
        p.permitId = "P-" + messageId.substr(4);
        p.requesterInstitution = CHIBA_INST;
        p.providerInstitution = HOFU_INST;
        p.jimuCode = "JM01000000121000";
        p.procedureCode = "JT01010000000214";
        p.dataItemCode = "TM00000000000002";
        Poco::Int64 t = f->clock->nowMicros() / 1000000;
        p.issuedAt = Poco::Timestamp::fromEpochTime(t);
        p.notBefore = Poco::Timestamp::fromEpochTime(t - 60);
        p.expiry = Poco::Timestamp::fromEpochTime(t + 600);
        p.nonce = "nonce-" + messageId + "-0123456789";
        IpnMessage m;
        m.kind = IpnMessage::Kind::Inquiry;
        m.header.messageId = messageId;
        m.header.sentAt = now;
        m.header.from = "IPN";
        m.header.to = HOFU_INST;
        m.serial = "S" + messageId.substr(4);
        m.permitId = p.permitId;
        m.signedPermit = sign(p.toJson());
        m.providerFugo = "FUGO-HOFU-777-ABCDEFGH";
        m.route = CHIBA_INST;
        IpnMessage reply = provisions->receive(m);
        CPPUNIT_ASSERT_MESSAGE(reply.errorMessage, reply.kind == IpnMessage::Kind::Ack);
        std::string holdId = "H-" + messageId;
        CPPUNIT_ASSERT(HoldStore(f->store.db()).get(code(HOFU), holdId).has_value());
        return holdId;
    }

    std::unique_ptr<GatewayFixture> f;
    std::string chibaTerminal;
    std::string hofuTerminal;
    std::shared_ptr<ProvisionService> provisions;
    std::unique_ptr<ConsoleRoutes> routes;

private:
    static std::string sign(const std::string& payload)
    {
        const ConsoleNetworkPki& n = consoleNetworkPki();
        return SignedEnvelope::sign(payload, n.signer.keyPem, n.signer.certPem).value().toJson();
    }

    void loadNetworkDocuments()
    {
        const ConsoleNetworkPki& n = consoleNetworkPki();
        Poco::Timestamp now(f->clock->nowMicros());
        auto trust = std::make_shared<CryptoTrustStore>(
            CryptoTrustStore::fromPem(n.pki.ca().certPem).value());
        f->services->documents = std::make_shared<NetworkDocuments>(trust);
        PermitList list;
        list.listId = "L1";
        list.issuedAt = now;
        list.entries.push_back(PermitList::Entry{CHIBA_INST, HOFU_INST, "JM01000000121000",
                                                 "JT01010000000214", "TM00000000000002",
                                                 Poco::Timestamp::fromEpochTime(1700000000),
                                                 Poco::Timestamp::fromEpochTime(1900000000)});
        CPPUNIT_ASSERT(f->services->documents->loadPermissionList(sign(list.toJson()), now).isOk());
        SignedDirectory dir;
        dir.directoryId = "D1";
        dir.issuedAt = now;
        dir.institutions.push_back(
            {CHIBA_INST, "千葉市", "https://127.0.0.1:1", n.chibaEncryption.certPem});
        CPPUNIT_ASSERT(f->services->documents->loadDirectory(sign(dir.toJson()), now).isOk());
        FugoStore(f->store.db())
            .putObtained(code(HOFU), "000000000000777", "FUGO-HOFU-777-ABCDEFGH", 1);
        ReplicaItem item;
        item.recordId = "R1";
        item.version = 1;
        item.atenaNo = "000000000000777";
        item.itemCode = "TM00000000000002";
        item.datasetKey = "2026";
        item.payload = "<接種記録><回数>2</回数></接種記録>";
        item.autoAnswer = false; // 自動応答不可: held for a reviewer
        item.sourceSystem = "yobou";
        Status st = ReplicaStore(f->store.db()).put(code(HOFU), item, 1);
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
    }
};

} // namespace test
} // namespace chukan
