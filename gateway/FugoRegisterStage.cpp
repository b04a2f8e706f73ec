// FugoRegisterStage: per-record 符号 acquisition through the network, with a per-record report.
#include "gateway/FugoRegisterStage.h"

#include "adapters/FugoStore.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <sstream>

namespace chukan {

namespace {

bool digits(const std::string& s, std::size_t n)
{
    if (s.size() != n)
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

} // namespace

FugoRegisterStage::FugoRegisterStage(GatewayServices& s)
    : _services(s), _obtained(s.metrics.counter("chukan_fugo_total", "outcome=\"obtained\"", "符号 registrations")),
      _rejected(s.metrics.counter("chukan_fugo_total", "outcome=\"rejected\""))
{
}

Stage::Outcome FugoRegisterStage::run(Exchange& ex)
{
    Poco::JSON::Array::Ptr records;
    try
    {
        Poco::JSON::Parser parser;
        Poco::JSON::Object::Ptr root = parser.parse(ex.body).extract<Poco::JSON::Object::Ptr>();
        records = root->getArray("records");
    }
    catch (const Poco::Exception& e)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "body: expected JSON {\"records\": [...]}: " + e.message());
        return STOP;
    }
    if (!records || records->size() == 0 || records->size() > MAX_RECORDS)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "records: must hold 1 to " + std::to_string(MAX_RECORDS) + " entries");
        return STOP;
    }
    if (!_services.network)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "UNAVAILABLE",
                "no network is configured (chukan.network.url); 符号 cannot be obtained");
        return STOP;
    }
    const TenantProfile& profile = *_services.settings.profile(ex.tenant->str());
    FugoStore fugos(*_services.db);
    Poco::JSON::Array results;
    int accepted = 0, rejected = 0;
    for (std::size_t i = 0; i < records->size(); ++i)
    {
        Poco::JSON::Object result;
        result.set("record", static_cast<int>(i + 1));
        std::string atena, juminhyo, error;
        Poco::JSON::Object::Ptr rec = records->getObject(static_cast<unsigned>(i));
        if (!rec)
            error = "record " + std::to_string(i + 1) + ": not a JSON object";
        else
        {
            atena = rec->optValue<std::string>("atenaNo", "");
            juminhyo = rec->optValue<std::string>("juminhyoCode", "");
            result.set("atenaNo", atena);
            if (!digits(atena, 15))
                error = "record " + std::to_string(i + 1) + " field atenaNo: must be 15 digits";
            else if (!digits(juminhyo, 11))
                error = "record " + std::to_string(i + 1) + " field juminhyoCode: must be 11 digits";
        }
        if (error.empty())
        {
            Status st = fugos.markRequested(ex.tenant.value(), atena, _services.clock->nowMicros());
            if (st)
            {
                Result<std::string> fugo = _services.network->obtainFugo(profile, juminhyo);
                if (!fugo)
                    error = "record " + std::to_string(i + 1) + ": network: " + fugo.status().message();
                else
                {
                    st = fugos.putObtained(ex.tenant.value(), atena, fugo.value(), _services.clock->nowMicros());
                    if (!st)
                        error = "record " + std::to_string(i + 1) + ": " + st.message();
                }
            }
            else
                error = "record " + std::to_string(i + 1) + ": " + st.message();
        }
        juminhyo.assign(juminhyo.size(), '0'); // dropped: nothing keeps it past this point
        if (error.empty())
        {
            ++accepted;
            _obtained.inc();
            result.set("status", "obtained");
        }
        else
        {
            ++rejected;
            _rejected.inc();
            result.set("status", "rejected");
            result.set("error", error);
        }
        results.add(result);
    }
    Poco::Logger::get("chukan.fugo")
        .information("request %s tenant %s system %s: 符号 obtained %d, rejected %d", ex.requestId,
                     ex.tenant->str(), ex.systemId, accepted, rejected);
    Poco::JSON::Object body;
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
