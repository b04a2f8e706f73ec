// CodecsBench: synthetic data, timed decodes and a check that chukan and iconv agree byte for byte.
#include "tests/bench/CodecsBench.h"

#include "codecs/Charset.h"
#include "codecs/Layout.h"
#include "codecs/LayoutCodec.h"
#include "tests/bench/BenchTable.h"
#include "tests/synth/SyntheticResidents.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iconv.h>
#include <sstream>

namespace chukan
{

namespace
{

constexpr int RUNS = 3;

/// Converts `in` with a fresh iconv descriptor into `buffer` (sized by the caller for the worst
/// case and reused between runs, as a streaming converter would). Returns the output length, or
/// prints why iconv stopped early and returns npos.
std::size_t iconvConvert(const char* to, const char* from, const std::string& in,
                         std::string& buffer)
{
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(-1))
    {
        std::fprintf(stderr, "chukan-bench: iconv_open(%s, %s): %s\n", to, from,
                     std::strerror(errno));
        return std::string::npos;
    }
    char* inp = const_cast<char*>(in.data());
    std::size_t inLeft = in.size();
    char* outp = &buffer[0];
    std::size_t outLeft = buffer.size();
    std::size_t rc = iconv(cd, &inp, &inLeft, &outp, &outLeft);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1) || inLeft != 0)
    {
        std::fprintf(stderr, "chukan-bench: iconv %s -> %s stopped at byte %zu: %s\n", from, to,
                     in.size() - inLeft, std::strerror(errno));
        return std::string::npos;
    }
    return buffer.size() - outLeft;
}

std::string firstDifference(const std::string& a, const std::string& b)
{
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    if (i == a.size() && i == b.size())
        return "";
    return "differ from byte " + std::to_string(i);
}

Result<LayoutCodec> jukiCodec()
{
    std::string path = std::string(CHUKAN_SOURCE_DIR) + "/conf/layouts/juki_resident.xml";
    Result<Layout> layout = Layout::load(path);
    if (!layout)
        return layout.status();
    return LayoutCodec(std::move(layout).value());
}

} // namespace

const char* CodecsBench::usage()
{
    return "codecs [--quick] [--records N] [--generate FILE] [--data FILE] "
           "[--iconv-cli-seconds S]\n"
           "  --quick               20,000 records instead of 200,000\n"
           "  --generate FILE       write the synthetic CP932 file and exit\n"
           "  --data FILE           measure on FILE (as written by --generate)\n"
           "  --iconv-cli-seconds S add a row for the iconv CLI timed on FILE by scripts/bench\n";
}

int CodecsBench::run(const std::vector<std::string>& args)
{
    std::size_t records = 200000;
    std::string generateFile, dataFile;
    double cliSeconds = -1;
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        const std::string& a = args[i];
        bool hasValue = i + 1 < args.size();
        if (a == "--quick")
            records = 20000;
        else if (a == "--records" && hasValue)
            records = std::strtoul(args[++i].c_str(), nullptr, 10);
        else if (a == "--generate" && hasValue)
            generateFile = args[++i];
        else if (a == "--data" && hasValue)
            dataFile = args[++i];
        else if (a == "--iconv-cli-seconds" && hasValue)
            cliSeconds = std::strtod(args[++i].c_str(), nullptr);
        else
        {
            std::fprintf(stderr, "chukan-bench: bad codecs argument '%s'\nusage: %s", a.c_str(),
                         usage());
            return 2;
        }
    }
    Result<LayoutCodec> codec = jukiCodec();
    if (!codec)
    {
        std::fprintf(stderr, "chukan-bench: %s\n", codec.status().message().c_str());
        return 2;
    }

    std::string data;
    if (!dataFile.empty())
    {
        std::ifstream in(dataFile, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        if (!in)
        {
            std::fprintf(stderr, "chukan-bench: cannot read %s\n", dataFile.c_str());
            return 2;
        }
        data = s.str();
    }
    else
        data = SyntheticResidents::generate(codec.value(), records);
    if (!generateFile.empty())
    {
        std::ofstream out(generateFile, std::ios::binary);
        out << data;
        if (!out.flush())
        {
            std::fprintf(stderr, "chukan-bench: cannot write %s\n", generateFile.c_str());
            return 2;
        }
        return 0;
    }

    BenchTable table("records", "vs iconv(3)");
    const std::string iconvName = "CP932 → UTF-8, glibc iconv(3)";
    const std::string iconvBackName = "UTF-8 → CP932, glibc iconv(3)";

    // Fixed-length decoding: every field of every record, values into DecodedRecords.
    std::size_t good = 0;
    double layoutSeconds = BenchTable::bestOf(
        RUNS,
        [&]
        {
            LayoutReport report = codec.value().decode(data, 0);
            good = report.records.size();
            if (!report.clean())
            {
                std::fprintf(stderr, "chukan-bench: synthetic data has bad records: %s\n",
                             report.errors[0].toString().c_str());
                std::exit(1);
            }
        });
    table.add({"fixed-length decode, juki_resident (LayoutCodec)", data.size(), good, layoutSeconds,
               "", "280 B + CRLF a record, 11 fields"});

    // Whole-file charset conversion. Output buffers are allocated once and reused, so the
    // figures are the converters' steady state, not the kernel's first touch of fresh pages.
    const Charset cp932(Charset::CP932);
    std::string ours, buffer(data.size() * 3 + 16, '\0');
    ours.reserve(data.size() * 3 + 16);
    double oursSeconds =
        BenchTable::bestOf(RUNS,
                           [&]
                           {
                               ours.clear();
                               Status s = cp932.decode(data, ours);
                               if (!s)
                               {
                                   std::fprintf(stderr, "chukan-bench: %s\n", s.message().c_str());
                                   std::exit(1);
                               }
                           });
    std::size_t theirs = 0;
    double iconvSeconds =
        BenchTable::bestOf(RUNS, [&] { theirs = iconvConvert("UTF-8", "CP932", data, buffer); });
    std::string diff = theirs == std::string::npos
                           ? "iconv failed"
                           : firstDifference(ours, buffer.substr(0, theirs));
    table.add({"CP932 → UTF-8, chukan Charset", data.size(), 0, oursSeconds, iconvName,
               diff.empty() ? "UTF-8 identical to iconv's" : "UTF-8 " + diff});
    table.add({iconvName, data.size(), 0, iconvSeconds, "", ""});
    double freshSeconds = BenchTable::bestOf(RUNS,
                                             [&]
                                             {
                                                 if (!cp932.decode(data))
                                                     std::exit(1);
                                             });
    table.add({"CP932 → UTF-8, chukan Charset, new string a call", data.size(), 0, freshSeconds,
               iconvName, "Charset::decode(bytes): allocates and zero-fills 3× the input"});
    if (cliSeconds >= 0)
        table.add({"CP932 → UTF-8, iconv CLI (file → /dev/null)", data.size(), 0, cliSeconds,
                   iconvName, "includes process start and file I/O"});

    // The reverse direction on the UTF-8 just produced.
    std::string back;
    back.reserve(ours.size() + 16);
    double encodeSeconds =
        BenchTable::bestOf(RUNS,
                           [&]
                           {
                               back.clear();
                               Status s = cp932.encode(ours, back);
                               if (!s)
                               {
                                   std::fprintf(stderr, "chukan-bench: %s\n", s.message().c_str());
                                   std::exit(1);
                               }
                           });
    std::size_t backIconv = 0;
    double encodeIconvSeconds =
        BenchTable::bestOf(RUNS, [&] { backIconv = iconvConvert("CP932", "UTF-8", ours, buffer); });
    std::string backDiff = backIconv == std::string::npos
                               ? "iconv failed"
                               : firstDifference(back, buffer.substr(0, backIconv));
    table.add({"UTF-8 → CP932, chukan Charset", ours.size(), 0, encodeSeconds, iconvBackName,
               backDiff.empty()
                   ? "CP932 identical to iconv's"
                   : "CP932 " + backDiff + " (canonical vs iconv's choice of duplicates)"});
    table.add({iconvBackName, ours.size(), 0, encodeIconvSeconds, "", ""});

    std::printf("%zu synthetic juki_resident records, %.1f MB CP932 (%.1f MB as UTF-8)\n\n", good,
                static_cast<double>(data.size()) / 1e6, static_cast<double>(ours.size()) / 1e6);
    table.print("Codecs", RUNS);
    return 0;
}

} // namespace chukan
