// RecordsCommand: verify walks every chain from its checkpoint to its head; export pages by seq;
// purge runs the retention job's records step (RetentionSweep::purgeRecords).
#include "gateway/RecordsCommand.h"

#include "adapters/AuditStore.h"
#include "adapters/RecordStore.h"
#include "adapters/RetentionSweep.h"
#include "adapters/TenantStore.h"
#include "codecs/CsvWriter.h"
#include "codecs/MyNumber.h"
#include "codecs/SignedTime.h"
#include "gateway/CtlArgs.h"
#include "gateway/CtlChainCheck.h"
#include "gateway/CtlProgress.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

namespace chukan
{

namespace
{

const int kPage = 1000;
const Poco::Int64 kJstOffset = 9LL * 3600 * 1000000;

/// An instant from ISO 8601 ("2026-04-01T09:00:00+09:00") or a date ("2026-04-01": 00:00 in
/// Japan). endOfDay: a date means the end of that day (the exclusive bound is the next midnight).
Result<Poco::Int64> parseTime(const std::string& text, const std::string& what, bool endOfDay)
{
    static const std::regex date(R"((\d{4})-(\d{2})-(\d{2}))");
    std::smatch m;
    if (std::regex_match(text, m, date))
    {
        int y = std::stoi(m[1]), mo = std::stoi(m[2]), d = std::stoi(m[3]);
        if (!Poco::DateTime::isValid(y, mo, d))
            return Status::invalid(what + " '" + text + "': not a valid date");
        Poco::Int64 midnight =
            Poco::DateTime(y, mo, d).timestamp().epochMicroseconds() - kJstOffset;
        return endOfDay ? midnight + 86400LL * 1000000 : midnight;
    }
    Result<Poco::Timestamp> t = SignedTime::parse(text, what);
    if (!t)
        return Status::invalid(what + " '" + text +
                               "': not a date (2026-04-01) or an ISO 8601 time "
                               "(2026-04-01T09:00:00+09:00)");
    return t->epochMicroseconds();
}

/// UTC with microseconds: the exact value that was hashed.
std::string isoMicros(Poco::Int64 micros)
{
    return Poco::DateTimeFormatter::format(Poco::Timestamp(micros), "%Y-%m-%dT%H:%M:%S.%FZ");
}

std::string compactTime(Poco::Int64 micros)
{
    return Poco::DateTimeFormatter::format(Poco::Timestamp(micros), "%Y%m%dT%H%M%SZ");
}

/// Our 機関コード for the tenant: the configured profile, else the tenant registry.
Result<std::string> institutionOf(CtlContext& ctx, Database& db, const TenantCode& tenant)
{
    if (const Settings* s = ctx.settings())
        if (const TenantProfile* p = s->profile(tenant.str()))
            return p->institutionCode;
    std::optional<TenantRow> row = TenantStore(db).get(tenant);
    if (!row)
        return Status::notFound("tenant " + tenant.str() +
                                " is not registered (chukanctl tenant add) or configured");
    return row->institutionCode;
}

int verify(CtlContext& ctx, const CtlArgs& args, Database& db,
           const std::optional<TenantCode>& tenant)
{
    RecordStore store(db);
    std::vector<std::string> tenants;
    if (tenant)
        tenants.push_back(tenant->str());
    else
        tenants = store.tenants();
    Poco::Int64 every = Poco::NumberParser::parse64(args.get("progress-every", "100000"));
    return CtlChainCheck::run(ctx, "records verify", "records", tenants, every,
                              [&](const TenantCode& t, const HashChain::Progress& progress)
                              { return store.verify(t, 1000, progress); });
}

/// The export's columns, in order (CSV header, JSON member names).
const std::vector<std::string>& exportColumns()
{
    static const std::vector<std::string> columns = {
        "seq",           "kind",          "requester_code",
        "provider_code", "jimu_code",     "procedure_code",
        "item_code",     "subject_fugo",  "subject_atena",
        "requested_at",  "provided_at",   "outcome",
        "reason",        "nondisclosure", "ref_id",
        "created_at",    "prev_hash",     "hash"};
    return columns;
}

std::vector<std::string> exportValues(const ProvisionRecord& r)
{
    return {std::to_string(r.seq),
            r.kind,
            r.requesterCode,
            r.providerCode,
            r.jimuCode,
            r.procedureCode,
            r.itemCode,
            r.subjectFugo,
            r.subjectAtena,
            isoMicros(r.requestedAt),
            r.providedAt ? isoMicros(*r.providedAt) : "",
            r.outcome,
            r.reason,
            r.nondisclosure ? "1" : "0",
            r.refId,
            isoMicros(r.createdAt),
            r.prevHash,
            r.hash};
}

/// The first column (by name) whose value holds something shaped like a 個人番号, or empty.
/// Only the columns that carry what people and business systems wrote are scanned: the seq,
/// times, hashes, ref ids and 符号 are generated or opaque (a random hex id or digest contains a
/// 12-digit run with a valid check digit by chance, which is not a 個人番号).
std::string myNumberColumn(const std::vector<std::string>& values)
{
    const std::vector<std::string>& columns = exportColumns();
    for (std::size_t i = 0; i < values.size(); ++i)
    {
        const std::string& c = columns[i];
        if (c == "seq" || c == "requested_at" || c == "provided_at" || c == "created_at" ||
            c == "prev_hash" || c == "hash" || c == "ref_id" || c == "subject_fugo")
            continue;
        if (MyNumber::containsCandidate(values[i]))
            return c;
    }
    return std::string();
}

/// One JSON object per record; seq and nondisclosure as numbers, provided_at null when unset.
std::string jsonRecord(const ProvisionRecord& r, const std::vector<std::string>& values)
{
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    const std::vector<std::string>& columns = exportColumns();
    for (std::size_t i = 0; i < columns.size(); ++i)
    {
        if (columns[i] == "seq")
            o.set("seq", r.seq);
        else if (columns[i] == "nondisclosure")
            o.set("nondisclosure", r.nondisclosure);
        else if (columns[i] == "provided_at" && !r.providedAt)
            o.set("provided_at", Poco::Dynamic::Var());
        else
            o.set(columns[i], values[i]);
    }
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

int exportRecords(CtlContext& ctx, const CtlArgs& args, Database& db, const TenantCode& tenant)
{
    RecordFilter filter;
    if (args.has("from"))
    {
        Result<Poco::Int64> from = parseTime(args.get("from"), "--from", false);
        if (!from)
        {
            ctx.err << "chukanctl records export: " << from.status().message() << std::endl;
            return CTL_USAGE;
        }
        filter.from = from.value();
    }
    if (args.has("to"))
    {
        Result<Poco::Int64> to = parseTime(args.get("to"), "--to", true);
        if (!to)
        {
            ctx.err << "chukanctl records export: " << to.status().message() << std::endl;
            return CTL_USAGE;
        }
        filter.to = to.value();
    }
    filter.subjectAtena = args.get("atena");
    if (!filter.subjectAtena.empty() &&
        (filter.subjectAtena.size() != 15 ||
         filter.subjectAtena.find_first_not_of("0123456789") != std::string::npos))
    {
        // The value is not echoed: it may be a 個人番号 typed by mistake.
        ctx.err << "chukanctl records export: --atena must be a 統合宛名番号 of 15 digits, got "
                << filter.subjectAtena.size() << " characters" << std::endl;
        return CTL_USAGE;
    }
    const std::string format = args.get("format", "csv"), encoding = args.get("encoding", "utf-8");
    if (format != "csv" && format != "json")
    {
        ctx.err << "chukanctl records export: --format must be csv or json, got '" << format << "'"
                << std::endl;
        return CTL_USAGE;
    }
    if (encoding != "utf-8" && encoding != "cp932")
    {
        ctx.err << "chukanctl records export: --encoding must be utf-8 or cp932, got '" << encoding
                << "'" << std::endl;
        return CTL_USAGE;
    }
    if (format == "json" && encoding != "utf-8")
    {
        ctx.err << "chukanctl records export: JSON is always UTF-8; --encoding cp932 is for csv"
                << std::endl;
        return CTL_USAGE;
    }
    const bool disclosure = args.has("disclosure");
    if (disclosure && filter.subjectAtena.empty())
    {
        ctx.err << "chukanctl records export: --disclosure is one resident's report: it needs "
                   "--atena NO"
                << std::endl;
        return CTL_USAGE;
    }

    std::string outPath = args.get("out");
    std::ofstream file;
    if (!outPath.empty())
    {
        file.open(outPath + ".part", std::ios::binary | std::ios::trunc);
        if (!file)
        {
            ctx.err << "chukanctl records export: cannot write '" << outPath << ".part'"
                    << std::endl;
            return CTL_FAILED;
        }
    }
    std::ostream& out = outPath.empty() ? ctx.out : file;
    CsvWriter::Options options;
    options.charset = encoding == "cp932" ? CsvCharset::cp932() : CsvCharset::utf8();
    auto writeCsv = [&](const std::vector<std::string>& fields) -> Status
    {
        CsvWriter w(options);
        Status st = w.writeRecord(fields);
        if (st)
            out << w.bytes();
        return st;
    };
    if (format == "csv")
        writeCsv(exportColumns());
    else
        out << "{\"tenant\":\"" << tenant.str() << "\",\"records\":[";

    RecordStore store(db);
    const Poco::Int64 total = store.count(tenant, filter);
    CtlProgress progress(ctx.err, "records export " + tenant.str(), "records",
                         CtlProgress::isTerminal(ctx.err));
    Poco::Int64 seen = 0, written = 0, bad = 0;
    for (;;)
    {
        std::vector<ProvisionRecord> page = store.query(tenant, filter, 0, kPage);
        for (const ProvisionRecord& r : page)
        {
            filter.afterSeq = r.seq;
            ++seen;
            // A resident's disclosure leaves out what is 不開示 and the platform's own records.
            if (disclosure && (r.nondisclosure || r.kind == "purge"))
                continue;
            const std::vector<std::string> values = exportValues(r);
            Status st;
            std::string column = myNumberColumn(values);
            if (!column.empty())
                st = Status::invalid(column + " holds a 12-digit run with a valid 個人番号 check "
                                              "digit; the record is withheld from the export");
            else if (format == "csv")
                st = writeCsv(values);
            else
                out << (written ? ",\n" : "\n") << jsonRecord(r, values);
            if (st)
                ++written;
            else
            {
                ++bad;
                ctx.err << "chukanctl records export: tenant " << tenant.str() << " seq " << r.seq
                        << ": " << st.message() << std::endl;
            }
        }
        progress.update(seen, total);
        if (page.size() < static_cast<std::size_t>(kPage))
            break;
    }
    progress.finish();
    if (format == "json")
        out << (written ? "\n" : "") << "],\"count\":" << written << ",\"withheld\":" << bad
            << "}\n";
    out.flush();
    if (!outPath.empty())
    {
        file.close();
        if (!file || std::rename((outPath + ".part").c_str(), outPath.c_str()) != 0)
        {
            ctx.err << "chukanctl records export: cannot write '" << outPath << "'" << std::endl;
            return CTL_FAILED;
        }
    }
    ctx.err << "chukanctl records export: tenant " << tenant.str() << ": " << written
            << " records written" << (bad ? ", " + std::to_string(bad) + " withheld" : "")
            << std::endl;
    return bad ? CTL_FAILED : CTL_OK;
}

int purge(CtlContext& ctx, const CtlArgs& args, Database& db, const TenantCode& tenant)
{
    Result<Poco::Int64> now = CtlChainCheck::now(args.get("now"));
    if (!now)
    {
        ctx.err << "chukanctl records purge: " << now.status().message() << std::endl;
        return CTL_USAGE;
    }
    Result<std::string> institution = institutionOf(ctx, db, tenant);
    if (!institution)
    {
        ctx.err << "chukanctl records purge: " << institution.status().message() << std::endl;
        return CTL_FAILED;
    }
    const int days = ctx.settings()->recordsRetentionDays;
    const bool dryRun = args.has("dry-run");
    ManualClock clock(now.value());
    RetentionSweep sweep(db, ctx.settings()->nodeId, clock);
    const std::string refId = "chukanctl-" + compactTime(now.value());
    Result<ChainPurge> p = sweep.purgeRecords(tenant, institution.value(), days, refId, dryRun);
    const std::string cutoff =
        SignedTime::format(Poco::Timestamp(now.value() - days * 86400LL * 1000000));
    if (!dryRun)
    {
        // The operation itself goes to the staff audit log (the purge record is in the chain).
        AuditEntry entry;
        entry.staffId = "chukanctl";
        entry.at = now.value();
        entry.operation = "records.purge";
        entry.target = "provision_records";
        entry.outcome = !p ? "refused" : p->purged == 0 ? "nothing" : "purged";
        entry.detail = !p ? p.status().message().substr(0, 400)
                          : "retention " + std::to_string(days) + " days: purged " +
                                std::to_string(p->purged) + " records, seq " +
                                std::to_string(p->firstSeq) + " to " + std::to_string(p->lastSeq) +
                                ", recorded as seq " + std::to_string(p->noteSeq) + " (" + refId +
                                ")";
        Result<Poco::Int64> logged = AuditStore(db).append(tenant, entry);
        if (!logged)
            ctx.err << "chukanctl records purge: audit log: " << logged.status().message()
                    << std::endl;
    }
    if (!p)
    {
        ctx.err << "chukanctl records purge: " << p.status().message() << std::endl;
        return p.status().code() == Status::CORRUPTION ? CTL_FAILED : CTL_UNAVAILABLE;
    }
    if (p->purged == 0)
        ctx.out << tenant.str() << "\tnothing to purge: no record created before " << cutoff
                << " (retention " << days << " days)" << std::endl;
    else if (dryRun)
        ctx.out << tenant.str() << "\twould purge " << p->purged << " records, seq " << p->firstSeq
                << " to " << p->lastSeq << ", created before " << cutoff << " (retention " << days
                << " days)" << std::endl;
    else
        ctx.out << tenant.str() << "\tpurged " << p->purged << " records, seq " << p->firstSeq
                << " to " << p->lastSeq << ", created before " << cutoff << " (retention " << days
                << " days); checkpoint seq " << p->lastSeq << ", recorded as seq " << p->noteSeq
                << " (" << refId << ")" << std::endl;
    return CTL_OK;
}

} // namespace

std::string RecordsCommand::help() const
{
    return "usage: chukanctl records verify [--tenant CODE | CODE] [--progress-every N]\n"
           "       chukanctl records export --tenant CODE [--from WHEN] [--to WHEN] [--atena NO]\n"
           "                                [--disclosure] [--format csv|json]\n"
           "                                [--encoding utf-8|cp932] [--out FILE]\n"
           "       chukanctl records purge --tenant CODE [--dry-run]\n"
           "       chukanctl records VERB --help\n"
           "\n"
           "  verify   walks the hash chain of every tenant (or one) from its checkpoint to its\n"
           "           head and prints a line per tenant on stdout:\n"
           "             CODE  intact  N records verified after checkpoint seq A, head seq H hash "
           "X\n"
           "             CODE  BROKEN  the first broken link: tenant, seq and reason\n"
           "           reasons: hash mismatch (a record altered), prev_hash does not link (one\n"
           "           inserted or reordered), missing (deleted), missing at the end (the newest\n"
           "           deleted: the chain head names a later seq), beyond the chain head (added\n"
           "           outside chukan), no chain head. Note the head seq and hash somewhere else:\n"
           "           a chain rewritten from the start with SQL access can only be caught that "
           "way.\n"
           "  export   writes the tenant's records in seq order, purge records included; times\n"
           "           are UTC with microseconds (the values that were hashed), hashes included\n"
           "             --format csv  (default) a header line, then one line per record\n"
           "             --format json {\"tenant\":..., \"records\":[{\"seq\":1, \"kind\":...}, "
           "...],\n"
           "                           \"count\":N, \"withheld\":W}, members named as the CSV "
           "header\n"
           "             --from/--to   created at or after / before; a date (2026-04-01) is the\n"
           "                           day in Japan time, --to includes that day\n"
           "             --atena       one resident's records (統合宛名番号)\n"
           "             --disclosure  one resident's report (needs --atena): leaves out 不開示\n"
           "                           records and purge records\n"
           "             --encoding    cp932 for CSV read by older tools (JSON is always UTF-8)\n"
           "             --out FILE    through FILE.part, renamed when complete (default stdout)\n"
           "           A record with anything shaped like a 個人番号 (12 digits with a valid\n"
           "           check digit) in a code, the 統合宛名番号, the outcome or the reason is\n"
           "           withheld (named by seq and field on stderr, exit 1): an export never\n"
           "           carries one. Generated ids, 符号, times and hashes are not scanned.\n"
           "  purge    deletes the records created more than chukan.records.retentionDays ago\n"
           "           (default 2557, 7 years) — only the oldest run of them, in chunks — after\n"
           "           verifying them; moves the chain's checkpoint to the last one and appends a\n"
           "           record of the purge (kind purge, outcome purged, the count and seq range),\n"
           "           and writes an audit entry (staff chukanctl, operation records.purge).\n"
           "           This is the step the gateway's retention job runs every\n"
           "           chukan.retention.intervalSeconds.\n"
           "             --dry-run     prints what would be purged, changes nothing\n"
           "             --now WHEN    (tests only, with CHUKAN_TEST_CLOCK=1) purge as if it were "
           "WHEN\n"
           "\n"
           "Progress goes to stderr: a bar on a terminal, otherwise a line every --progress-every\n"
           "records (default 100000).\n"
           "exit codes: 0 intact / done; 1 a broken chain, a purge refused because the records to\n"
           "delete do not verify, or records withheld from an export; 2 usage; 69 store\n"
           "unavailable or at another schema version; 78 configuration error\n";
}

int RecordsCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(
        argv,
        {"tenant", "from", "to", "atena", "format", "encoding", "out", "now", "progress-every"},
        {"dry-run", "disclosure"});
    if (!parsed)
    {
        ctx.err << "chukanctl records: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    const auto& pos = args.positionals();
    const std::string verb = pos.empty() ? "" : pos[0];
    if (verb != "verify" && verb != "export" && verb != "purge")
    {
        ctx.err << (verb.empty() ? "" : "chukanctl records: unknown verb '" + verb + "'\n")
                << help();
        return CTL_USAGE;
    }
    // `records verify CODE` is `records verify --tenant CODE`.
    std::string tenantArg = args.get("tenant");
    if (pos.size() == 2 && verb == "verify" && tenantArg.empty())
        tenantArg = pos[1];
    else if (pos.size() > 1)
    {
        ctx.err << "chukanctl records " << verb << ": unexpected argument '" << pos[1]
                << "' (use --tenant CODE)\n";
        return CTL_USAGE;
    }
    if (verb != "verify" && tenantArg.empty())
    {
        ctx.err << "chukanctl records " << verb << ": --tenant CODE is required\n";
        return CTL_USAGE;
    }
    std::optional<TenantCode> tenant;
    if (!tenantArg.empty())
    {
        Result<TenantCode> t = TenantCode::parse(tenantArg);
        if (!t)
        {
            ctx.err << "chukanctl records " << verb << ": " << t.status().message() << std::endl;
            return CTL_USAGE;
        }
        tenant = t.value();
    }
    if (args.has("progress-every"))
    {
        Poco::Int64 n = 0;
        if (!Poco::NumberParser::tryParse64(args.get("progress-every"), n) || n < 1)
        {
            ctx.err << "chukanctl records " << verb
                    << ": --progress-every must be a positive number\n";
            return CTL_USAGE;
        }
    }
    int failure = CTL_OK;
    Database* db = CtlChainCheck::store(ctx, "records " + verb, failure);
    if (!db)
        return failure;
    if (verb == "verify")
        return verify(ctx, args, *db, tenant);
    if (verb == "export")
        return exportRecords(ctx, args, *db, *tenant);
    return purge(ctx, args, *db, *tenant);
}

} // namespace chukan
