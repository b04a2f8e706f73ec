// PermissionsCommand: fetch the signed permission list through the network, verify it against the
// trust anchor, list entries.
#include "gateway/PermissionsCommand.h"

#include "adapters/IpnClient.h"
#include "adapters/TlsContexts.h"
#include "codecs/CryptoTrustStore.h"
#include "codecs/IpnMessage.h"
#include "codecs/PermitList.h"
#include "codecs/SecureXmlParser.h"
#include "codecs/SignedEnvelope.h"
#include "codecs/SignedPayload.h"
#include "codecs/SignedTime.h"
#include "codecs/XmlSchemaCatalog.h"
#include "gateway/CryptoInput.h"
#include "gateway/CtlArgs.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iomanip>
#include <sstream>

namespace chukan
{

std::string PermissionsCommand::help() const
{
    return "usage: chukanctl [--config FILE] permissions fetch TENANT --out FILE\n"
           "       chukanctl [--config FILE] permissions show [FILE] [--trust CA_PEM] [--requester "
           "CODE16]\n"
           "                 [--provider CODE16] [--jimu CODE16] [--item CODE16] [--at ISO8601]\n"
           "                 [--format table|json]\n"
           "\n"
           "The permission list (照会許可用照合リスト) is the network's; every gateway node "
           "fetches and\n"
           "verifies it itself every 5 minutes. These commands let an operator look at the same "
           "list.\n"
           "\n"
           "  fetch   GETs the signed list from chukan.network.url with TENANT's network "
           "certificate,\n"
           "          verifies it against chukan.network.trustAnchor and writes it, unchanged, to\n"
           "          FILE (never overwriting an existing file). Prints its id, issue time and "
           "size.\n"
           "  show    verifies a signed list (FILE, '-' for stdin) against --trust (default:\n"
           "          chukan.network.trustAnchor of the configuration) and lists its entries;\n"
           "          filters keep entries with that requester/provider 機関コード, 事務 or data "
           "item;\n"
           "          --at keeps entries valid at that time. Without FILE, fetches like `fetch`\n"
           "          for the configuration's first tenant and shows the result.\n"
           "\n"
           "exit codes: 0 ok (show: also when no entry matches), 1 refused (signature, signer, \n"
           "malformed list) or nothing written, 2 usage, 69 network unavailable, 78 "
           "configuration\n";
}

namespace
{

struct Fetched
{
    int code = CTL_OK;
    std::string document;
};

/// The trust anchors: --trust, else chukan.network.trustAnchor.
Result<CryptoTrustStore> trustFrom(CtlContext& ctx, const std::string& explicitPath)
{
    std::string path = explicitPath;
    if (path.empty())
    {
        const Settings* s = ctx.settings();
        if (!s)
            return Status::invalid("no configuration to take chukan.network.trustAnchor from");
        path = s->networkTrustAnchor;
        if (path.empty())
            return Status::invalid("chukan.network.trustAnchor is not set; pass --trust CA_PEM");
    }
    Result<std::string> pem = CryptoInput::file(path, "trust anchors");
    if (!pem)
        return pem.status();
    return CryptoTrustStore::fromPem(pem.value());
}

Fetched fetchList(CtlContext& ctx, const std::string& tenant, const char* who)
{
    Fetched f;
    const Settings* s = ctx.settings();
    if (!s)
    {
        f.code = ctx.failureCode();
        return f;
    }
    if (s->networkUrl.empty())
    {
        ctx.err << "chukanctl permissions " << who << ": chukan.network.url is not set in "
                << ctx.configFile() << "\n";
        f.code = CTL_CONFIG;
        return f;
    }
    const TenantProfile* p =
        tenant.empty() ? (s->tenants.empty() ? nullptr : &s->tenants.front()) : s->profile(tenant);
    if (!p)
    {
        ctx.err << "chukanctl permissions " << who << ": tenant '" << tenant
                << "' is not configured (chukan.tenants)\n";
        f.code = CTL_USAGE;
        return f;
    }
    try
    {
        XmlSchemaCatalog schemas(s->schemasDir);
        Result<std::shared_ptr<const XmlSchema>> ipn = schemas.get(IpnMessage::SCHEMA_NAME);
        if (!ipn)
        {
            ctx.err << "chukanctl permissions " << who
                    << ": chukan.schemas.dir: " << ipn.status().message() << "\n";
            f.code = CTL_CONFIG;
            return f;
        }
        TlsContexts::initialize();
        IpnClient::Options o;
        o.tls = TlsContexts::client(p->networkCertPath, p->networkKeyPath, s->networkCaFile);
        o.parser = std::make_shared<SecureXmlParser>(ipn.value());
        o.maxAttempts = 2;
        o.deadline = std::chrono::milliseconds(15000);
        IpnClient client(o);
        Result<std::string> doc = client.get(s->networkUrl + "/ipn/v1/permission-list");
        if (!doc)
        {
            ctx.err << "chukanctl permissions " << who << ": " << doc.status().toString() << "\n";
            f.code = doc.status().code() == Status::UNAVAILABLE ? CTL_UNAVAILABLE : CTL_FAILED;
            return f;
        }
        f.document = doc.value();
    }
    catch (const Poco::Exception& e)
    {
        ctx.err << "chukanctl permissions " << who << ": " << e.displayText() << "\n";
        f.code = CTL_CONFIG;
    }
    return f;
}

/// Verifies and parses; prints the refusal and returns nullopt when it is not good.
std::optional<PermitList> verified(CtlContext& ctx, const std::string& document,
                                   const CryptoTrustStore& trust, const char* who)
{
    Result<SignedEnvelope> env = SignedEnvelope::parse(document);
    Status st = env ? env->verify(trust, Poco::Timestamp()) : env.status();
    if (!st)
    {
        ctx.err << "chukanctl permissions " << who << ": REFUSED " << st.toString() << "\n";
        return std::nullopt;
    }
    Result<PermitList> list = PermitList::parse(env->payload());
    if (!list)
    {
        ctx.err << "chukanctl permissions " << who << ": REFUSED " << list.status().toString()
                << "\n";
        return std::nullopt;
    }
    return std::move(list).value();
}

} // namespace

int PermissionsCommand::run(CtlContext& ctx, const std::vector<std::string>& args)
{
    if (args.empty() || args[0] == "--help" || args[0] == "-h")
    {
        (args.empty() ? ctx.err : ctx.out) << help();
        return args.empty() ? CTL_USAGE : CTL_OK;
    }
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "fetch")
        return fetch(ctx, rest);
    if (args[0] == "show")
        return show(ctx, rest);
    ctx.err << "chukanctl permissions: unknown verb '" << args[0] << "' (fetch or show)\n"
            << help();
    return CTL_USAGE;
}

int PermissionsCommand::fetch(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"out", "trust"});
    std::string problem;
    if (!parsed)
        problem = parsed.status().message();
    else if (parsed->positionals().size() != 1)
        problem = "expected one TENANT";
    else if (!parsed->has("out"))
        problem = "--out FILE is required";
    else if (Poco::File(parsed->get("out")).exists())
        problem = "--out " + parsed->get("out") + " exists; it is never overwritten";
    if (!problem.empty())
    {
        ctx.err << "chukanctl permissions fetch: " << problem << "\n" << help();
        return CTL_USAGE;
    }
    Result<CryptoTrustStore> trust = trustFrom(ctx, parsed->get("trust"));
    if (!trust)
    {
        ctx.err << "chukanctl permissions fetch: " << trust.status().message() << "\n";
        return ctx.failureCode() != CTL_OK ? ctx.failureCode() : CTL_CONFIG;
    }
    Fetched f = fetchList(ctx, parsed->positionals()[0], "fetch");
    if (f.code != CTL_OK)
        return f.code;
    std::optional<PermitList> list = verified(ctx, f.document, trust.value(), "fetch");
    if (!list)
        return CTL_FAILED; // nothing written
    try
    {
        Poco::FileOutputStream out(parsed->get("out"));
        out << f.document;
        out.close();
    }
    catch (const Poco::Exception& e)
    {
        ctx.err << "chukanctl permissions fetch: cannot write " << parsed->get("out") << ": "
                << e.displayText() << "\n";
        return CTL_FAILED;
    }
    ctx.out << "permission list " << list->listId << " issued "
            << SignedTime::format(list->issuedAt) << ": " << list->entries.size()
            << " entries, signature verified, written to " << parsed->get("out") << "\n";
    return CTL_OK;
}

int PermissionsCommand::show(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed =
        CtlArgs::parse(argv, {"trust", "requester", "provider", "jimu", "item", "at", "format"});
    std::string problem;
    if (!parsed)
        problem = parsed.status().message();
    else if (parsed->positionals().size() > 1)
        problem = "expected at most one FILE";
    else
    {
        for (const char* key : {"requester", "provider", "jimu", "item"})
            if (parsed->has(key) && !SignedPayload::isCode16(parsed->get(key)))
                problem = std::string("--") + key + " '" + parsed->get(key) +
                          "' is not a 16-character code";
        std::string format = parsed->get("format", "table");
        if (format != "table" && format != "json")
            problem = "--format must be table or json, got '" + format + "'";
    }
    Poco::Timestamp at;
    bool atGiven = problem.empty() && parsed->has("at");
    if (atGiven)
    {
        Result<Poco::Timestamp> t = SignedTime::parse(parsed->get("at"), "--at");
        if (t)
            at = t.value();
        else
            problem = t.status().message();
    }
    if (!problem.empty())
    {
        ctx.err << "chukanctl permissions show: " << problem << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    Result<CryptoTrustStore> trust = trustFrom(ctx, args.get("trust"));
    if (!trust)
    {
        ctx.err << "chukanctl permissions show: " << trust.status().message() << "\n";
        return ctx.failureCode() != CTL_OK ? ctx.failureCode() : CTL_CONFIG;
    }
    std::string document;
    if (args.positionals().empty())
    {
        Fetched f = fetchList(ctx, "", "show");
        if (f.code != CTL_OK)
            return f.code;
        document = f.document;
    }
    else
    {
        const std::string& path = args.positionals()[0];
        Result<std::string> doc = path == "-" ? CryptoInput::stream(std::cin, "stdin")
                                              : CryptoInput::file(path, "permission list");
        if (!doc)
        {
            ctx.err << "chukanctl permissions show: " << doc.status().message() << "\n";
            return CTL_FAILED;
        }
        document = doc.value();
    }
    std::optional<PermitList> list = verified(ctx, document, trust.value(), "show");
    if (!list)
        return CTL_FAILED;

    std::vector<const PermitList::Entry*> kept;
    for (const PermitList::Entry& e : list->entries)
    {
        if ((args.has("requester") && e.requesterInstitution != args.get("requester")) ||
            (args.has("provider") && e.providerInstitution != args.get("provider")) ||
            (args.has("jimu") && e.jimuCode != args.get("jimu")) ||
            (args.has("item") && e.dataItemCode != args.get("item")) ||
            (atGiven && (at < e.validFrom || !(at < e.validTo))))
            continue;
        kept.push_back(&e);
    }
    if (args.get("format", "table") == "json")
    {
        Poco::JSON::Object root;
        root.set("listId", list->listId);
        root.set("issuedAt", SignedTime::format(list->issuedAt));
        root.set("entries", static_cast<int>(list->entries.size()));
        Poco::JSON::Array rows;
        for (const PermitList::Entry* e : kept)
        {
            Poco::JSON::Object o;
            o.set("requesterInstitution", e->requesterInstitution);
            o.set("providerInstitution", e->providerInstitution);
            o.set("jimuCode", e->jimuCode);
            o.set("procedureCode", e->procedureCode);
            o.set("dataItemCode", e->dataItemCode);
            o.set("validFrom", SignedTime::format(e->validFrom));
            o.set("validTo", SignedTime::format(e->validTo));
            rows.add(o);
        }
        root.set("matching", rows);
        root.stringify(ctx.out);
        ctx.out << "\n";
        return CTL_OK;
    }
    ctx.out << "permission list " << list->listId << " issued "
            << SignedTime::format(list->issuedAt) << ", signature verified: " << kept.size()
            << " of " << list->entries.size() << " entries\n";
    if (kept.empty())
        return CTL_OK;
    ctx.out << std::left << std::setw(18) << "requester" << std::setw(18) << "provider"
            << std::setw(18) << "jimu" << std::setw(18) << "procedure" << std::setw(18) << "item"
            << "valid\n";
    for (const PermitList::Entry* e : kept)
        ctx.out << std::setw(18) << e->requesterInstitution << std::setw(18)
                << e->providerInstitution << std::setw(18) << e->jimuCode << std::setw(18)
                << e->procedureCode << std::setw(18) << e->dataItemCode
                << SignedTime::format(e->validFrom) << " .. " << SignedTime::format(e->validTo)
                << "\n";
    return CTL_OK;
}

} // namespace chukan
