// LayoutCommand: runs LayoutCodec; good records as JSON lines, bad ones on stderr.
#include "gateway/LayoutCommand.h"

#include "codecs/JsonText.h"
#include "codecs/LayoutCodec.h"
#include "gateway/CtlArgs.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace chukan
{

namespace
{

/// Reads the whole stream in 64 KiB blocks (istreambuf_iterator goes a byte at a time).
std::string readAll(std::istream& in)
{
    std::string data;
    std::vector<char> buf(1 << 16);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
        data.append(buf.data(), static_cast<std::size_t>(in.gcount()));
    return data;
}

std::string layoutsDir(const CtlArgs& args)
{
    if (args.has("layouts"))
        return args.get("layouts");
    return Poco::Environment::get("CHUKAN_LAYOUTS", "conf/layouts");
}

bool isLayoutName(const std::string& name)
{
    return !name.empty() &&
           std::all_of(name.begin(), name.end(),
                       [](char c)
                       { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

} // namespace

std::string LayoutCommand::help() const
{
    return "usage: chukanctl layout decode --layout NAME [--layouts DIR] [--gaiji TABLE] "
           "[--error-limit N] FILE\n"
           "       chukanctl layout encode --layout NAME [--layouts DIR] [--gaiji TABLE] < JSONL > "
           "FILE\n"
           "       chukanctl layout list [--layouts DIR]\n"
           "\n"
           "  decode   fixed-length FILE ('-' for stdin) to one JSON object a good record on "
           "stdout\n"
           "           ({\"field\": \"UTF-8 value\", …} in layout order); every bad field of a bad "
           "record\n"
           "           on stderr: 'record N, field F, byte offset O: reason [raw HEX]'\n"
           "  encode   JSON objects, one a line on stdin, to fixed-length records on stdout; a "
           "bad\n"
           "           line is reported on stderr by line number and skipped\n"
           "  list     the layouts in DIR with record length, encoding, terminator and field "
           "count\n"
           "\n"
           "  --layout NAME     layout DIR/NAME.xml (e.g. bulk_inquiry, juki_resident)\n"
           "  --layouts DIR     layout directory (default: $CHUKAN_LAYOUTS, else conf/layouts)\n"
           "  --gaiji FILE      外字 table for CP932 user-defined characters (0xF040-0xF9FC)\n"
           "  --error-limit N   stop decoding after N bad records (default 100, 0 = no limit)\n"
           "\n"
           "exit codes: 0 all records good, 1 bad records or lines, 2 usage, 78 layout invalid or "
           "missing\n";
}

int LayoutCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"layout", "layouts", "gaiji", "error-limit"});
    if (!parsed)
    {
        ctx.err << "chukanctl layout: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    const auto& pos = args.positionals();
    const std::string verb = pos.empty() ? "" : pos[0];
    const std::string dir = layoutsDir(args);

    if (verb == "list")
    {
        if (pos.size() != 1)
        {
            ctx.err << "chukanctl layout list: takes no arguments\n" << help();
            return CTL_USAGE;
        }
        std::vector<std::string> files;
        try
        {
            for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
                if (it->isFile() && it.path().getExtension() == "xml")
                    files.push_back(it.path().toString());
        }
        catch (const Poco::Exception& e)
        {
            ctx.err << "chukanctl layout list: cannot read layout directory '" << dir
                    << "': " << e.displayText() << std::endl;
            return CTL_CONFIG;
        }
        std::sort(files.begin(), files.end());
        int rc = CTL_OK;
        for (const std::string& f : files)
        {
            Result<Layout> l = Layout::load(f);
            if (!l)
            {
                ctx.err << "chukanctl layout list: " << l.status().message() << std::endl;
                rc = CTL_FAILED;
                continue;
            }
            const Layout& layout = l.value();
            ctx.out << layout.name() << "\t" << layout.recordLength() << " bytes\t"
                    << Charset(layout.encoding()).name() << "\t" << layout.terminatorName() << "\t"
                    << layout.fields().size() << " fields\t" << layout.label() << "\n";
        }
        ctx.out.flush();
        return rc;
    }
    if (verb != "decode" && verb != "encode")
    {
        ctx.err << (verb.empty() ? std::string()
                                 : "chukanctl layout: unknown subcommand '" + verb + "'\n")
                << help();
        return CTL_USAGE;
    }
    if ((verb == "decode" && pos.size() != 2) || (verb == "encode" && pos.size() != 1))
    {
        ctx.err << "chukanctl layout " << verb << ": "
                << (verb == "decode" ? "expected one FILE ('-' for stdin)"
                                     : "input is stdin, no FILE")
                << "\n"
                << help();
        return CTL_USAGE;
    }
    std::string name = args.get("layout");
    if (!isLayoutName(name))
    {
        ctx.err << "chukanctl layout " << verb << ": "
                << (name.empty() ? "--layout NAME is required"
                                 : "layout name '" + name + "' must be a-z, 0-9, _")
                << "\n"
                << help();
        return CTL_USAGE;
    }
    std::size_t errorLimit = 100;
    if (args.has("error-limit"))
    {
        const std::string v = args.get("error-limit");
        if (v.empty() || v.size() > 9 ||
            !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
        {
            ctx.err << "chukanctl layout: --error-limit must be a number, got '" << v << "'\n";
            return CTL_USAGE;
        }
        errorLimit = static_cast<std::size_t>(std::stoul(v));
    }
    std::shared_ptr<const GaijiTable> gaiji;
    if (args.has("gaiji"))
    {
        Result<std::shared_ptr<const GaijiTable>> t = GaijiTable::load(args.get("gaiji"));
        if (!t)
        {
            ctx.err << "chukanctl layout: " << t.status().message() << std::endl;
            return CTL_CONFIG;
        }
        gaiji = t.value();
    }
    std::string path = Poco::Path(dir).append(name + ".xml").toString();
    Result<Layout> layout = Layout::load(path);
    if (!layout)
    {
        ctx.err << "chukanctl layout: " << layout.status().message() << std::endl;
        return CTL_CONFIG;
    }
    LayoutCodec codec(layout.value(), gaiji);
    const auto& fields = codec.layout().fields();

    if (verb == "decode")
    {
        const std::string& file = pos[1];
        std::string data;
        if (file == "-")
            data = readAll(_in);
        else
        {
            std::ifstream in(file, std::ios::binary);
            if (!in)
            {
                ctx.err << "chukanctl layout decode: cannot open '" << file << "'" << std::endl;
                return CTL_FAILED;
            }
            data = readAll(in);
        }
        LayoutReport report = codec.decode(data, errorLimit);
        std::string line;
        for (const DecodedRecord& r : report.records)
        {
            line.clear();
            line += '{';
            for (std::size_t i = 0; i < fields.size(); ++i)
            {
                if (i)
                    line += ',';
                JsonText::appendQuoted(line, fields[i].name);
                line += ':';
                JsonText::appendQuoted(line, r.values[i]);
            }
            line += "}\n";
            ctx.out << line;
        }
        ctx.out.flush();
        for (const RecordError& e : report.errors)
            ctx.err << file << ": " << e.toString() << "\n";
        if (!report.clean())
        {
            ctx.err << file << ": " << report.recordsRead << " records read, "
                    << report.records.size() << " good, " << report.badRecords << " bad"
                    << (report.stoppedAtLimit
                            ? "; stopped at the error limit (" + std::to_string(errorLimit) +
                                  "), the rest of the file was not read"
                            : std::string())
                    << std::endl;
            return CTL_FAILED;
        }
        return CTL_OK;
    }

    // encode
    std::string line;
    std::size_t number = 0, bad = 0;
    while (std::getline(_in, line))
    {
        ++number;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        std::map<std::string, std::string> values;
        std::string problem;
        try
        {
            Poco::JSON::Parser parser;
            Poco::Dynamic::Var v = parser.parse(line);
            Poco::JSON::Object::Ptr object = v.extract<Poco::JSON::Object::Ptr>();
            for (const auto& kv : *object)
            {
                const Poco::Dynamic::Var& value = kv.second;
                if (value.isEmpty())
                    values[kv.first] = "";
                else if (value.isString() || value.isInteger())
                    values[kv.first] = value.convert<std::string>();
                else
                    problem = "field " + kv.first + ": value must be a string or an integer";
            }
        }
        catch (const Poco::BadCastException&)
        {
            problem = "not a JSON object";
        }
        catch (const Poco::Exception& e)
        {
            problem = "not valid JSON: " + e.displayText();
        }
        if (problem.empty())
        {
            Result<std::string> record = codec.encode(values);
            if (record)
            {
                ctx.out << record.value();
                continue;
            }
            problem = record.status().message();
        }
        ++bad;
        ctx.err << "line " << number << ": " << problem << "\n";
    }
    ctx.out.flush();
    if (bad)
    {
        ctx.err << "chukanctl layout encode: " << bad << " of " << number << " lines not encoded"
                << std::endl;
        return CTL_FAILED;
    }
    return CTL_OK;
}

} // namespace chukan
