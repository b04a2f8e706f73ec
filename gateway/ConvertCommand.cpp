// ConvertCommand: whole-input character set conversion with offsets of the first problem.
#include "gateway/ConvertCommand.h"

#include "codecs/Charset.h"
#include "codecs/Utf8.h"
#include "gateway/CtlArgs.h"

#include <sstream>
#include <vector>

namespace chukan
{

namespace
{

/// "…U+301C has no cp932 encoding at byte offset 7" -> without the trailing offset.
std::string withoutOffset(const std::string& message)
{
    std::size_t at = message.rfind(" at byte offset ");
    return at == std::string::npos ? message : message.substr(0, at);
}

std::size_t countChars(const std::string& utf8, std::size_t end)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < end && i < utf8.size(); ++i)
        if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80)
            ++n;
    return n;
}

} // namespace

std::string ConvertCommand::help() const
{
    return "usage: chukanctl convert --from ENC --to ENC [--gaiji TABLE] < IN > OUT\n"
           "\n"
           "  --from, --to  utf-8, cp932 (Windows-31J, with NEC/IBM extensions) or shift_jis\n"
           "                (JIS X 0208 only; 0x8160 is U+301C WAVE DASH there, U+FF5E in cp932)\n"
           "  --gaiji FILE  外字 table for the user-defined area 0xF040-0xF9FC (lines "
           "'F040<TAB>U+E000');\n"
           "                without one, 外字 bytes are an error\n"
           "\n"
           "Reads all of stdin and writes the converted text to stdout, or nothing at all: bytes "
           "that\n"
           "are invalid in the source and characters the target lacks are reported with their "
           "byte\n"
           "offset in the input, and the exit code is 1. Nothing is dropped or replaced.\n"
           "exit codes: 0 converted, 1 bad input, 2 usage\n";
}

int ConvertCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"from", "to", "gaiji"});
    if (!parsed || !parsed.value().positionals().empty() || !parsed.value().has("from") ||
        !parsed.value().has("to"))
    {
        ctx.err << "chukanctl convert: "
                << (!parsed ? parsed.status().message()
                    : parsed.value().positionals().empty()
                        ? std::string("--from and --to are required")
                        : "unexpected argument '" + parsed.value().positionals()[0] +
                              "' (input is stdin)")
                << "\n"
                << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    std::shared_ptr<const GaijiTable> gaiji;
    if (args.has("gaiji"))
    {
        Result<std::shared_ptr<const GaijiTable>> t = GaijiTable::load(args.get("gaiji"));
        if (!t)
        {
            ctx.err << "chukanctl convert: " << t.status().message() << std::endl;
            return CTL_USAGE;
        }
        gaiji = t.value();
    }
    Result<Charset> from = Charset::byName(args.get("from"), gaiji);
    Result<Charset> to = Charset::byName(args.get("to"), gaiji);
    if (!from || !to)
    {
        ctx.err << "chukanctl convert: " << (!from ? from.status() : to.status()).message() << "\n";
        return CTL_USAGE;
    }
    // Converts 64 KiB blocks (a character split across blocks is carried over) into one
    // output buffer that is written only when the whole input converted.
    const Charset& source = from.value();
    std::string output, chunk, text;
    std::vector<char> buf(1 << 16);
    std::size_t base = 0; // input offset of chunk[0]
    auto report = [&](std::size_t inputOffset, const Status& st)
    {
        ctx.err << "chukanctl convert: input byte offset " << inputOffset << ": "
                << withoutOffset(st.message()) << std::endl;
        return CTL_FAILED;
    };
    for (bool more = true; more;)
    {
        _in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        std::size_t n = static_cast<std::size_t>(_in.gcount());
        more = n > 0;
        chunk.append(buf.data(), n);
        if (chunk.empty())
            break;
        text.clear();
        std::size_t offset = 0, used = chunk.size();
        Status s = source.decode(chunk, text, &offset);
        if (!s)
        {
            int len = source.charLength(static_cast<unsigned char>(chunk[offset]));
            if (!more || len <= 0 || offset + static_cast<std::size_t>(len) <= chunk.size())
                return report(base + offset, s);
            used = offset; // the last character continues in the next block
            s = source.decode(std::string_view(chunk).substr(0, used), text, &offset);
            if (!s)
                return report(base + offset, s);
        }
        s = to.value().encode(text, output, &offset);
        if (!s)
            return report(base + source.offsetOfChar(chunk, countChars(text, offset)), s);
        chunk.erase(0, used);
        base += used;
    }
    ctx.out.write(output.data(), static_cast<std::streamsize>(output.size()));
    ctx.out.flush();
    return CTL_OK;
}

} // namespace chukan
