// CtlChainCheck: the shared body of `chukanctl records verify` and `chukanctl audit verify` —
// every tenant's chain (or one), a line per tenant, progress on stderr.
#pragma once

#include "adapters/HashChain.h"
#include "gateway/CtlCommand.h"

#include <functional>

namespace chukan
{

class CtlChainCheck
{
public:
    using Verify =
        std::function<Result<ChainCheck>(const TenantCode& tenant, const HashChain::Progress&)>;

    /// Verifies the chain of each tenant in tenants (codes as stored) and prints on ctx.out
    ///   TENANT<TAB>intact<TAB>N UNIT verified after checkpoint seq A, head seq H hash X
    ///   TENANT<TAB>BROKEN<TAB>the first broken link: tenant, seq and reason
    /// Goes on after a broken chain. Returns CTL_OK when every chain is intact, CTL_FAILED
    /// otherwise. command names the command in messages, unit the rows ("records").
    static int run(CtlContext& ctx, const std::string& command, const std::string& unit,
                   const std::vector<std::string>& tenants, Poco::Int64 progressEvery,
                   const Verify& verify);

    /// The store, opened, at the schema version this binary knows (verify and purge need the
    /// chain heads of migration 6). Prints the error and returns null otherwise; exit code in
    /// failureCode.
    static Database* store(CtlContext& ctx, const std::string& command, int& failureCode);

    /// "now" for a purge, in microseconds: the system clock, or nowOption (ISO 8601) when the
    /// environment allows tests to move time (CHUKAN_TEST_CLOCK=1). INVALID_ARGUMENT otherwise.
    static Result<Poco::Int64> now(const std::string& nowOption);
};

} // namespace chukan
