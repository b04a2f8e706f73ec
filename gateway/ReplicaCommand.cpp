// ReplicaCommand: pages through the current 副本 items of a layout, re-encodes their payload
// fields, or diffs them with the original file.
#include "gateway/ReplicaCommand.h"

#include "adapters/Migrator.h"
#include "adapters/ReplicaStore.h"
#include "codecs/CsvWriter.h"
#include "codecs/LayoutCodec.h"
#include "gateway/CtlArgs.h"
#include "gateway/ReplicaFileImporter.h"

#include <Poco/Path.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <unordered_map>

#include <unistd.h>

namespace chukan
{

namespace
{

const int PAGE = 1000;

/// Progress on stderr: a line every 10 000 records when stderr is a file or pipe, a \r counter on a
/// terminal.
class Progress
{
public:
    Progress(CtlContext& ctx, std::string what)
        : _err(ctx.err), _what(std::move(what)),
          _tty(&ctx.err == &std::cerr && ::isatty(STDERR_FILENO))
    {
    }
    void tick()
    {
        ++_count;
        if (_tty && _count % 1000 == 0)
            _err << "\r" << _what << ": " << _count << " records" << std::flush;
        else if (!_tty && _count % 10000 == 0)
            _err << _what << ": " << _count << " records" << std::endl;
    }
    void finish()
    {
        if (_tty && _count >= 1000)
            _err << "\r" << _what << ": " << _count << " records" << std::endl;
    }
    std::size_t count() const { return _count; }

private:
    std::ostream& _err;
    std::string _what;
    bool _tty;
    std::size_t _count = 0;
};

/// Calls visit(item) for every current, not deleted item of the layout and data set, in record id
/// order.
void forEachItem(ReplicaStore& store, const TenantCode& tenant, const std::string& layout,
                 const std::string& dataset, const std::function<void(const ReplicaItem&)>& visit)
{
    const std::string prefix = layout + ":";
    std::string after = prefix; // every id of the layout sorts after its bare prefix
    for (;;)
    {
        std::vector<ReplicaItem> page = store.listCurrent(tenant, after, PAGE);
        for (const ReplicaItem& item : page)
        {
            if (item.recordId.compare(0, prefix.size(), prefix) != 0)
                return;
            after = item.recordId;
            if (!item.deleted && item.payload && item.datasetKey == dataset)
                visit(item);
        }
        if (page.size() < static_cast<std::size_t>(PAGE))
            return;
    }
}

} // namespace

std::string ReplicaCommand::help() const
{
    return "usage: chukanctl replica export TENANT --layout NAME [--dataset KEY] [--format "
           "fixed|csv]\n"
           "                                [--encoding cp932|utf-8] [--out FILE]\n"
           "       chukanctl replica reconcile TENANT ORIGINAL --layout NAME [--dataset KEY]\n"
           "\n"
           "  export     writes the current (not deleted) 副本 items imported from layout NAME "
           "(record\n"
           "             ids NAME:<atena_no>[:KEY]) in record id order: as fixed-length records of "
           "the\n"
           "             layout (default; fields re-encoded from the payload XML, 住民票コード "
           "blank),\n"
           "             or as CSV with a header of field names (住民票コード, never stored, "
           "omitted)\n"
           "  reconcile  decodes the business system's ORIGINAL file in layout NAME and lists "
           "every\n"
           "             difference on stdout, tab-separated:\n"
           "               only-in-original  RECORD_ID  record N\n"
           "               only-in-replica   RECORD_ID\n"
           "               differs           RECORD_ID  FIELD  ORIGINAL_VALUE  REPLICA_VALUE\n"
           "               duplicate         RECORD_ID  record N   (twice in the original)\n"
           "               unreadable        record N  FIELD  REASON   (a bad record of the "
           "original)\n"
           "             住民票コード is not compared (the 副本 never holds it).\n"
           "\n"
           "  TENANT       地方公共団体コード (e.g. 121002)\n"
           "  --layout     juki_resident or zeimu_resident_tax (from chukan.layouts.dir)\n"
           "  --dataset    the data-set key the file was imported with (default: none)\n"
           "  --format     fixed (default) or csv\n"
           "  --encoding   CSV character set (default cp932, the layout's)\n"
           "  --out        write to FILE (through FILE.part, renamed when complete); default "
           "stdout\n"
           "\n"
           "Progress goes to stderr every 10 000 records (a running counter on a terminal).\n"
           "exit codes: 0 exported / identical, 1 items that could not be exported or differences\n"
           "found, 2 usage, 69 store unavailable, 78 configuration or layout error\n";
}

int ReplicaCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed =
        CtlArgs::parse(argv, {"layout", "dataset", "format", "encoding", "out"});
    if (!parsed)
    {
        ctx.err << "chukanctl replica: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    const auto& pos = args.positionals();
    const std::string verb = pos.empty() ? "" : pos[0];
    if (!((verb == "export" && pos.size() == 2) || (verb == "reconcile" && pos.size() == 3)))
    {
        ctx.err << help();
        return CTL_USAGE;
    }
    Result<TenantCode> tenant = TenantCode::parse(pos[1]);
    if (!tenant)
    {
        ctx.err << "chukanctl replica " << verb << ": " << tenant.status().message() << std::endl;
        return CTL_USAGE;
    }
    const std::string layoutName = args.get("layout");
    const auto& known = ReplicaFileImporter::replicaLayouts();
    if (std::find(known.begin(), known.end(), layoutName) == known.end())
    {
        ctx.err << "chukanctl replica " << verb
                << ": --layout must be juki_resident or zeimu_resident_tax"
                << (layoutName.empty() ? "" : ", got '" + layoutName + "'") << "\n";
        return CTL_USAGE;
    }
    const std::string format = args.get("format", "fixed");
    const std::string encoding = args.get("encoding", "cp932");
    if (format != "fixed" && format != "csv")
    {
        ctx.err << "chukanctl replica export: --format must be fixed or csv, got '" << format
                << "'\n";
        return CTL_USAGE;
    }
    if (encoding != "cp932" && encoding != "utf-8")
    {
        ctx.err << "chukanctl replica export: --encoding must be cp932 or utf-8, got '" << encoding
                << "'\n";
        return CTL_USAGE;
    }
    const std::string dataset = args.get("dataset");

    const Settings* settings = ctx.settings();
    if (!settings)
        return ctx.failureCode();
    Result<Layout> layout =
        Layout::load(Poco::Path(settings->layoutsDir).append(layoutName + ".xml").toString());
    if (!layout)
    {
        ctx.err << "chukanctl replica: " << layout.status().message() << std::endl;
        return CTL_CONFIG;
    }
    LayoutCodec codec(layout.value());
    const auto& fields = codec.layout().fields();
    Database* db = ctx.database();
    if (!db)
        return ctx.failureCode();
    Result<int> migrated = Migrator(*db).migrate();
    if (!migrated)
    {
        ctx.err << "chukanctl: " << migrated.status().message() << std::endl;
        return CTL_FAILED;
    }
    ReplicaStore store(*db);

    if (verb == "export")
    {
        std::string outPath = args.get("out");
        std::ofstream file;
        if (!outPath.empty())
        {
            file.open(outPath + ".part", std::ios::binary | std::ios::trunc);
            if (!file)
            {
                ctx.err << "chukanctl replica export: cannot write '" << outPath << ".part'"
                        << std::endl;
                return CTL_FAILED;
            }
        }
        std::ostream& out = outPath.empty() ? ctx.out : file;
        CsvWriter::Options csvOptions;
        csvOptions.charset = encoding == "cp932" ? CsvCharset::cp932() : CsvCharset::utf8();
        std::vector<std::string> columns;
        for (const LayoutField& f : fields)
            if (!ReplicaFileImporter::isExcludedField(f.name))
                columns.push_back(f.name);
        if (format == "csv")
        {
            CsvWriter header(csvOptions);
            header.writeRecord(columns);
            out << header.bytes();
        }
        Progress progress(ctx, "chukanctl replica export");
        std::size_t bad = 0;
        forEachItem(store, tenant.value(), layoutName, dataset,
                    [&](const ReplicaItem& item)
                    {
                        progress.tick();
                        Result<std::map<std::string, std::string>> values =
                            ReplicaFileImporter::parsePayload(layoutName, *item.payload);
                        Status st = values ? Status::ok() : values.status();
                        if (st && format == "fixed")
                        {
                            Result<std::string> record = codec.encode(values.value());
                            if (record)
                                out << record.value();
                            else
                                st = record.status();
                        }
                        else if (st)
                        {
                            std::vector<std::string> row;
                            for (const std::string& c : columns)
                            {
                                auto it = values.value().find(c);
                                row.push_back(it == values.value().end() ? "" : it->second);
                            }
                            CsvWriter writer(csvOptions);
                            st = writer.writeRecord(row);
                            out << writer.bytes();
                        }
                        if (!st)
                        {
                            ++bad;
                            ctx.err << "chukanctl replica export: " << item.recordId << " version "
                                    << item.version << ": " << st.message() << std::endl;
                        }
                    });
        progress.finish();
        out.flush();
        if (!outPath.empty())
        {
            file.close();
            if (!file || std::rename((outPath + ".part").c_str(), outPath.c_str()) != 0)
            {
                ctx.err << "chukanctl replica export: cannot write '" << outPath << "'"
                        << std::endl;
                return CTL_FAILED;
            }
        }
        ctx.err << "chukanctl replica export: " << progress.count() - bad << " records written"
                << (bad ? ", " + std::to_string(bad) + " items could not be exported"
                        : std::string())
                << std::endl;
        return bad ? CTL_FAILED : CTL_OK;
    }

    // reconcile
    const std::string& originalPath = pos[2];
    std::string data;
    {
        std::ifstream in(originalPath, std::ios::binary | std::ios::ate);
        if (in)
        {
            data.resize(static_cast<std::size_t>(in.tellg()));
            in.seekg(0);
            in.read(&data[0], static_cast<std::streamsize>(data.size()));
        }
        if (!in)
        {
            ctx.err << "chukanctl replica reconcile: cannot read '" << originalPath << "'"
                    << std::endl;
            return CTL_FAILED;
        }
    }
    LayoutReport original = codec.decode(data, 0);
    data.clear();
    data.shrink_to_fit();
    std::size_t atenaIndex = 0;
    while (fields[atenaIndex].name != ReplicaFileImporter::ATENA_FIELD)
        ++atenaIndex;
    std::size_t unreadable = original.badRecords, duplicates = 0, onlyOriginal = 0, onlyReplica = 0,
                differing = 0, fieldDiffs = 0, identical = 0;
    for (const RecordError& e : original.errors)
        ctx.out << "unreadable\trecord " << e.recordNumber << "\t" << e.field << "\t" << e.reason
                << "\n";
    std::unordered_map<std::string, std::size_t> byId; // record id -> index in original.records
    for (std::size_t i = 0; i < original.records.size(); ++i)
    {
        const DecodedRecord& r = original.records[i];
        std::string id = ReplicaFileImporter::recordId(layoutName, r.values[atenaIndex], dataset);
        if (!byId.emplace(id, i).second)
        {
            ++duplicates;
            ctx.out << "duplicate\t" << id << "\trecord " << r.recordNumber << "\n";
        }
    }
    std::vector<bool> matched(original.records.size(), false);
    Progress progress(ctx, "chukanctl replica reconcile");
    forEachItem(store, tenant.value(), layoutName, dataset,
                [&](const ReplicaItem& item)
                {
                    progress.tick();
                    auto it = byId.find(item.recordId);
                    if (it == byId.end())
                    {
                        ++onlyReplica;
                        ctx.out << "only-in-replica\t" << item.recordId << "\n";
                        return;
                    }
                    matched[it->second] = true;
                    const DecodedRecord& orig = original.records[it->second];
                    Result<std::map<std::string, std::string>> values =
                        ReplicaFileImporter::parsePayload(layoutName, *item.payload);
                    std::size_t before = fieldDiffs;
                    for (std::size_t f = 0; f < fields.size(); ++f)
                    {
                        if (ReplicaFileImporter::isExcludedField(fields[f].name))
                            continue;
                        std::string replica;
                        if (values)
                        {
                            auto v = values.value().find(fields[f].name);
                            replica = v == values.value().end() ? "" : v->second;
                        }
                        else
                            replica = "(" + values.status().message() + ")";
                        if (replica != orig.values[f])
                        {
                            ++fieldDiffs;
                            ctx.out << "differs\t" << item.recordId << "\t" << fields[f].name
                                    << "\t" << orig.values[f] << "\t" << replica << "\n";
                        }
                    }
                    (fieldDiffs == before ? identical : differing) += 1;
                });
    progress.finish();
    for (std::size_t i = 0; i < original.records.size(); ++i)
        if (!matched[i])
        {
            const DecodedRecord& r = original.records[i];
            std::string id =
                ReplicaFileImporter::recordId(layoutName, r.values[atenaIndex], dataset);
            if (byId[id] != i)
                continue; // a duplicate, already listed
            ++onlyOriginal;
            ctx.out << "only-in-original\t" << id << "\trecord " << r.recordNumber << "\n";
        }
    ctx.out.flush();
    bool same = unreadable + duplicates + onlyOriginal + onlyReplica + differing == 0;
    ctx.err << "chukanctl replica reconcile: " << original.recordsRead << " original records, "
            << progress.count() << " replica items: " << identical << " identical, " << differing
            << " with differing fields (" << fieldDiffs << " fields), " << onlyOriginal
            << " only in the original, " << onlyReplica << " only in the replica, " << duplicates
            << " duplicates and " << unreadable << " unreadable records in the original"
            << (same ? " — identical" : "") << std::endl;
    return same ? CTL_OK : CTL_FAILED;
}

} // namespace chukan
