// SyntheticResidents: deterministic, made-up juki_resident records (CP932) for benchmarks.
#pragma once

#include "codecs/LayoutCodec.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace chukan
{

/// Builds `count` records of the juki_resident layout from small pools of invented names
/// (kanji and their kana), addresses with 全角 digits and NEC row 13 characters (①, №, ㈱, Ⅱ),
/// IBM extension kanji (髙, 﨑, 德, 彅 — encoded as Windows does, 0xFA-0xFC) and, in every
/// seventh record, an NEC-selected IBM byte pair (0xED/0xEE) spliced in as legacy systems
/// write them. No 外字 (glibc's CP932 maps them to private use, chukan needs a table).
/// Identifiers are 15-digit counters; everything is synthetic. The same count always yields
/// the same bytes (own LCG, no std distributions).
class SyntheticResidents
{
public:
    /// REQUIRES: codec is the juki_resident layout. Aborts (prints and exits) if a generated
    /// record does not encode, which would be a bug in the generator.
    static std::string generate(const LayoutCodec& codec, std::size_t count);
};

} // namespace chukan
