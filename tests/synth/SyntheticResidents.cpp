// SyntheticResidents: the pools of SyntheticNames combined by a fixed LCG into juki_resident
// records.
#include "tests/synth/SyntheticResidents.h"

#include "tests/synth/SyntheticNames.h"

#include <cstdio>
#include <cstdlib>
#include <map>

namespace chukan
{

namespace
{

const char* REASONS[] = {"01", "02", "03", "04", "05", "06", "99"};
const char* STATUSES[] = {"1", "1", "1", "2", "3", "4", "9"};
const char* SEXES[] = {"1", "2", "1", "2", "9"};

template <typename T, std::size_t N> constexpr std::size_t countOf(const T (&)[N])
{
    return N;
}

/// A fixed 64-bit LCG (Knuth's MMIX constants); the top bits are the output.
class Lcg
{
public:
    std::uint32_t next()
    {
        _state = _state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>(_state >> 33);
    }
    std::size_t below(std::size_t n) { return next() % n; }

private:
    std::uint64_t _state = 20240401;
};

template <typename T> const T& pick(Lcg& rng, const std::vector<T>& pool)
{
    return pool[rng.below(pool.size())];
}

std::string date(Lcg& rng, int fromYear, int years)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", fromYear + static_cast<int>(rng.below(years)),
                  1 + static_cast<int>(rng.below(12)), 1 + static_cast<int>(rng.below(28)));
    return buf;
}

} // namespace

std::string SyntheticResidents::generate(const LayoutCodec& codec, std::size_t count)
{
    const LayoutField* address = codec.layout().field("address");
    if (!address)
    {
        std::fprintf(stderr, "chukan-bench: layout '%s' is not juki_resident\n",
                     codec.layout().name().c_str());
        std::exit(2);
    }
    Lcg rng;
    std::string out;
    out.reserve(count * (codec.layout().recordLength() + 2));
    std::map<std::string, std::string> v;
    char buf[32];
    for (std::size_t i = 0; i < count; ++i)
    {
        const SyntheticNames::Name& s = pick(rng, SyntheticNames::surnames());
        const SyntheticNames::Name& g = pick(rng, SyntheticNames::givenNames());
        std::snprintf(buf, sizeof buf, "%015zu", 100000 + i);
        v["atena_no"] = buf;
        std::snprintf(buf, sizeof buf, "%011zu", 500000 + i);
        v["juminhyo_code"] = i % 5 == 4 ? "" : buf;
        v["name_kanji"] = std::string(s.kanji) + "　" + g.kanji;
        v["name_kana"] = std::string(s.kana) + "　" + g.kana;
        v["sex"] = SEXES[rng.below(countOf(SEXES))];
        v["birth_date"] = date(rng, 1930, 90); // YYYYMMDD, encoded as 和暦 GYYMMDD
        v["address"] = std::string(pick(rng, SyntheticNames::prefectures())) +
                       pick(rng, SyntheticNames::cities()) + pick(rng, SyntheticNames::towns()) +
                       SyntheticNames::wideNumber(1 + rng.below(9)) + "丁目" +
                       SyntheticNames::wideNumber(1 + rng.below(40)) + "番" +
                       SyntheticNames::wideNumber(1 + rng.below(20)) + "号" +
                       pick(rng, SyntheticNames::buildings());
        v["change_reason"] = REASONS[rng.below(countOf(REASONS))];
        v["change_date"] = date(rng, 2000, 25);
        v["status"] = STATUSES[rng.below(countOf(STATUSES))];
        Result<std::string> record = codec.encode(v);
        if (!record)
        {
            std::fprintf(stderr, "chukan-bench: synthetic record %zu does not encode: %s\n", i + 1,
                         record.status().message().c_str());
            std::exit(2);
        }
        std::string bytes = std::move(record).value();
        if (i % 7 == 3)
        {
            // NEC-selected IBM extension (0xED40-0xED7E: 纊褜鍈銈…), as older systems write them.
            bytes[address->offset] = '\xED';
            bytes[address->offset + 1] = static_cast<char>(0x40 + rng.below(0x3F));
        }
        out += bytes;
    }
    return out;
}

} // namespace chukan
