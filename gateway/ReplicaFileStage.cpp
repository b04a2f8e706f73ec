// ReplicaFileStage: reads the query parameters, runs ReplicaFileImporter over the body and replies
// with its report.
#include "gateway/ReplicaFileStage.h"

#include <Poco/Logger.h>

namespace chukan
{

ReplicaFileStage::ReplicaFileStage(GatewayServices& s)
    : ReplicaFileStage(s,
                       std::make_shared<ReplicaFileImporter>(
                           s.db, s.clock, s.settings.layoutsDir, ReplicaFileImporter::DEFAULT_BATCH,
                           static_cast<std::size_t>(s.settings.replicaConnections)))
{
}

ReplicaFileStage::ReplicaFileStage(GatewayServices& s,
                                   std::shared_ptr<const ReplicaFileImporter> importer)
    : _importer(std::move(importer)),
      _stored(s.metrics.counter("chukan_replica_file_records_total", "outcome=\"stored\"",
                                "Records of 副本 files by outcome")),
      _unchanged(s.metrics.counter("chukan_replica_file_records_total", "outcome=\"unchanged\"")),
      _rejected(s.metrics.counter("chukan_replica_file_records_total", "outcome=\"rejected\""))
{
}

Stage::Outcome ReplicaFileStage::run(Exchange& ex)
{
    auto param = [&](const std::string& key) -> std::string
    {
        auto it = ex.query.find(key);
        return it == ex.query.end() ? std::string() : it->second;
    };
    ReplicaFileRequest request;
    request.layout = param("layout");
    request.itemCode = param("item");
    request.datasetKey = param("dataset");
    request.sourceSystem = ex.systemId;
    std::string autoAnswer = param("autoAnswer");
    if (autoAnswer != "" && autoAnswer != "true" && autoAnswer != "false")
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "autoAnswer: must be 'true' or 'false', got '" + autoAnswer + "'");
        return STOP;
    }
    request.autoAnswer = autoAnswer != "false";
    Status ok = _importer->check(request);
    if (!ok)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT", ok.message());
        return STOP;
    }
    ReplicaFileReport report = _importer->import(ex.tenant.value(), request, ex.body);
    _stored.inc(report.accepted);
    _unchanged.inc(report.unchanged);
    _rejected.inc(report.rejected);
    Poco::Logger::get("chukan.replica")
        .information(
            "request %s tenant %s system %s file layout %s: %z records, %z accepted, %z unchanged, "
            "%z rejected%s",
            ex.requestId, ex.tenant->str(), ex.systemId, request.layout, report.records,
            report.accepted, report.unchanged, report.rejected,
            report.error.empty() ? std::string() : "; " + report.error);
    if (!report.error.empty())
    {
        ex.reply(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "application/json", report.toJson());
        ex.errorCode = "INVALID_FILE";
        return STOP;
    }
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", report.toJson());
    return STOP;
}

} // namespace chukan
