// SystemCommand: connected-system administration over SystemStore; the certificate is named by its fingerprint.
#include "gateway/SystemCommand.h"

#include "adapters/Clock.h"
#include "adapters/Migrator.h"
#include "adapters/SystemStore.h"
#include "codecs/CryptoPem.h"
#include "gateway/CtlArgs.h"

#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/StringTokenizer.h>

#include <openssl/x509.h>

namespace chukan {

std::string SystemCommand::help() const
{
    return "usage: chukanctl system add TENANT --id ID --name NAME --cert CERT.pem --operations OP[,OP…] [--jimu CODE[,CODE…]]\n"
           "       chukanctl system list TENANT\n"
           "       chukanctl system enable|disable TENANT ID\n"
           "\n"
           "  TENANT        地方公共団体コード of the hosted institution (e.g. 121002)\n"
           "  --cert        the system's TLS client certificate; its SHA-256 fingerprint is registered\n"
           "                and its subject must carry O=TENANT\n"
           "  --operations  fugo.register, replica.register, inquiry, review, stats, jobs\n"
           "  --jimu        事務コード (16 characters) the system may inquire under\n";
}

Result<std::string> SystemCommand::fingerprintOf(const std::string& pemPath)
{
    std::string pem;
    try
    {
        Poco::FileInputStream in(pemPath);
        Poco::StreamCopier::copyToString(in, pem);
    }
    catch (const Poco::Exception& e)
    {
        return Status::invalid("--cert " + pemPath + ": " + e.displayText());
    }
    Result<X509Ptr> cert = CryptoPem::certificate(pem, "--cert " + pemPath);
    if (!cert)
        return cert.status();
    unsigned char md[32];
    unsigned int len = 0;
    X509_digest(cert.value().get(), EVP_sha256(), md, &len);
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i)
    {
        out += digits[md[i] >> 4];
        out += digits[md[i] & 15];
    }
    return out;
}

int SystemCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"id", "name", "cert", "operations", "jimu"});
    if (!parsed)
    {
        ctx.err << "chukanctl system: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    const auto& pos = args.positionals();
    if (pos.size() < 2)
    {
        ctx.err << help();
        return CTL_USAGE;
    }
    const std::string& verb = pos[0];
    Result<TenantCode> tenant = TenantCode::parse(pos[1]);
    if (!tenant)
    {
        ctx.err << "chukanctl system " << verb << ": " << tenant.status().message() << std::endl;
        return CTL_USAGE;
    }
    bool toggle = verb == "enable" || verb == "disable";
    if ((verb == "add" || verb == "list") ? pos.size() != 2 : !(toggle && pos.size() == 3))
    {
        ctx.err << "chukanctl system: unexpected arguments\n" << help();
        return CTL_USAGE;
    }
    ConnectedSystem system;
    if (verb == "add")
    {
        for (const char* required : {"id", "name", "cert", "operations"})
            if (!args.has(required))
            {
                ctx.err << "chukanctl system add: --" << required << " is required\n" << help();
                return CTL_USAGE;
            }
        Result<std::string> fp = fingerprintOf(args.get("cert"));
        if (!fp)
        {
            ctx.err << "chukanctl system add: " << fp.status().message() << std::endl;
            return CTL_FAILED;
        }
        system.systemId = args.get("id");
        system.name = args.get("name");
        system.certFingerprint = fp.value();
        int opts = Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY;
        for (const std::string& op : Poco::StringTokenizer(args.get("operations"), ",", opts))
            system.operations.insert(op);
        for (const std::string& j : Poco::StringTokenizer(args.get("jimu"), ",", opts))
            system.jimuCodes.insert(j);
    }
    Database* db = ctx.database();
    if (!db)
        return ctx.failureCode();
    Result<int> migrated = Migrator(*db).migrate();
    if (!migrated)
    {
        ctx.err << "chukanctl: " << migrated.status().message() << std::endl;
        return CTL_FAILED;
    }
    SystemStore systems(*db);
    if (verb == "add")
    {
        Status st = systems.add(tenant.value(), system, SystemClock().nowMicros());
        if (!st)
        {
            ctx.err << "chukanctl system add: " << st.message() << std::endl;
            return CTL_FAILED;
        }
        ctx.out << "system " << system.systemId << " added to tenant " << tenant.value().str() << " (certificate "
                << system.certFingerprint << ")" << std::endl;
        return CTL_OK;
    }
    if (toggle)
    {
        Status st = systems.setEnabled(tenant.value(), pos[2], verb == "enable");
        if (!st)
        {
            ctx.err << "chukanctl system " << verb << ": " << st.message() << std::endl;
            return CTL_FAILED;
        }
        ctx.out << "system " << pos[2] << " " << verb << "d" << std::endl;
        return CTL_OK;
    }
    for (const ConnectedSystem& s : systems.list(tenant.value()))
    {
        std::string ops, jimu;
        for (const std::string& o : s.operations)
            ops += (ops.empty() ? "" : ",") + o;
        for (const std::string& j : s.jimuCodes)
            jimu += (jimu.empty() ? "" : ",") + j;
        ctx.out << s.systemId << "\t" << (s.enabled ? "enabled" : "disabled") << "\t" << s.certFingerprint << "\t"
                << ops << "\t" << jimu << "\t" << s.name << std::endl;
    }
    return CTL_OK;
}

} // namespace chukan
