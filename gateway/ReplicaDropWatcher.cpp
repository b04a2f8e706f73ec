// ReplicaDropWatcher: claim by atomic rename, import with ReplicaFileImporter, report, then move to
// done/ or failed/.
#include "gateway/ReplicaDropWatcher.h"

#include "adapters/SystemStore.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace chukan
{

namespace
{

const char* kSuffix = ".dat";

Poco::Logger& logger()
{
    return Poco::Logger::get("chukan.replica.drop");
}

std::string join(const std::string& dir, const std::string& name)
{
    return Poco::Path(dir).makeDirectory().append(name).toString();
}

bool exists(const std::string& path)
{
    return Poco::File(path).exists();
}

/// Sorted names of the regular files (or directories) in dir; empty when dir does not exist.
std::vector<std::string> entries(const std::string& dir, bool directories)
{
    std::vector<std::string> out;
    if (!exists(dir))
        return out;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
    {
        if (it.name().empty() || it.name()[0] == '.')
            continue;
        if (directories ? it->isDirectory() : it->isFile())
            out.push_back(it.name());
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// LAYOUT__ITEM__LABEL.dat or LAYOUT__ITEM__DATASET__LABEL.dat.
std::string parseName(const std::string& name, ReplicaFileRequest& request)
{
    std::string stem = name.substr(0, name.size() - std::strlen(kSuffix));
    std::vector<std::string> parts;
    std::size_t from = 0, at;
    while ((at = stem.find("__", from)) != std::string::npos)
    {
        parts.push_back(stem.substr(from, at - from));
        from = at + 2;
    }
    parts.push_back(stem.substr(from));
    if (parts.size() != 3 && parts.size() != 4)
        return "file name '" + name +
               "' must be LAYOUT__ITEM__LABEL.dat or LAYOUT__ITEM__DATASET__LABEL.dat";
    request.layout = parts[0];
    request.itemCode = parts[1];
    if (parts.size() == 4)
        request.datasetKey = parts[2];
    return "";
}

/// A name in dir that is not taken yet (neither it nor its report): NAME, then NAME with .2, .3 …
/// before .dat.
std::string freeName(const std::string& dir, const std::string& name)
{
    std::string stem =
        endsWith(name, kSuffix) ? name.substr(0, name.size() - std::strlen(kSuffix)) : name;
    std::string ext = endsWith(name, kSuffix) ? kSuffix : "";
    std::string candidate = name;
    for (int n = 2; exists(join(dir, candidate)) || exists(join(dir, candidate + ".report.json"));
         ++n)
        candidate = stem + "." + std::to_string(n) + ext;
    return candidate;
}

Status renameFile(const std::string& from, const std::string& to)
{
    if (std::rename(from.c_str(), to.c_str()) != 0)
        return Status::unavailable("cannot rename " + from + " to " + to + ": " +
                                   std::strerror(errno));
    return Status::ok();
}

} // namespace

ReplicaDropWatcher::ReplicaDropWatcher(GatewayServices& s,
                                       std::shared_ptr<const ReplicaFileImporter> importer)
    : _services(s), _importer(std::move(importer)),
      _done(s.metrics.counter("chukan_replica_drop_files_total", "outcome=\"done\"",
                              "Dropped 副本 files by outcome")),
      _failed(s.metrics.counter("chukan_replica_drop_files_total", "outcome=\"failed\""))
{
}

ReplicaDropWatcher::~ReplicaDropWatcher()
{
    stop();
}

void ReplicaDropWatcher::start()
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_thread.joinable())
        return;
    _stopping = false;
    _thread = std::thread([this] { loop(); });
}

void ReplicaDropWatcher::stop()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
    }
    _wake.notify_all();
    if (_thread.joinable())
        _thread.join();
}

void ReplicaDropWatcher::loop()
{
    logger().information("watching %s every %d s", _services.settings.replicaDropDir,
                         _services.settings.replicaDropPollSeconds);
    for (;;)
    {
        try
        {
            scanOnce();
        }
        catch (const std::exception& e)
        {
            logger().error("pass over %s failed, retrying next pass: %s",
                           _services.settings.replicaDropDir, std::string(e.what()));
        }
        std::unique_lock<std::mutex> lock(_mutex);
        if (_wake.wait_for(lock, std::chrono::seconds(_services.settings.replicaDropPollSeconds),
                           [this] { return _stopping; }))
            return;
    }
}

std::size_t ReplicaDropWatcher::scanOnce()
{
    const std::string& root = _services.settings.replicaDropDir;
    std::size_t finished = 0;
    for (const std::string& tenant : entries(root, true))
        for (const std::string& system : entries(join(root, tenant), true))
        {
            {
                std::lock_guard<std::mutex> lock(_mutex);
                if (_stopping)
                    return finished;
            }
            finished += scanSystem(join(join(root, tenant), system), tenant, system);
        }
    return finished;
}

std::size_t ReplicaDropWatcher::scanSystem(const std::string& systemDir, const std::string& tenant,
                                           const std::string& system)
{
    const std::string incoming = join(systemDir, "incoming");
    const std::string processing = join(systemDir, "processing");
    const std::string prefix = _services.settings.nodeId + "~";
    std::size_t finished = 0;
    // This node's leftovers first: a crash or a store failure during an earlier pass.
    for (const std::string& claimed : entries(processing, false))
        if (claimed.compare(0, prefix.size(), prefix) == 0 && !endsWith(claimed, ".tmp"))
        {
            logger().notice("re-importing %s/%s left in processing/", systemDir, claimed);
            if (process(systemDir, join(processing, claimed), claimed.substr(prefix.size()), tenant,
                        system))
                ++finished;
        }
    for (const std::string& name : entries(incoming, false))
    {
        if (!endsWith(name, kSuffix))
            continue; // still being written (systems write NAME.part, then rename to NAME.dat)
        Poco::File(processing).createDirectories();
        std::string claimed = join(processing, prefix + name);
        if (exists(claimed))
            continue; // the same name is still in processing/ (a leftover that could not be
                      // finished)
        if (std::rename(join(incoming, name).c_str(), claimed.c_str()) != 0)
        {
            if (errno != ENOENT) // ENOENT: another node claimed it first
                logger().error("cannot claim %s/%s: %s", incoming, name,
                               std::string(std::strerror(errno)));
            continue;
        }
        if (process(systemDir, claimed, name, tenant, system))
            ++finished;
    }
    return finished;
}

std::string ReplicaDropWatcher::refusal(const std::string& tenant, const std::string& system)
{
    Result<TenantCode> code = TenantCode::parse(tenant);
    if (!code || !_services.settings.profile(tenant))
        return "folder '" + tenant + "' is not a tenant hosted here";
    std::optional<ConnectedSystem> found = SystemStore(*_services.db).get(code.value(), system);
    if (!found)
        return "folder '" + system + "' is not a connected system of tenant " + tenant;
    if (!found->enabled)
        return "connected system " + system + " of tenant " + tenant + " is disabled";
    if (!found->operations.count("replica.register"))
        return "connected system " + system + " may not use operation replica.register";
    return "";
}

bool ReplicaDropWatcher::process(const std::string& systemDir, const std::string& claimed,
                                 const std::string& name, const std::string& tenant,
                                 const std::string& system)
{
    ReplicaFileReport report;
    ReplicaFileRequest request;
    request.sourceSystem = system;
    std::string why = parseName(name, request);
    report.layout = request.layout;
    if (why.empty())
        why = refusal(tenant, system);
    if (why.empty())
    {
        std::string data;
        std::ifstream in(claimed, std::ios::binary | std::ios::ate);
        if (in)
        {
            data.resize(static_cast<std::size_t>(in.tellg()));
            in.seekg(0);
            in.read(&data[0], static_cast<std::streamsize>(data.size()));
        }
        if (!in)
            why = "cannot read the file";
        else
        {
            try
            {
                report = _importer->import(TenantCode::parse(tenant).value(), request, data);
            }
            catch (const std::exception& e)
            {
                // Infrastructure (store unreachable): the file stays in processing/ for the next
                // pass.
                logger().error("%s: import failed, will retry: %s", claimed, std::string(e.what()));
                return false;
            }
        }
    }
    if (!why.empty())
        report.error = why;

    const std::string dest = join(systemDir, report.clean() ? "done" : "failed");
    try
    {
        Poco::File(dest).createDirectories();
        std::string finalName = freeName(dest, name);
        std::string reportPath = join(dest, finalName + ".report.json");
        std::string tmp = join(dest, "." + finalName + ".report.json.tmp");
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out << report.toJson();
            out.flush();
            if (!out)
                throw std::runtime_error("cannot write " + tmp);
        }
        Status st = renameFile(tmp, reportPath);
        if (st)
            st = renameFile(claimed, join(dest, finalName));
        if (!st)
            throw std::runtime_error(st.message());
        (report.clean() ? _done : _failed).inc();
        logger().information(
            "%s/%s: %s -> %s/%s (%z records, %z accepted, %z unchanged, %z rejected)%s", tenant,
            system, name, std::string(report.clean() ? "done" : "failed"), finalName,
            report.records, report.accepted, report.unchanged, report.rejected,
            report.error.empty() ? std::string() : ": " + report.error);
        return true;
    }
    catch (const std::exception& e)
    {
        logger().error("%s: cannot move out of processing/, will retry: %s", claimed,
                       std::string(e.what()));
        return false;
    }
}

} // namespace chukan
