// SealCommand: reads stdin, seals it with CmsEnvelope for one recipient certificate, writes DER or PEM.
#include "gateway/SealCommand.h"

#include "codecs/CmsEnvelope.h"
#include "gateway/CryptoInput.h"
#include "gateway/CtlArgs.h"

namespace chukan {

std::string SealCommand::help() const
{
    return "usage: chukanctl seal --recipient CERT [--pem] < PLAINTEXT > ENVELOPE\n"
           "\n"
           "Encrypts stdin for the holder of CERT as CMS AuthEnvelopedData (RFC 5083):\n"
           "AES-256-GCM content encryption; RSA keys get RSA-OAEP (SHA-256) key transport,\n"
           "EC keys ECDH key agreement. Writes DER (or PEM with --pem) to stdout. Opens with\n"
           "`chukanctl open` or `openssl cms -decrypt -inform DER -recip CERT -inkey KEY`.\n"
           "\n"
           "  --recipient CERT   the recipient's encryption certificate (PEM file)\n"
           "  --pem              write PEM (-----BEGIN CMS-----) instead of DER\n"
           "\n"
           "No configuration or store is used. Exit 0 ok, 1 failed, 2 usage.\n";
}

int SealCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"recipient"}, {"pem"});
    if (!parsed || !parsed->positionals().empty() || !parsed->has("recipient"))
    {
        ctx.err << "chukanctl seal: "
                << (!parsed ? parsed.status().message()
                            : parsed->has("recipient") ? "unexpected argument '" + parsed->positionals()[0] + "'"
                                                       : std::string("--recipient CERT is required"))
                << "\n"
                << help();
        return CTL_USAGE;
    }
    Result<std::string> cert = CryptoInput::file(parsed->get("recipient"), "recipient certificate");
    if (!cert)
    {
        ctx.err << "chukanctl seal: " << cert.status().message() << std::endl;
        return CTL_FAILED;
    }
    Result<std::string> plaintext = CryptoInput::stream(std::cin, "stdin");
    if (!plaintext)
    {
        ctx.err << "chukanctl seal: " << plaintext.status().message() << std::endl;
        return CTL_FAILED;
    }
    Result<std::string> sealed = CmsEnvelope::seal(
        plaintext.value(), cert.value(), parsed->has("pem") ? CmsEnvelope::Encoding::PEM : CmsEnvelope::Encoding::DER);
    if (!sealed)
    {
        ctx.err << "chukanctl seal: " << sealed.status().message() << std::endl;
        return CTL_FAILED;
    }
    ctx.out.write(sealed->data(), static_cast<std::streamsize>(sealed->size()));
    ctx.out.flush();
    return ctx.out ? CTL_OK : CTL_FAILED;
}

} // namespace chukan
