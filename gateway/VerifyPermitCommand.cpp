// VerifyPermitCommand: SignedEnvelope + trust anchors + PermitVerifier::check; prints fields or the refusal.
#include "gateway/VerifyPermitCommand.h"

#include "codecs/CryptoPem.h"
#include "codecs/PermitVerifier.h"
#include "codecs/SignedEnvelope.h"
#include "codecs/SignedPayload.h"
#include "codecs/SignedTime.h"
#include "gateway/CryptoInput.h"
#include "gateway/CtlArgs.h"

namespace chukan {

std::string VerifyPermitCommand::help() const
{
    return "usage: chukanctl verify-permit FILE --trust CA_PEM [--institution CODE16] [--at ISO8601]\n"
           "\n"
           "Verifies a signed provision permit (情報提供許可証; SignedEnvelope JSON, see docs/crypto.md)\n"
           "and prints its fields, or the reason it is refused (exit 1): malformed, signer not\n"
           "trusted, signature does not verify, not yet valid, expired, wrongly addressed.\n"
           "\n"
           "  FILE                 the signed permit ('-' for stdin)\n"
           "  --trust CA_PEM       trust anchors (e.g. ca.pem from scripts/pki)\n"
           "  --institution CODE   this institution's 16-character 機関コード; the permit's provider\n"
           "                       must equal it (without it, addressing is not checked)\n"
           "  --at ISO8601         verify as of this time, e.g. 2025-04-01T09:00:00+09:00 (default: now)\n"
           "\n"
           "Replay (permit id or nonce already used) needs the store and is not checked here.\n"
           "No configuration or store is used. Exit 0 accepted, 1 refused, 2 usage.\n";
}

int VerifyPermitCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"trust", "institution", "at"});
    std::string problem;
    if (!parsed)
        problem = parsed.status().message();
    else if (parsed->positionals().size() != 1)
        problem = "expected one permit FILE";
    else if (!parsed->has("trust"))
        problem = "--trust CA_PEM is required";
    else if (parsed->has("institution") && !SignedPayload::isCode16(parsed->get("institution")))
        problem = "--institution '" + parsed->get("institution") + "' is not a 16-character 機関コード";
    Poco::Timestamp at;
    if (problem.empty() && parsed->has("at"))
    {
        Result<Poco::Timestamp> t = SignedTime::parse(parsed->get("at"), "--at");
        if (t)
            at = t.value();
        else
            problem = t.status().message();
    }
    if (!problem.empty())
    {
        ctx.err << "chukanctl verify-permit: " << problem << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    const std::string& path = args.positionals()[0];
    Result<std::string> doc =
        path == "-" ? CryptoInput::stream(std::cin, "stdin") : CryptoInput::file(path, "permit");
    Result<std::string> anchors = CryptoInput::file(args.get("trust"), "trust anchors");
    for (const Result<std::string>* r : {&doc, &anchors})
        if (!*r)
        {
            ctx.err << "chukanctl verify-permit: " << r->status().message() << std::endl;
            return CTL_FAILED;
        }
    Result<CryptoTrustStore> trust = CryptoTrustStore::fromPem(anchors.value());
    if (!trust)
    {
        ctx.err << "chukanctl verify-permit: " << trust.status().message() << std::endl;
        return CTL_FAILED;
    }
    auto refuse = [&ctx](const Status& s) {
        ctx.err << "chukanctl verify-permit: REFUSED " << s.toString() << std::endl;
        return CTL_FAILED;
    };
    Result<SignedEnvelope> env = SignedEnvelope::parse(doc.value());
    if (!env)
        return refuse(env.status());
    Status s = env->verify(trust.value(), at);
    if (!s)
        return refuse(s);
    Result<Permit> permit = Permit::parse(env->payload());
    if (!permit)
        return refuse(permit.status());
    const Permit& p = permit.value();
    std::string institution = args.get("institution", p.providerInstitution);
    s = PermitVerifier::check(p, at, institution, [](const Permit&) { return false; });
    if (!s)
        return refuse(s);

    Result<X509Ptr> signer = CryptoPem::certificate(env->signerPem(), "signer");
    ctx.out << "permit " << p.permitId << " accepted at " << SignedTime::format(at) << "\n"
            << "  permitId              " << p.permitId << "\n"
            << "  requesterInstitution  " << p.requesterInstitution << "\n"
            << "  providerInstitution   " << p.providerInstitution << "\n"
            << "  jimuCode              " << p.jimuCode << "\n"
            << "  procedureCode         " << p.procedureCode << "\n"
            << "  dataItemCode          " << p.dataItemCode << "\n"
            << "  issuedAt              " << SignedTime::format(p.issuedAt) << "\n"
            << "  notBefore             " << SignedTime::format(p.notBefore) << "\n"
            << "  expiry                " << SignedTime::format(p.expiry) << "\n"
            << "  nonce                 " << p.nonce << "\n"
            << "  signer                " << (signer ? CryptoPem::subject(signer->get()) : std::string("?")) << "\n";
    if (!args.has("institution"))
        ctx.out << "note: addressing not checked (no --institution)\n";
    ctx.out << "note: replay not checked (needs the store)" << std::endl;
    return CTL_OK;
}

} // namespace chukan
