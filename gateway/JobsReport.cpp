// JobsReport: JobStore::list, a kind filter and the newest rows kept; JSON through Poco, a table by
// hand.
#include "gateway/JobsReport.h"

#include "gateway/ConsoleFormat.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <sstream>

namespace chukan
{

bool JobsReport::isState(const std::string& s)
{
    return s == "queued" || s == "running" || s == "done" || s == "failed" || s == "aborted";
}

Result<std::vector<BatchJob>> JobsReport::list(Database& db, const TenantCode& tenant,
                                               const std::string& state, const std::string& kind,
                                               std::size_t limit, const std::string& field)
{
    if (!state.empty() && !isState(state))
        return Status::invalid(field + ": '" + state.substr(0, 20) +
                               "' is not one of queued, running, done, failed, aborted");
    if (kind.size() > 32)
        return Status::invalid("kind: at most 32 characters");
    std::vector<BatchJob> all = JobStore(db).list(tenant, state), out;
    for (BatchJob& j : all)
        if (kind.empty() || j.kind == kind)
            out.push_back(std::move(j));
    if (limit > 0 && out.size() > limit)
        out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(limit));
    return out;
}

std::string JobsReport::json(const std::string& tenant, const std::vector<BatchJob>& jobs)
{
    Poco::JSON::Object o;
    o.set("tenant", tenant);
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const BatchJob& j : jobs)
    {
        Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
        r->set("job", j.jobId);
        r->set("kind", j.kind);
        r->set("state", j.state);
        r->set("total", j.total);
        r->set("done", j.done);
        r->set("failed", j.failed);
        r->set("error", j.error.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(j.error));
        r->set("node",
               j.ownerNode.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(j.ownerNode));
        r->set("createdAt", ConsoleFormat::isoJst(j.createdAt));
        r->set("updatedAt", ConsoleFormat::isoJst(j.updatedAt));
        list->add(r);
    }
    o.set("jobs", list);
    o.set("count", static_cast<Poco::Int64>(jobs.size()));
    return ConsoleFormat::json(o);
}

std::string JobsReport::table(const std::vector<BatchJob>& jobs)
{
    std::vector<std::vector<std::string>> rows = {
        {"JOB", "KIND", "STATE", "TOTAL", "DONE", "FAILED", "CREATED", "UPDATED", "NODE", "ERROR"}};
    for (const BatchJob& j : jobs)
        rows.push_back({j.jobId, j.kind, j.state, std::to_string(j.total), std::to_string(j.done),
                        std::to_string(j.failed), ConsoleFormat::isoJst(j.createdAt),
                        ConsoleFormat::isoJst(j.updatedAt), j.ownerNode.empty() ? "-" : j.ownerNode,
                        j.error});
    std::vector<std::size_t> width(rows[0].size(), 0);
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    std::ostringstream out;
    for (const auto& row : rows)
    {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row[i] + std::string(width[i] - row[i].size() + 2, ' ')
                                       : row[i];
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out << line << "\n";
    }
    return out.str();
}

} // namespace chukan
