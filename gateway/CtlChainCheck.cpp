// CtlChainCheck: walks the chains one tenant at a time; a CORRUPTION is a finding, anything else
// (a bad tenant code in the store) an error of the run.
#include "gateway/CtlChainCheck.h"

#include "adapters/Migrator.h"
#include "codecs/SignedTime.h"
#include "gateway/CtlProgress.h"

#include <Poco/Environment.h>

namespace chukan
{

int CtlChainCheck::run(CtlContext& ctx, const std::string& command, const std::string& unit,
                       const std::vector<std::string>& tenants, Poco::Int64 progressEvery,
                       const Verify& verify)
{
    std::size_t intact = 0, broken = 0;
    Poco::Int64 rows = 0;
    bool tty = CtlProgress::isTerminal(ctx.err);
    for (const std::string& code : tenants)
    {
        Result<TenantCode> tenant = TenantCode::parse(code);
        if (!tenant)
        {
            ++broken;
            ctx.out << code << "\tBROKEN\tthe store holds a chain under an invalid tenant code: "
                    << tenant.status().message() << std::endl;
            continue;
        }
        CtlProgress progress(ctx.err, command + " " + code, unit, tty, progressEvery);
        Result<ChainCheck> check = verify(tenant.value(), [&](Poco::Int64 done, Poco::Int64 total)
                                          { progress.update(done, total); });
        progress.finish();
        if (!check)
        {
            if (check.status().code() != Status::CORRUPTION)
            {
                ctx.err << "chukanctl " << command << ": tenant " << code << ": "
                        << check.status().toString() << std::endl;
                return CTL_UNAVAILABLE;
            }
            ++broken;
            ctx.out << code << "\tBROKEN\t" << check.status().message() << std::endl;
            continue;
        }
        ++intact;
        rows += check->verified;
        ctx.out << code << "\tintact\t" << check->verified << " " << unit
                << " verified after checkpoint seq " << check->anchorSeq << ", head seq "
                << check->headSeq << " hash " << check->headHash << std::endl;
    }
    ctx.err << "chukanctl " << command << ": " << tenants.size() << " chain"
            << (tenants.size() == 1 ? "" : "s") << ", " << intact << " intact, " << broken
            << " broken, " << rows << " " << unit << " verified" << std::endl;
    return broken == 0 ? CTL_OK : CTL_FAILED;
}

Database* CtlChainCheck::store(CtlContext& ctx, const std::string& command, int& failureCode)
{
    Database* db = ctx.database();
    if (!db)
    {
        failureCode = ctx.failureCode();
        return nullptr;
    }
    Migrator migrator(*db);
    int current = migrator.currentVersion();
    if (current != migrator.knownVersion())
    {
        ctx.err << "chukanctl " << command << ": store " << db->describe() << " is at schema version "
                << current << ", this binary knows " << migrator.knownVersion()
                << (current < migrator.knownVersion() ? "; run chukanctl db migrate first"
                                                      : "; upgrade chukan first")
                << std::endl;
        failureCode = CTL_UNAVAILABLE;
        return nullptr;
    }
    return db;
}

Result<Poco::Int64> CtlChainCheck::now(const std::string& nowOption)
{
    if (nowOption.empty())
        return Poco::Timestamp().epochMicroseconds();
    if (Poco::Environment::get("CHUKAN_TEST_CLOCK", "") != "1")
        return Status::invalid("--now is for tests only: it needs CHUKAN_TEST_CLOCK=1 in the "
                               "environment");
    Result<Poco::Timestamp> t = SignedTime::parse(nowOption, "--now");
    if (!t)
        return t.status();
    return t->epochMicroseconds();
}

} // namespace chukan
