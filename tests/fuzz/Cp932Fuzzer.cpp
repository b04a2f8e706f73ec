// Cp932Fuzzer: libFuzzer target — CP932 (and strict Shift_JIS) bytes to UTF-8 and back, checking
// that decode(encode(decode(x))) == decode(x) and that errors leave the output untouched.
#include "codecs/Charset.h"
#include "codecs/GaijiTable.h"
#include "tests/fuzz/FuzzCheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace
{

using chukan::fuzzCheck;

std::string hex(std::string_view bytes)
{
    static const char digits[] = "0123456789ABCDEF";
    std::string s;
    for (std::size_t i = 0; i < bytes.size() && i < 64; ++i)
    {
        unsigned char b = static_cast<unsigned char>(bytes[i]);
        s += digits[b >> 4];
        s += digits[b & 0xF];
    }
    return bytes.size() > 64 ? s + "..." : s;
}

/// cp932 without and with the sample 外字 table, and shift_jis: built once.
const std::vector<chukan::Charset>& charsets()
{
    static const std::vector<chukan::Charset>* all = []
    {
        auto gaiji =
            chukan::GaijiTable::load(std::string(CHUKAN_SOURCE_DIR) + "/conf/gaiji/sample.tsv");
        if (!gaiji)
        {
            std::fprintf(stderr, "fuzz-cp932: %s\n", gaiji.status().message().c_str());
            std::abort();
        }
        auto* v = new std::vector<chukan::Charset>();
        v->emplace_back(chukan::Charset::CP932);
        v->emplace_back(chukan::Charset::CP932, gaiji.value());
        v->emplace_back(chukan::Charset::SHIFT_JIS);
        v->emplace_back(chukan::Charset::SHIFT_JIS, gaiji.value());
        return v;
    }();
    return *all;
}

void checkDecode(const chukan::Charset& cs, std::string_view bytes)
{
    const std::string prefix = "kept";
    std::string utf8 = prefix;
    std::size_t offset = SIZE_MAX;
    chukan::Status s = cs.decode(bytes, utf8, &offset);
    if (!s)
    {
        fuzzCheck(utf8 == prefix, "a failed decode leaves the output as it was", cs.name());
        fuzzCheck(offset < bytes.size(), "decode error offset inside the input",
                  std::string(cs.name()) + " offset " + std::to_string(offset) + " of " +
                      std::to_string(bytes.size()));
        fuzzCheck(s.message().find(std::to_string(offset)) != std::string::npos,
                  "decode error message names the offset", s.message());
        return;
    }
    utf8.erase(0, prefix.size());
    chukan::Charset utf(chukan::Charset::UTF8);
    fuzzCheck(utf.decode(utf8).isOk(), "decode produces valid UTF-8", hex(bytes));

    chukan::Result<std::string> encoded = cs.encode(utf8);
    fuzzCheck(encoded.isOk(), "decoded text encodes again",
              std::string(cs.name()) + " " + hex(bytes) + ": " +
                  (encoded ? std::string() : encoded.status().message()));
    fuzzCheck(encoded.value().size() <= bytes.size(), "canonical form is no longer",
              hex(bytes) + " -> " + hex(encoded.value()));
    chukan::Result<std::string> again = cs.decode(encoded.value());
    fuzzCheck(again.isOk() && again.value() == utf8, "decode(encode(decode(x))) == decode(x)",
              std::string(cs.name()) + " " + hex(bytes) + " -> " + hex(encoded.value()));
    // The canonical form is a fixed point of encode∘decode.
    chukan::Result<std::string> twice = cs.encode(again.value());
    fuzzCheck(twice.isOk() && twice.value() == encoded.value(), "canonical bytes round-trip",
              hex(encoded.value()));

    // Character boundaries agree with the decoder on valid input.
    std::size_t chars = 0;
    for (std::size_t pos = 0; pos < bytes.size(); ++chars)
    {
        int n = cs.charLength(static_cast<unsigned char>(bytes[pos]));
        fuzzCheck(n == 1 || n == 2, "valid input has no invalid first byte", hex(bytes));
        pos += static_cast<std::size_t>(n);
    }
    fuzzCheck(cs.offsetOfChar(bytes, chars) == bytes.size(), "offsetOfChar(count) == size");
}

void checkEncode(const chukan::Charset& cs, std::string_view utf8)
{
    const std::string prefix = "kept";
    std::string out = prefix;
    std::size_t offset = SIZE_MAX;
    chukan::Status s = cs.encode(utf8, out, &offset);
    if (!s)
    {
        fuzzCheck(out == prefix, "a failed encode leaves the output as it was", cs.name());
        fuzzCheck(offset < utf8.size(), "encode error offset inside the input", s.message());
        return;
    }
    out.erase(0, prefix.size());
    chukan::Result<std::string> back = cs.decode(out);
    fuzzCheck(back.isOk() && back.value() == utf8, "decode(encode(u)) == u",
              std::string(cs.name()) + " " + hex(utf8) + " -> " + hex(out));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    for (const chukan::Charset& cs : charsets())
    {
        checkDecode(cs, bytes);
        checkEncode(cs, bytes);
    }
    return 0;
}
