// AuditCommand: the audit log counterpart of RecordsCommand's verify and purge.
#include "gateway/AuditCommand.h"

#include "adapters/AuditStore.h"
#include "adapters/RetentionSweep.h"
#include "codecs/SignedTime.h"
#include "gateway/CtlArgs.h"
#include "gateway/CtlChainCheck.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/NumberParser.h>

namespace chukan
{

std::string AuditCommand::help() const
{
    return "usage: chukanctl audit verify [--tenant CODE | CODE] [--progress-every N]\n"
           "       chukanctl audit purge --tenant CODE [--dry-run]\n"
           "       chukanctl audit VERB --help\n"
           "\n"
           "  verify  walks the audit log's hash chain of every tenant (or one) from its\n"
           "          checkpoint to its head; a line per tenant on stdout, as records verify:\n"
           "            CODE  intact  N entries verified after checkpoint seq A, head seq H hash "
           "X\n"
           "            CODE  BROKEN  the first broken link: tenant, seq and reason\n"
           "  purge   deletes the entries older than chukan.audit.retentionDays (default 2557)\n"
           "          after verifying them, moves the checkpoint and appends an entry of the "
           "purge\n"
           "          (staff chukanctl, operation retention.purge) — the retention job's audit "
           "step\n"
           "            --dry-run   prints what would be purged, changes nothing\n"
           "            --now WHEN  (tests only, with CHUKAN_TEST_CLOCK=1) purge as if it were "
           "WHEN\n"
           "\n"
           "Progress goes to stderr: a bar on a terminal, otherwise a line every --progress-every\n"
           "entries (default 100000).\n"
           "exit codes: 0 intact / done, 1 a broken chain or a refused purge, 2 usage, 69 store\n"
           "unavailable or at another schema version, 78 configuration error\n";
}

int AuditCommand::run(CtlContext& ctx, const std::vector<std::string>& argv)
{
    Result<CtlArgs> parsed = CtlArgs::parse(argv, {"tenant", "now", "progress-every"}, {"dry-run"});
    if (!parsed)
    {
        ctx.err << "chukanctl audit: " << parsed.status().message() << "\n" << help();
        return CTL_USAGE;
    }
    const CtlArgs& args = parsed.value();
    const auto& pos = args.positionals();
    const std::string verb = pos.empty() ? "" : pos[0];
    if (verb != "verify" && verb != "purge")
    {
        ctx.err << (verb.empty() ? "" : "chukanctl audit: unknown verb '" + verb + "'\n") << help();
        return CTL_USAGE;
    }
    // `audit verify CODE` is `audit verify --tenant CODE` (docs/console-api.md).
    std::string tenantArg = args.get("tenant");
    if (pos.size() == 2 && verb == "verify" && tenantArg.empty())
        tenantArg = pos[1];
    else if (pos.size() > 1)
    {
        ctx.err << "chukanctl audit " << verb << ": unexpected argument '" << pos[1]
                << "' (use --tenant CODE)\n";
        return CTL_USAGE;
    }
    if (verb == "purge" && tenantArg.empty())
    {
        ctx.err << "chukanctl audit purge: --tenant CODE is required\n";
        return CTL_USAGE;
    }
    std::optional<TenantCode> tenant;
    if (!tenantArg.empty())
    {
        Result<TenantCode> t = TenantCode::parse(tenantArg);
        if (!t)
        {
            ctx.err << "chukanctl audit " << verb << ": " << t.status().message() << std::endl;
            return CTL_USAGE;
        }
        tenant = t.value();
    }
    Poco::Int64 every = 100000;
    if (args.has("progress-every") &&
        (!Poco::NumberParser::tryParse64(args.get("progress-every"), every) || every < 1))
    {
        ctx.err << "chukanctl audit " << verb << ": --progress-every must be a positive number\n";
        return CTL_USAGE;
    }
    Result<Poco::Int64> now = CtlChainCheck::now(args.get("now"));
    if (!now)
    {
        ctx.err << "chukanctl audit " << verb << ": " << now.status().message() << std::endl;
        return CTL_USAGE;
    }
    int failure = CTL_OK;
    Database* db = CtlChainCheck::store(ctx, "audit " + verb, failure);
    if (!db)
        return failure;
    AuditStore store(*db);
    if (verb == "verify")
    {
        std::vector<std::string> tenants;
        if (tenant)
            tenants.push_back(tenant->str());
        else
            tenants = store.tenants();
        return CtlChainCheck::run(ctx, "audit verify", "entries", tenants, every,
                                  [&](const TenantCode& t, const HashChain::Progress& progress)
                                  { return store.verify(t, 1000, progress); });
    }

    const int days = ctx.settings()->auditRetentionDays;
    ManualClock clock(now.value());
    RetentionSweep sweep(*db, ctx.settings()->nodeId, clock);
    const std::string refId = "chukanctl-" + Poco::DateTimeFormatter::format(
                                                 Poco::Timestamp(now.value()), "%Y%m%dT%H%M%SZ");
    Result<ChainPurge> p = sweep.purgeAudit(*tenant, days, refId, "chukanctl", args.has("dry-run"));
    if (!p)
    {
        ctx.err << "chukanctl audit purge: " << p.status().message() << std::endl;
        return p.status().code() == Status::CORRUPTION ? CTL_FAILED : CTL_UNAVAILABLE;
    }
    const std::string cutoff =
        SignedTime::format(Poco::Timestamp(now.value() - days * 86400LL * 1000000));
    if (p->purged == 0)
        ctx.out << tenant->str() << "\tnothing to purge: no entry before " << cutoff
                << " (retention " << days << " days)" << std::endl;
    else
        ctx.out << tenant->str() << "\t" << (args.has("dry-run") ? "would purge " : "purged ")
                << p->purged << " entries, seq " << p->firstSeq << " to " << p->lastSeq
                << ", before " << cutoff << " (retention " << days << " days)"
                << (args.has("dry-run") ? std::string()
                                        : "; recorded as seq " + std::to_string(p->noteSeq))
                << std::endl;
    return CTL_OK;
}

} // namespace chukan
