// SyntheticPopulation: person i of a seeded, made-up population of the sandbox's two cities, in
// O(1) and independent of the count.
#pragma once

#include "tests/synth/SyntheticPerson.h"

#include <cstdint>

namespace chukan
{

/// Person i depends only on (seed, holdPerMille, i): a file of 100 persons is the first 100
/// persons of a file of 1 000 000. The first eight persons cover every Kind and outcome (when
/// holdPerMille > 0), so even --count 8 exercises each path; the rest are drawn:
///   自動応答不可 holdPerMille ‰, no 副本 4 %, requester only 8 %, no 符号 2 %,
///   provider only 8 %, the rest both cities (answered).
/// 住民票コード = "9" + (A·i + B(seed)) mod 10^10 with A coprime to 10: unique for i < 10^10.
/// 統合宛名番号 = the city's 地方公共団体コード followed by the 9-digit index + 1.
/// Thread-safety: immutable; person() may be called concurrently.
class SyntheticPopulation
{
public:
    static const std::uint64_t MAX_COUNT = 999999999; ///< the atena scheme's limit

    /// REQUIRES: holdPerMille <= 500.
    SyntheticPopulation(std::uint64_t seed, unsigned holdPerMille,
                        const char* requesterTenant = "121002",
                        const char* providerTenant = "352063");

    SyntheticPerson person(std::uint64_t index) const;

private:
    void fill(SyntheticPerson& p, std::uint64_t index) const;

    std::uint64_t _seed;
    unsigned _holdPerMille;
    std::uint64_t _codeOffset;
    const char* _requesterTenant;
    const char* _providerTenant;
};

} // namespace chukan
