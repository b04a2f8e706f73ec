// OpenCommand: reads a DER or PEM envelope from stdin, opens it with CmsEnvelope; nothing is written on failure.
#include "gateway/OpenCommand.h"

#include "codecs/CmsEnvelope.h"
#include "gateway/CryptoInput.h"
#include "gateway/CtlArgs.h"

namespace chukan {

std::string OpenCommand::help() const
{
    return "usage: chukanctl open --key KEY [--cert CERT] < ENVELOPE > PLAINTEXT\n"
           "\n"
           "Decrypts a CMS AuthEnvelopedData (DER or PEM) from stdin and writes the plaintext to\n"
           "stdout. Only authenticated (AES-GCM) envelopes are accepted; if the key is wrong or\n"
           "the ciphertext was altered, nothing is written and the exit status is 1.\n"
           "\n"
           "  --key KEY     the recipient's private key (PEM file, unencrypted)\n"
           "  --cert CERT   the recipient's certificate (PEM); selects the RecipientInfo\n"
           "\n"
           "No configuration or store is used. Exit 0 ok, 1 failed, 2 usage.\n";
}

int OpenCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"key", "cert"});
    if (!parsed || !parsed->positionals().empty() || !parsed->has("key"))
    {
        ctx.err << "chukanctl open: "
                << (!parsed ? parsed.status().message()
                            : parsed->has("key") ? "unexpected argument '" + parsed->positionals()[0] + "'"
                                                 : std::string("--key KEY is required"))
                << "\n"
                << help();
        return CTL_USAGE;
    }
    Result<std::string> key = CryptoInput::file(parsed->get("key"), "private key");
    Result<std::string> cert = parsed->has("cert") ? CryptoInput::file(parsed->get("cert"), "certificate")
                                                   : Result<std::string>(std::string());
    for (const Result<std::string>* r : {&key, &cert})
        if (!*r)
        {
            ctx.err << "chukanctl open: " << r->status().message() << std::endl;
            return CTL_FAILED;
        }
    Result<std::string> envelope = CryptoInput::stream(std::cin, "stdin");
    if (!envelope)
    {
        ctx.err << "chukanctl open: " << envelope.status().message() << std::endl;
        return CTL_FAILED;
    }
    Result<std::string> plaintext = CmsEnvelope::open(envelope.value(), key.value(), cert.value());
    if (!plaintext)
    {
        ctx.err << "chukanctl open: " << plaintext.status().toString() << std::endl;
        return CTL_FAILED;
    }
    ctx.out.write(plaintext->data(), static_cast<std::streamsize>(plaintext->size()));
    ctx.out.flush();
    return ctx.out ? CTL_OK : CTL_FAILED;
}

} // namespace chukan
