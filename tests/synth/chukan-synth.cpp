// chukan-synth: writes the sandbox's synthetic residents and input files for 千葉市 and 防府市
// (deterministic from a seed).
#include "codecs/Layout.h"
#include "codecs/LayoutCodec.h"
#include "tests/synth/SandboxDataWriter.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/NumberParser.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#ifndef CHUKAN_SOURCE_DIR
#define CHUKAN_SOURCE_DIR "."
#endif

namespace
{

const char* const USAGE =
    R"(usage: chukan-synth --out DIR [--count N] [--seed S] [--batch N] [--holds PERMILLE]
                    [--layouts DIR] [--force]

Writes made-up residents of 千葉市 (121002, asks) and 防府市 (352063, answers) and every file
the sandbox feeds the two gateways. The same options always give the same bytes; person i is
the same whatever --count is. No 個人番号 anywhere: 住民票コード are 11 digits, every record is
checked for a 12-digit run with a valid 個人番号 check digit before it is written.

  --out DIR       output directory (created; must be empty unless --force)
  --count N       persons in the population, 1 to 999999999 (default 100). The first 8
                  persons cover every outcome; the bulk file has about 1.2 records a person
  --seed S        unsigned 64-bit seed (default 1): names, kinds, 住民票コード
  --batch N       records per 符号 request file and per replica XML message (default 1000;
                  the gateway takes at most 10000 符号 records a request)
  --holds P       per mille of persons and 予防接種 records flagged 自動応答不可 (default 20,
                  0 to 500; 0 = no holds at all)
  --layouts DIR   fixed-length layouts (default $CHUKAN_LAYOUTS, else conf/layouts, else the
                  source tree's)
  --force         write into a non-empty DIR, replacing manifest.json, 121002/ and 352063/

Files (OUT/…):
  manifest.json                 seed, counts, file names and the expected bulk outcomes
  121002/fugo-NNNNN.json        POST /api/v1/fugo bodies {"records":[{"atenaNo","juminhyoCode"}]}
  352063/fugo-NNNNN.json        the same for 防府市
  352063/juki_resident.dat      住民記録 副本, juki_resident layout (280 bytes, CP932, CRLF):
                                POST /api/v1/replica/file?layout=juki_resident&item=TM00000000000001
  352063/juki_resident-held.dat the persons flagged 自動応答不可 (…&autoAnswer=false)
  352063/vaccination-NNNNN.xml  予防接種 副本 (TM00000000000002) as ReplicaRegistration messages,
                                POST /api/v1/replica
  121002/bulk_inquiry.dat       bulk inquiry 千葉市 → 防府市, bulk_inquiry layout (220 bytes, CP932)
  121002/bulk_expected.csv      record,atenaNo,item,expected: normal, held, no_data, no_fugo,
                                not_permitted (before any reviewer decides a hold)

Exit status: 0 written, 1 failed (named on stderr), 2 bad usage.
)";

int usage(const std::string& problem)
{
    std::cerr << "chukan-synth: " << problem << "\n" << USAGE;
    return 2;
}

bool parseCount(const std::string& text, std::uint64_t& out)
{
    Poco::UInt64 v = 0;
    if (text.empty() || text[0] == '-' || !Poco::NumberParser::tryParseUnsigned64(text, v))
        return false;
    out = v;
    return true;
}

std::string defaultLayouts()
{
    std::string env = Poco::Environment::get("CHUKAN_LAYOUTS", "");
    if (!env.empty())
        return env;
    if (Poco::File("conf/layouts/juki_resident.xml").exists())
        return "conf/layouts";
    return std::string(CHUKAN_SOURCE_DIR) + "/conf/layouts";
}

} // namespace

int main(int argc, char** argv)
{
    chukan::SandboxDataWriter::Options o;
    std::string layouts = defaultLayouts();
    bool force = false;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a == "--help" || a == "-h")
        {
            std::cout << USAGE;
            return 0;
        }
        if (a == "--force")
        {
            force = true;
            continue;
        }
        if (i + 1 >= argc)
            return usage(a + " needs a value");
        std::string v = argv[++i];
        std::uint64_t n = 0;
        if (a == "--out")
            o.outDir = v;
        else if (a == "--layouts")
            layouts = v;
        else if (a == "--count" && parseCount(v, n))
            o.count = n;
        else if (a == "--seed" && parseCount(v, n))
            o.seed = n;
        else if (a == "--batch" && parseCount(v, n) && n > 0)
            o.batch = n;
        else if (a == "--holds" && parseCount(v, n) && n <= 500)
            o.holdPerMille = static_cast<unsigned>(n);
        else if (a == "--count" || a == "--seed" || a == "--batch" || a == "--holds")
            return usage(a + ": bad value '" + v + "'");
        else
            return usage("unknown option " + a);
    }
    if (o.outDir.empty())
        return usage("--out DIR is required");
    if (o.count == 0 || o.count > 999999999)
        return usage("--count: must be 1 to 999999999");

    try
    {
        Poco::File out(o.outDir);
        if (out.exists())
        {
            if (!out.isDirectory())
                return usage(o.outDir + " is not a directory");
            bool empty = Poco::DirectoryIterator(out) == Poco::DirectoryIterator();
            if (!empty && !force)
            {
                std::cerr << "chukan-synth: " << o.outDir
                          << " is not empty (use --force to replace its files)\n";
                return 1;
            }
            for (const char* name : {"manifest.json", "121002", "352063"})
            {
                Poco::File f(o.outDir + "/" + name);
                if (f.exists())
                    f.remove(true);
            }
        }
    }
    catch (const Poco::Exception& e)
    {
        std::cerr << "chukan-synth: " << o.outDir << ": " << e.displayText() << "\n";
        return 1;
    }

    chukan::Result<chukan::Layout> juki = chukan::Layout::load(layouts + "/juki_resident.xml");
    chukan::Result<chukan::Layout> bulk = chukan::Layout::load(layouts + "/bulk_inquiry.xml");
    if (!juki || !bulk)
    {
        std::cerr << "chukan-synth: " << (juki ? bulk.status() : juki.status()).message() << "\n";
        return 1;
    }
    chukan::SandboxDataWriter writer(chukan::LayoutCodec(std::move(juki).value()),
                                     chukan::LayoutCodec(std::move(bulk).value()));
    auto started = std::chrono::steady_clock::now();
    chukan::Result<chukan::SandboxDataWriter::Summary> sum = writer.write(o);
    if (!sum)
    {
        std::cerr << "chukan-synth: " << sum.status().message() << "\n";
        return 1;
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const chukan::SandboxDataWriter::Summary& s = sum.value();
    std::printf("chukan-synth: %llu persons (seed %llu) in %s: 符号 %llu (千葉市) + %llu (防府市), "
                "住民記録 %llu + %llu 自動応答不可, 予防接種 %llu (%llu 自動応答不可), bulk "
                "inquiry %llu records",
                static_cast<unsigned long long>(s.persons), static_cast<unsigned long long>(o.seed),
                o.outDir.c_str(), static_cast<unsigned long long>(s.requesterFugo),
                static_cast<unsigned long long>(s.providerFugo),
                static_cast<unsigned long long>(s.jukiRecords),
                static_cast<unsigned long long>(s.jukiHeldRecords),
                static_cast<unsigned long long>(s.vaccinationRecords),
                static_cast<unsigned long long>(s.vaccinationHeldRecords),
                static_cast<unsigned long long>(s.bulkRecords));
    std::string sep = " (";
    for (const auto& e : s.expected)
    {
        std::printf("%s%s %llu", sep.c_str(), e.first.c_str(),
                    static_cast<unsigned long long>(e.second));
        sep = ", ";
    }
    std::printf(") in %.2f s\n", seconds);
    return 0;
}
