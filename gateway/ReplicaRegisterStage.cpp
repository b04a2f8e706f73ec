// ReplicaRegisterStage: per-record results; content is stored exactly as received (UTF-8 XML, unaltered).
#include "gateway/ReplicaRegisterStage.h"

#include "adapters/ReplicaStore.h"

#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <sstream>

namespace chukan {

namespace {

std::optional<Poco::Int64> dateMicros(const std::string& ymd)
{
    if (ymd.empty())
        return std::nullopt;
    Poco::DateTime dt;
    int tz = 0;
    if (!Poco::DateTimeParser::tryParse("%Y-%m-%d", ymd, dt, tz))
        return std::nullopt;
    return dt.timestamp().epochMicroseconds();
}

} // namespace

ReplicaRegisterStage::ReplicaRegisterStage(GatewayServices& s)
    : _services(s), _stored(s.metrics.counter("chukan_replica_records_total", "outcome=\"stored\"",
                                              "Replica records by outcome")),
      _rejected(s.metrics.counter("chukan_replica_records_total", "outcome=\"rejected\""))
{
    Result<std::shared_ptr<const XmlSchema>> schema = s.schemas->get(ReplicaRegistrationCodec::SCHEMA_NAME);
    if (schema)
        _codec.reset(new ReplicaRegistrationCodec(schema.value()));
    else
        _codecStatus = schema.status();
}

Stage::Outcome ReplicaRegisterStage::run(Exchange& ex)
{
    if (!_codec)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL",
                "replica registration schema unavailable: " + _codecStatus.message());
        return STOP;
    }
    Result<ReplicaRegistration> message = _codec->decode(ex.body);
    if (!message)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_MESSAGE", message.status().message());
        return STOP;
    }
    const ReplicaRegistration& reg = message.value();
    bool dryRun = reg.header.mode == MessageHeader::TEST;
    ReplicaStore replicas(*_services.db);
    Poco::JSON::Array results;
    int accepted = 0, rejected = 0;
    for (std::size_t i = 0; i < reg.records.size(); ++i)
    {
        const ReplicaRecord& rec = reg.records[i];
        Poco::JSON::Object result;
        result.set("record", static_cast<int>(i + 1));
        result.set("recordId", rec.recordId);
        Status st;
        std::string done;
        if (rec.operation == ReplicaRecord::REMOVE)
        {
            done = "deleted";
            if (dryRun)
                st = replicas.current(ex.tenant.value(), rec.recordId)
                         ? Status::ok()
                         : Status::notFound("record " + rec.recordId + " does not exist");
            else
                st = replicas.remove(ex.tenant.value(), rec.recordId, rec.version, ex.systemId,
                                     _services.clock->nowMicros());
        }
        else
        {
            done = "registered";
            ReplicaItem item;
            item.recordId = rec.recordId;
            item.version = rec.version;
            item.atenaNo = rec.atenaNo;
            item.itemCode = rec.dataItemCode;
            item.datasetKey = rec.dataSetKey;
            if (rec.dataNil)
                item.nilReason = rec.nilReason;
            else
                item.payload = rec.data;
            item.publishFrom = dateMicros(rec.publishFrom);
            item.publishTo = dateMicros(rec.publishTo);
            item.autoAnswer = rec.autoAnswer;
            item.sourceSystem = ex.systemId;
            st = dryRun ? ReplicaStore::validate(item)
                        : replicas.put(ex.tenant.value(), item, _services.clock->nowMicros());
        }
        if (st)
        {
            ++accepted;
            _stored.inc();
            result.set("status", dryRun ? "checked" : done);
        }
        else
        {
            ++rejected;
            _rejected.inc();
            result.set("status", "rejected");
            result.set("error", "record " + std::to_string(i + 1) + " (" + rec.recordId + "): " + st.message());
        }
        results.add(result);
    }
    Poco::Logger::get("chukan.replica")
        .information("request %s tenant %s system %s message %s: %d accepted, %d rejected%s", ex.requestId,
                     ex.tenant->str(), ex.systemId, reg.header.messageId, accepted, rejected,
                     std::string(dryRun ? " (test mode, nothing stored)" : ""));
    Poco::JSON::Object body;
    body.set("messageId", reg.header.messageId);
    body.set("mode", dryRun ? "test" : "live");
    body.set("accepted", accepted);
    body.set("rejected", rejected);
    body.set("results", results);
    std::ostringstream out;
    body.stringify(out);
    out << "\n";
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, "application/json", out.str());
    return STOP;
}

} // namespace chukan
