// ReplicaBench: chunked 副本 imports into a fresh store, timed, and the CSV the baselines load.
#include "tests/bench/ReplicaBench.h"

#include "adapters/Clock.h"
#include "adapters/Migrator.h"
#include "codecs/LayoutCodec.h"
#include "gateway/ReplicaFileImporter.h"
#include "tests/bench/ProcStats.h"

#include <Poco/Environment.h>
#include <Poco/Exception.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace chukan
{

namespace
{

bool readFile(const std::string& path, std::string& out)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
    return static_cast<bool>(in) || !out.empty();
}

std::string layoutsDir()
{
    return std::string(CHUKAN_SOURCE_DIR) + "/conf/layouts";
}

/// CSV field: always quoted, quotes doubled (what sqlite3 --csv and LOAD DATA … ENCLOSED BY read).
void csvField(std::string& out, const std::string& v)
{
    out += '"';
    for (char c : v)
    {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

int writeCsv(const std::string& data, const std::string& outPath)
{
    Result<Layout> layout = Layout::load(layoutsDir() + "/juki_resident.xml");
    if (!layout)
    {
        std::fprintf(stderr, "chukan-bench: %s\n", layout.status().message().c_str());
        return 2;
    }
    LayoutCodec codec(layout.value());
    LayoutReport decoded = codec.decode(data, 0);
    if (decoded.badRecords)
    {
        std::fprintf(stderr, "chukan-bench: %zu bad records in the data file\n",
                     decoded.badRecords);
        return 1;
    }
    const auto& fields = codec.layout().fields();
    std::ofstream out(outPath, std::ios::binary);
    std::string line;
    for (const DecodedRecord& r : decoded.records)
    {
        line.clear();
        csvField(line, ReplicaFileImporter::recordId("juki_resident", r.values[0], ""));
        for (std::size_t i = 0; i < fields.size(); ++i)
        {
            if (ReplicaFileImporter::isExcludedField(fields[i].name))
                continue;
            line += ',';
            csvField(line, r.values[i]);
        }
        line += '\n';
        out << line;
    }
    if (!out.flush())
    {
        std::fprintf(stderr, "chukan-bench: cannot write %s\n", outPath.c_str());
        return 2;
    }
    std::printf("csv records=%zu columns=%zu\n", decoded.records.size(), fields.size());
    return 0;
}

} // namespace

const char* ReplicaBench::usage()
{
    return "replica --data FILE (--csv OUT | --backend sqlite --sqlite-path DB | --backend "
           "mariadb --database NAME)\n"
           "        [--chunk N] [--batch N] [--connections N] [--max-seconds S]\n"
           "  --data FILE       juki_resident records (chukan-bench codecs --generate)\n"
           "  --csv OUT         write the records as UTF-8 CSV for the baselines and exit\n"
           "  --chunk N         records a ReplicaFileImporter::import call (default 10000)\n"
           "  --batch N         records a store transaction (default: the importer's, 2000)\n"
           "  --connections N   MariaDB: batches stored at once (default: the importer's, 2)\n"
           "  --max-seconds S   stop after the chunk that passes S seconds (default 600)\n";
}

int ReplicaBench::run(const std::vector<std::string>& args)
{
    std::string dataFile, csvOut, backend, sqlitePath, database;
    std::size_t chunk = 10000, batch = ReplicaFileImporter::DEFAULT_BATCH, connections = 0;
    double maxSeconds = 600;
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        const std::string& a = args[i];
        bool hasValue = i + 1 < args.size();
        if (a == "--data" && hasValue)
            dataFile = args[++i];
        else if (a == "--csv" && hasValue)
            csvOut = args[++i];
        else if (a == "--backend" && hasValue)
            backend = args[++i];
        else if (a == "--sqlite-path" && hasValue)
            sqlitePath = args[++i];
        else if (a == "--database" && hasValue)
            database = args[++i];
        else if (a == "--chunk" && hasValue)
            chunk = std::strtoul(args[++i].c_str(), nullptr, 10);
        else if (a == "--batch" && hasValue)
            batch = std::strtoul(args[++i].c_str(), nullptr, 10);
        else if (a == "--connections" && hasValue)
            connections = std::strtoul(args[++i].c_str(), nullptr, 10);
        else if (a == "--max-seconds" && hasValue)
            maxSeconds = std::strtod(args[++i].c_str(), nullptr);
        else
        {
            std::fprintf(stderr, "chukan-bench: bad replica argument '%s'\nusage: %s", a.c_str(),
                         usage());
            return 2;
        }
    }
    std::string data;
    if (dataFile.empty() || !readFile(dataFile, data) || chunk == 0)
    {
        std::fprintf(stderr,
                     "chukan-bench: replica needs --data FILE (readable) and --chunk > 0\n");
        return 2;
    }
    if (!csvOut.empty())
        return writeCsv(data, csvOut);

    Database::Options options;
    if (backend == "sqlite" && !sqlitePath.empty())
    {
        options.backend = Database::SQLITE;
        options.sqlitePath = sqlitePath;
    }
    else if (backend == "mariadb" && !database.empty())
    {
        options.backend = Database::MARIADB;
        options.mariadbHost = Poco::Environment::get("CHUKAN_TEST_MARIADB_HOST", "127.0.0.1");
        options.mariadbPort =
            std::atoi(Poco::Environment::get("CHUKAN_TEST_MARIADB_PORT", "3306").c_str());
        options.mariadbUser = Poco::Environment::get("CHUKAN_TEST_MARIADB_USER", "");
        options.mariadbPassword = Poco::Environment::get("CHUKAN_TEST_MARIADB_PASSWORD", "");
        options.mariadbDatabase = database;
    }
    else
    {
        std::fprintf(stderr, "chukan-bench: replica needs --backend sqlite --sqlite-path DB or "
                             "--backend mariadb --database NAME\n");
        return 2;
    }
    const void* nl = std::memchr(data.data(), '\n', data.size());
    if (!nl)
    {
        std::fprintf(stderr, "chukan-bench: %s has no record terminator\n", dataFile.c_str());
        return 2;
    }
    const std::size_t stride = static_cast<const char*>(nl) - data.data() + 1;
    const std::size_t total = data.size() / stride;

    Result<std::shared_ptr<Database>> db = Database::open(options);
    if (!db)
    {
        std::fprintf(stderr, "chukan-bench: %s\n", db.status().message().c_str());
        return 1;
    }
    Result<int> migrated = Migrator(*db.value()).migrate();
    if (!migrated)
    {
        std::fprintf(stderr, "chukan-bench: %s\n", migrated.status().message().c_str());
        return 1;
    }
    ReplicaFileImporter importer(db.value(), std::make_shared<SystemClock>(), layoutsDir(), batch,
                                 connections);
    const TenantCode tenant = TenantCode::parse("352063").value();
    ReplicaFileRequest request;
    request.layout = "juki_resident";
    request.itemCode = "TM00000000000001";
    request.sourceSystem = "juki";

    std::size_t done = 0, accepted = 0, rejected = 0;
    const ProcSample before = ProcStats::read(0);
    const auto start = std::chrono::steady_clock::now();
    double seconds = 0;
    bool stopped = false;
    try
    {
        for (std::size_t at = 0; at < total; at += chunk)
        {
            std::size_t n = std::min(chunk, total - at);
            ReplicaFileReport report =
                importer.import(tenant, request, data.substr(at * stride, n * stride));
            if (!report.error.empty())
            {
                std::fprintf(stderr, "chukan-bench: chunk at record %zu refused: %s\n", at + 1,
                             report.error.c_str());
                return 1;
            }
            done += n;
            accepted += report.accepted;
            rejected += report.rejected;
            seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (seconds > maxSeconds && done < total)
            {
                stopped = true;
                break;
            }
        }
    }
    catch (const Poco::Exception& e)
    {
        std::fprintf(stderr, "chukan-bench: store failure: %s\n", e.displayText().c_str());
        return 1;
    }
    const ProcSample after = ProcStats::read(0);
    std::printf("replica backend=%s records=%zu of=%zu accepted=%zu rejected=%zu seconds=%.3f "
                "rate=%.0f cpu=%.2f peak_rss_mb=%.0f stopped=%s chunk=%zu\n",
                options.backend == Database::SQLITE ? "sqlite" : "mariadb", done, total, accepted,
                rejected, seconds, seconds > 0 ? static_cast<double>(done) / seconds : 0.0,
                after.cpuSeconds - before.cpuSeconds, after.peakRssMb, stopped ? "yes" : "no",
                chunk);
    return rejected ? 1 : 0;
}

} // namespace chukan
