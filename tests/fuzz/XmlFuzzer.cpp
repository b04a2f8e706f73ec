// XmlFuzzer: libFuzzer target — arbitrary bytes through SecureXmlParser, validating against
// replica-registration.xsd and for well-formedness only; no external resource may ever be read.
#include "codecs/SecureXmlParser.h"
#include "codecs/XmlSchemaCatalog.h"
#include "tests/fuzz/FuzzCheck.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace
{

using chukan::fuzzCheck;
using chukan::SecureXmlParser;

struct Parsers
{
    std::unique_ptr<SecureXmlParser> validating;
    std::unique_ptr<SecureXmlParser> wellFormed;
    std::unique_ptr<SecureXmlParser> unscreened; ///< the parser-level DOCTYPE guard alone
};

const Parsers& parsers()
{
    static const Parsers* all = []
    {
        chukan::XmlSchemaCatalog catalog(std::string(CHUKAN_SOURCE_DIR) + "/conf/schemas");
        auto schema = catalog.get("replica-registration");
        if (!schema)
        {
            std::fprintf(stderr, "fuzz-xml: %s\n", schema.status().message().c_str());
            std::abort();
        }
        SecureXmlParser::Limits limits;
        limits.maxBytes = 1 << 20;
        auto* p = new Parsers();
        p->validating = std::make_unique<SecureXmlParser>(schema.value(), limits);
        p->wellFormed = std::make_unique<SecureXmlParser>(nullptr, limits);
        p->unscreened = std::make_unique<SecureXmlParser>(nullptr, limits);
        p->unscreened->setScreenProlog(false);
        return p;
    }();
    return *all;
}

std::size_t depth(const chukan::XmlElement& e)
{
    std::size_t d = 0;
    for (const chukan::XmlElement& c : e.children)
        d = std::max(d, depth(c));
    return d + 1;
}

void check(const SecureXmlParser& parser, const std::string& bytes)
{
    SecureXmlParser::Outcome out = parser.parse(bytes);
    fuzzCheck(out.ok() || !out.issues.empty(), "a refused document has an issue");
    fuzzCheck(out.issues.size() <= parser.limits().maxIssues + 1, "issues are bounded");
    if (out.ok())
    {
        fuzzCheck(depth(*out.root) <= parser.limits().maxDepth, "depth limit holds");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string bytes(reinterpret_cast<const char*>(data), size);
    const Parsers& p = parsers();
    check(*p.validating, bytes);
    check(*p.wellFormed, bytes);
    check(*p.unscreened, bytes);
    return 0;
}
