// XmlCommand: validates one file with SecureXmlParser over a schema from the catalog; no store needed.
#include "gateway/XmlCommand.h"

#include "codecs/SecureXmlParser.h"
#include "codecs/XmlSchemaCatalog.h"
#include "gateway/CtlArgs.h"

#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace chukan {

namespace {

bool parseSize(const std::string& text, std::size_t& out)
{
    if (text.empty() || text.size() > 12)
        return false;
    std::size_t v = 0;
    for (char c : text)
    {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + static_cast<std::size_t>(c - '0');
    }
    if (v == 0)
        return false;
    out = v;
    return true;
}

} // namespace

std::string XmlCommand::help() const
{
    return "usage: chukanctl xml validate --schema NAME [--schemas DIR] [--max-bytes N] [--max-depth N] FILE\n"
           "\n"
           "  Parses FILE with the secure parser and validates it against DIR/NAME.xsd\n"
           "  (DIR: --schemas, else $CHUKAN_SCHEMAS, else conf/schemas), e.g. NAME\n"
           "  replica-registration or online-inquiry. DOCTYPEs (so DTDs and entities) are\n"
           "  refused, nothing external is ever loaded, xsi:schemaLocation is ignored.\n"
           "  --max-bytes N  refuse files larger than N bytes before parsing (default 33554432)\n"
           "  --max-depth N  refuse element nesting deeper than N (default 64)\n"
           "\n"
           "  Prints 'FILE: valid', or one 'FILE:LINE:COL: message' per problem and\n"
           "  'FILE: invalid (N problems)'.\n"
           "  exit codes: 0 valid, 1 invalid or unreadable, 2 usage, 78 schema missing or broken\n";
}

int XmlCommand::run(CtlContext& ctx, const std::vector<std::string>& args)
{
    Result<CtlArgs> parsed = CtlArgs::parse(args, {"schema", "schemas", "max-bytes", "max-depth"});
    if (!parsed)
    {
        ctx.err << "chukanctl xml: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& a = parsed.value();
    if (a.positionals().size() != 2 || a.positionals()[0] != "validate" || !a.has("schema"))
    {
        ctx.err << help();
        return CTL_USAGE;
    }
    std::string schemaName = a.get("schema");
    if (!XmlSchemaCatalog::isValidName(schemaName))
    {
        ctx.err << "chukanctl xml: bad schema name '" << schemaName << "' (A-Z a-z 0-9 . _ -)\n";
        return CTL_USAGE;
    }
    SecureXmlParser::Limits limits;
    if (a.has("max-bytes") && !parseSize(a.get("max-bytes"), limits.maxBytes))
    {
        ctx.err << "chukanctl xml: --max-bytes must be a positive integer\n";
        return CTL_USAGE;
    }
    if (a.has("max-depth") && !parseSize(a.get("max-depth"), limits.maxDepth))
    {
        ctx.err << "chukanctl xml: --max-depth must be a positive integer\n";
        return CTL_USAGE;
    }

    XmlSchemaCatalog catalog(a.get("schemas", XmlSchemaCatalog::defaultDirectory()));
    Result<std::shared_ptr<const XmlSchema>> schema = catalog.get(schemaName);
    if (!schema)
    {
        ctx.err << "chukanctl xml: " << schema.status().message() << std::endl;
        return CTL_CONFIG;
    }

    const std::string& file = a.positionals()[1];
    struct stat st;
    if (stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    {
        ctx.err << "chukanctl xml: cannot read '" << file << "' (not a regular file)" << std::endl;
        return CTL_FAILED;
    }
    if (static_cast<std::size_t>(st.st_size) > limits.maxBytes)
    {
        ctx.out << file << ": document is " << st.st_size << " bytes, larger than the limit of " << limits.maxBytes
                << " bytes\n"
                << file << ": invalid (1 problem)" << std::endl;
        return CTL_FAILED;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (!in)
    {
        ctx.err << "chukanctl xml: cannot read '" << file << "'" << std::endl;
        return CTL_FAILED;
    }

    SecureXmlParser parser(schema.value(), limits);
    SecureXmlParser::Outcome outcome = parser.parse(buf.str());
    if (outcome.ok())
    {
        ctx.out << file << ": valid" << std::endl;
        return CTL_OK;
    }
    for (const XmlIssue& issue : outcome.issues)
    {
        if (issue.line > 0)
            ctx.out << file << ":" << issue.line << ":" << issue.column << ": " << issue.message << "\n";
        else
            ctx.out << file << ": " << issue.message << "\n";
    }
    ctx.out << file << ": invalid (" << outcome.issues.size() << (outcome.issues.size() == 1 ? " problem)" : " problems)")
            << std::endl;
    return CTL_FAILED;
}

} // namespace chukan
