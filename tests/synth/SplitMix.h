// SplitMix: a tiny, fixed pseudo-random generator (SplitMix64) so that synthetic data is the same
// on every platform.
#pragma once

#include <cstddef>
#include <cstdint>

namespace chukan
{

/// SplitMix64 (Steele, Lea, Flood 2014): one 64-bit state, one add and three mixing steps per
/// output. Not for security. std::mt19937 would do, but std:: distributions differ between
/// standard libraries; this class and below() are all the generators use.
class SplitMix
{
public:
    explicit SplitMix(std::uint64_t seed) : _state(seed) {}
    /// A generator for item `index` of stream `seed`: independent of every other index, so
    /// item i is the same whatever the count and whichever order items are made in.
    static SplitMix forItem(std::uint64_t seed, std::uint64_t index)
    {
        SplitMix s(seed ^ 0x5ADB0C5E5EED0001ULL);
        std::uint64_t base = s.next();
        return SplitMix(base + index * 0xD1342543DE82EF95ULL);
    }

    std::uint64_t next()
    {
        std::uint64_t z = (_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform enough in [0, n) for the small n the pools use. REQUIRES: n > 0.
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    /// True with probability perMille / 1000.
    bool chance(unsigned perMille) { return below(1000) < perMille; }

private:
    std::uint64_t _state;
};

} // namespace chukan
