// ReplicaDropWatcher: imports 副本 files that business systems drop into a watched folder, each
// file exactly once, never losing one.
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/ReplicaFileImporter.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace chukan
{

/// Folder layout under chukan.replica.dropDir (see docs/formats.md, "副本 files"):
///
///     DROP/<tenant>/<system>/incoming/LAYOUT__ITEM[__DATASET]__LABEL.dat   written by the system
///     DROP/<tenant>/<system>/processing/<node>~NAME                          claimed by a node
///     DROP/<tenant>/<system>/done/NAME + NAME.report.json                    every record stored
///     DROP/<tenant>/<system>/failed/NAME + NAME.report.json                  anything else
///
/// A file is claimed by an atomic rename from incoming/ into processing/ under a name carrying
/// this node's id, so of several nodes sharing the folder exactly one takes it, and no claim
/// overwrites another. The report is written (temp file, then rename) before the file leaves
/// processing/, so a crash at any point leaves the file in processing/, and every pass first
/// re-imports this node's leftovers there (re-importing is idempotent). A store failure also
/// leaves the file there for the next pass. Nothing is ever deleted.
/// <system> must be a registered, enabled connected system of <tenant> holding
/// replica.register; otherwise the file goes to failed/ with a report saying why.
class ReplicaDropWatcher
{
public:
    ReplicaDropWatcher(GatewayServices& services,
                       std::shared_ptr<const ReplicaFileImporter> importer);
    ~ReplicaDropWatcher();

    /// Starts the background thread: a pass every settings.replicaDropPollSeconds.
    void start();
    /// Stops after the file being imported, if any; idempotent.
    void stop();
    /// One pass over every <tenant>/<system> folder; returns the files moved to done/ or failed/.
    std::size_t scanOnce();

private:
    std::size_t scanSystem(const std::string& systemDir, const std::string& tenant,
                           const std::string& system);
    /// Imports a claimed file and moves it out of processing/; false when it must stay there.
    bool process(const std::string& systemDir, const std::string& claimed, const std::string& name,
                 const std::string& tenant, const std::string& system);
    /// Why this system may not register 副本 files, or empty.
    std::string refusal(const std::string& tenant, const std::string& system);
    void loop();

    GatewayServices& _services;
    std::shared_ptr<const ReplicaFileImporter> _importer;
    Counter& _done;
    Counter& _failed;
    std::thread _thread;
    std::mutex _mutex;
    std::condition_variable _wake;
    bool _stopping = false;
};

} // namespace chukan
