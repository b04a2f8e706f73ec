// LayoutFuzzer: libFuzzer target — arbitrary bytes through the fixed-length decoder of the
// shipped bulk_inquiry and juki_resident layouts, with a decode/encode/decode property.
#include "codecs/GaijiTable.h"
#include "codecs/Layout.h"
#include "codecs/LayoutCodec.h"
#include "tests/fuzz/FuzzCheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace
{

using chukan::fuzzCheck;

std::unique_ptr<chukan::LayoutCodec> loadCodec(const char* name,
                                               std::shared_ptr<const chukan::GaijiTable> gaiji)
{
    std::string path = std::string(CHUKAN_SOURCE_DIR) + "/conf/layouts/" + name + ".xml";
    chukan::Result<chukan::Layout> layout = chukan::Layout::load(path);
    if (!layout)
    {
        std::fprintf(stderr, "fuzz-layout: %s\n", layout.status().message().c_str());
        std::abort();
    }
    return std::make_unique<chukan::LayoutCodec>(std::move(layout).value(), std::move(gaiji));
}

/// The codecs, loaded once: bulk_inquiry without and juki_resident with the sample 外字 table.
const std::vector<std::unique_ptr<chukan::LayoutCodec>>& codecs()
{
    static const std::vector<std::unique_ptr<chukan::LayoutCodec>>* all = []
    {
        auto gaiji =
            chukan::GaijiTable::load(std::string(CHUKAN_SOURCE_DIR) + "/conf/gaiji/sample.tsv");
        if (!gaiji)
        {
            std::fprintf(stderr, "fuzz-layout: %s\n", gaiji.status().message().c_str());
            std::abort();
        }
        auto* v = new std::vector<std::unique_ptr<chukan::LayoutCodec>>();
        v->push_back(loadCodec("bulk_inquiry", nullptr));
        v->push_back(loadCodec("juki_resident", gaiji.value()));
        return v;
    }();
    return *all;
}

void check(const chukan::LayoutCodec& codec, std::string_view data, std::size_t errorLimit)
{
    const chukan::Layout& layout = codec.layout();
    chukan::LayoutReport report = codec.decode(data, errorLimit);
    fuzzCheck(report.records.size() + report.badRecords == report.recordsRead,
              "good + bad records == records read");
    fuzzCheck(report.badRecords == 0 || !report.errors.empty(), "a bad record has an error");
    fuzzCheck(!report.stoppedAtLimit || (errorLimit && report.badRecords == errorLimit),
              "stops only at the error limit");
    for (const chukan::RecordError& e : report.errors)
    {
        fuzzCheck(e.recordNumber >= 1 && e.recordNumber <= report.recordsRead,
                  "error record number in range", e.toString());
        fuzzCheck(e.byteOffset <= data.size(), "error byte offset inside the input", e.toString());
        fuzzCheck(!e.reason.empty(), "error has a reason");
    }
    // A good record's values encode again, and the encoded record decodes to the same values.
    for (const chukan::DecodedRecord& r : report.records)
    {
        fuzzCheck(r.values.size() == layout.fields().size(), "one value per field");
        std::map<std::string, std::string> values;
        for (std::size_t i = 0; i < r.values.size(); ++i)
            values[layout.fields()[i].name] = r.values[i];
        chukan::Result<std::string> bytes = codec.encode(values);
        fuzzCheck(bytes.isOk(), "decoded values encode again",
                  bytes ? std::string() : bytes.status().message());
        fuzzCheck(bytes.value().size() ==
                      layout.recordLength() + std::string(layout.terminatorBytes()).size(),
                  "encoded record has the layout's length");
        chukan::LayoutReport again = codec.decode(bytes.value(), 0);
        fuzzCheck(again.clean() && again.records.size() == 1, "re-encoded record decodes",
                  again.errors.empty() ? std::string() : again.errors[0].toString());
        for (std::size_t i = 0; i < r.values.size(); ++i)
            fuzzCheck(again.records[0].values[i] == r.values[i],
                      "decode(encode(decode(x))) == decode(x)",
                      layout.fields()[i].name + ": '" + r.values[i] + "' became '" +
                          again.records[0].values[i] + "'");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    for (const auto& codec : codecs())
    {
        check(*codec, bytes, 0);
        check(*codec, bytes, 2);
    }
    return 0;
}
