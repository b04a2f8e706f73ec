// CodecsBench: the "codecs" benchmark section — fixed-length decoding and CP932 <-> UTF-8 against
// glibc iconv.
#pragma once

#include <string>
#include <vector>

namespace chukan
{

/// Measures, on the same synthetic juki_resident file (SyntheticResidents):
/// - LayoutCodec::decode of every record (records/s, MB/s);
/// - Charset cp932 -> UTF-8 on the whole file, and glibc iconv(3) ("UTF-8" from "CP932") on the
///   same bytes, checking both produce identical UTF-8;
/// - the iconv CLI on the same file, when scripts/bench timed it (--iconv-cli-seconds);
/// - UTF-8 -> cp932 with Charset and with iconv(3), for the reverse direction.
/// Every figure is the best of 3 runs.
class CodecsBench
{
public:
    /// Arguments after "codecs": [--quick] [--records N] [--generate FILE] [--data FILE]
    /// [--iconv-cli-seconds S]. Returns the process exit status.
    static int run(const std::vector<std::string>& args);
    static const char* usage();
};

} // namespace chukan
