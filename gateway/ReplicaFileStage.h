// ReplicaFileStage: 副本 registration from a fixed-length file — one 副本 item per good record,
// with a per-batch report.
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/ReplicaFileImporter.h"
#include "gateway/Stage.h"

namespace chukan
{

/// POST /api/v1/replica/file?layout=NAME&item=TM…[&dataset=KEY][&autoAnswer=false]; the body is
/// the file, in the layout's encoding. Bad parameters are a 400 INVALID_ARGUMENT naming the
/// parameter; otherwise the reply is 200 with ReplicaFileReport's JSON (bad records listed,
/// good ones stored), or 400 INVALID_FILE with the same report when the file was refused whole
/// (empty, or decoding stopped at the error limit). See docs/formats.md, "副本 files".
class ReplicaFileStage : public Stage
{
public:
    explicit ReplicaFileStage(GatewayServices& services);
    /// Shares an importer (and its loaded layouts) with the drop-folder watcher.
    ReplicaFileStage(GatewayServices& services,
                     std::shared_ptr<const ReplicaFileImporter> importer);
    const char* name() const override { return "replica_file"; }
    Outcome run(Exchange& exchange) override;

private:
    std::shared_ptr<const ReplicaFileImporter> _importer;
    Counter& _stored;
    Counter& _unchanged;
    Counter& _rejected;
};

} // namespace chukan
