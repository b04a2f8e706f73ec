// SyntheticPopulation: kinds, identifiers, names and addresses of each person from a per-person
// SplitMix stream.
#include "tests/synth/SyntheticPopulation.h"

#include "tests/synth/SplitMix.h"
#include "tests/synth/SyntheticNames.h"

#include <cstdio>
#include <string>

namespace chukan
{

namespace
{

const std::uint64_t CODE_SPACE = 10000000000ULL; // 10^10
const std::uint64_t CODE_FACTOR = 3141592653ULL; // odd, not a multiple of 5: a bijection mod 10^10

template <typename T> const T& pick(SplitMix& rng, const std::vector<T>& pool)
{
    return pool[rng.below(pool.size())];
}

std::string ymd(SplitMix& rng, int fromYear, int years)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", fromYear + static_cast<int>(rng.below(years)),
                  1 + static_cast<int>(rng.below(12)), 1 + static_cast<int>(rng.below(28)));
    return buf;
}

std::string atena(const char* tenant, std::uint64_t index)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%09llu", tenant, static_cast<unsigned long long>(index + 1));
    return buf;
}

} // namespace

SyntheticPopulation::SyntheticPopulation(std::uint64_t seed, unsigned holdPerMille,
                                         const char* requesterTenant, const char* providerTenant)
    : _seed(seed), _holdPerMille(holdPerMille > 500 ? 500 : holdPerMille), _codeOffset(0),
      _requesterTenant(requesterTenant), _providerTenant(providerTenant)
{
    SplitMix s(seed ^ 0xC0DEC0DEULL);
    _codeOffset = s.next() % CODE_SPACE;
}

SyntheticPerson SyntheticPopulation::person(std::uint64_t index) const
{
    SyntheticPerson p;
    fill(p, index);
    return p;
}

void SyntheticPopulation::fill(SyntheticPerson& p, std::uint64_t index) const
{
    SplitMix rng = SplitMix::forItem(_seed, index);
    p.index = index;
    const bool holds = _holdPerMille > 0;
    // The first persons are fixed so that every outcome occurs in the smallest file.
    switch (index)
    {
    case 0:
        p.kind = SyntheticPerson::BOTH;
        p.vaccination = true;
        p.askVaccination = true;
        p.unpermitted = 2;
        break;
    case 1:
        p.kind = holds ? SyntheticPerson::BOTH_HELD : SyntheticPerson::BOTH;
        break;
    case 2:
        p.kind = SyntheticPerson::REQUESTER_ONLY;
        p.askVaccination = true;
        break;
    case 3:
        p.kind = SyntheticPerson::BOTH_NO_REPLICA;
        p.askVaccination = true;
        break;
    case 4:
        p.kind = SyntheticPerson::REQUESTER_NO_FUGO;
        break;
    case 5:
        p.kind = SyntheticPerson::BOTH;
        p.vaccination = true;
        p.vaccinationHeld = holds;
        p.askVaccination = true;
        break;
    case 6:
        p.kind = SyntheticPerson::PROVIDER_ONLY;
        p.vaccination = true;
        break;
    case 7:
        p.kind = SyntheticPerson::BOTH;
        p.askVaccination = true;
        p.unpermitted = 1;
        break;
    default:
    {
        unsigned r = static_cast<unsigned>(rng.below(1000));
        unsigned edge = _holdPerMille;
        if (r < edge)
            p.kind = SyntheticPerson::BOTH_HELD;
        else if (r < (edge += 40))
            p.kind = SyntheticPerson::BOTH_NO_REPLICA;
        else if (r < (edge += 80))
            p.kind = SyntheticPerson::REQUESTER_ONLY;
        else if (r < (edge += 20))
            p.kind = SyntheticPerson::REQUESTER_NO_FUGO;
        else if (r < (edge += 80))
            p.kind = SyntheticPerson::PROVIDER_ONLY;
        else
            p.kind = SyntheticPerson::BOTH;
        bool provided = p.kind == SyntheticPerson::BOTH || p.kind == SyntheticPerson::BOTH_HELD ||
                        p.kind == SyntheticPerson::PROVIDER_ONLY;
        p.vaccination = provided && rng.chance(400);
        p.vaccinationHeld = p.vaccination && rng.chance(_holdPerMille);
        bool asks = p.kind != SyntheticPerson::PROVIDER_ONLY &&
                    p.kind != SyntheticPerson::REQUESTER_NO_FUGO;
        p.askVaccination = asks && rng.chance(250);
        p.unpermitted = asks && rng.chance(10) ? 1 + static_cast<int>(rng.below(2)) : 0;
    }
    }

    char code[16];
    std::snprintf(code, sizeof code, "9%010llu",
                  static_cast<unsigned long long>(
                      (CODE_FACTOR * (index % CODE_SPACE) + _codeOffset) % CODE_SPACE));
    p.juminhyoCode = code;
    if (p.kind != SyntheticPerson::PROVIDER_ONLY)
        p.requesterAtena = atena(_requesterTenant, index);
    if (p.kind != SyntheticPerson::REQUESTER_ONLY && p.kind != SyntheticPerson::REQUESTER_NO_FUGO)
        p.providerAtena = atena(_providerTenant, index);

    const SyntheticNames::Name& s = pick(rng, SyntheticNames::surnames());
    const SyntheticNames::Name& g = pick(rng, SyntheticNames::givenNames());
    p.nameKanji = std::string(s.kanji) + "　" + g.kanji;
    p.nameKana = std::string(s.kana) + "　" + g.kana;
    unsigned sex = static_cast<unsigned>(rng.below(100));
    p.sex = sex < 49 ? "1" : sex < 98 ? "2" : "9";
    p.birthDate = ymd(rng, 1930, 90);
    p.address = std::string("山口県防府市") + pick(rng, SyntheticNames::sandboxTowns()) +
                SyntheticNames::wideNumber(1 + rng.below(9)) + "丁目" +
                SyntheticNames::wideNumber(1 + rng.below(40)) + "番" +
                SyntheticNames::wideNumber(1 + rng.below(20)) + "号" +
                pick(rng, SyntheticNames::buildings());
    int born = std::stoi(p.birthDate.substr(0, 4));
    int movedFrom = born + 1 > 2000 ? born + 1 : 2000; // moved in after birth, 2000-2025
    p.changeDate = ymd(rng, movedFrom, 2026 - movedFrom);
    p.doses = p.vaccination ? 1 + static_cast<int>(rng.below(5)) : 0;
}

} // namespace chukan
