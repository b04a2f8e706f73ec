// FugoRegisterStage: per-record 符号 acquisition through the network, with a per-record report.
#include "gateway/FugoRegisterStage.h"

#include "adapters/FugoStore.h"
#include "codecs/MyNumber.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <sstream>

namespace chukan
{

namespace
{

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

FugoRegisterStage::FugoRegisterStage(GatewayServices& s, Input input)
    : _services(s), _input(input),
      _obtained(
          s.metrics.counter("chukan_fugo_total", "outcome=\"obtained\"", "符号 registrations")),
      _rejected(s.metrics.counter("chukan_fugo_total", "outcome=\"rejected\""))
{
    if (input != FIXED)
        return;
    Result<Layout> layout = Layout::load(s.settings.layoutsDir + "/fugo_request.xml");
    if (layout)
        _layout = std::make_shared<LayoutCodec>(layout.value());
    else
        _layoutError = layout.status().message();
}

bool FugoRegisterStage::parseJson(Exchange& ex, std::vector<Request>& out) const
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
        return false;
    }
    if (!records || records->size() == 0 || records->size() > MAX_RECORDS)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "records: must hold 1 to " + std::to_string(MAX_RECORDS) + " entries");
        return false;
    }
    for (std::size_t i = 0; i < records->size(); ++i)
    {
        Request r;
        r.record = i + 1;
        Poco::JSON::Object::Ptr rec = records->getObject(static_cast<unsigned>(i));
        if (!rec)
            r.error = "record " + std::to_string(i + 1) + ": not a JSON object";
        else
        {
            r.atenaNo = rec->optValue<std::string>("atenaNo", "");
            r.juminhyoCode = rec->optValue<std::string>("juminhyoCode", "");
            if (!digits(r.atenaNo, 15))
                r.error = "record " + std::to_string(i + 1) + " field atenaNo: must be 15 digits";
            else if (!digits(r.juminhyoCode, 11))
                r.error =
                    "record " + std::to_string(i + 1) + " field juminhyoCode: must be 11 digits";
        }
        out.push_back(std::move(r));
    }
    return true;
}

bool FugoRegisterStage::parseFixed(Exchange& ex, std::vector<Request>& out) const
{
    if (!_layout)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "UNAVAILABLE",
                "layout fugo_request did not load: " + _layoutError);
        return false;
    }
    if (ex.body.empty())
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "body: expected a fugo_request file (64-byte CP932 records), got nothing");
        return false;
    }
    LayoutReport decoded = _layout->decode(ex.body, 20);
    if (!decoded.clean())
    {
        // The whole file is refused: say which records and fields, without their bytes (a
        // 住民票コード must not travel back into a log).
        std::string message =
            "file refused, nothing was requested: " + std::to_string(decoded.badRecords) +
            " bad record(s) of " + std::to_string(decoded.recordsRead) +
            (decoded.stoppedAtLimit ? " (stopped after 20)" : "");
        for (const RecordError& e : decoded.errors)
            message += "; record " + std::to_string(e.recordNumber) +
                       (e.field.empty() ? "" : ", field " + e.field) + ", byte offset " +
                       std::to_string(e.byteOffset) + ": " + e.reason;
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_FILE", message);
        return false;
    }
    if (decoded.records.empty() || decoded.records.size() > MAX_RECORDS)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "INVALID_ARGUMENT",
                "file: must hold 1 to " + std::to_string(MAX_RECORDS) + " records, has " +
                    std::to_string(decoded.records.size()));
        return false;
    }
    const Layout& layout = _layout->layout();
    std::size_t atenaAt = 0, juminhyoAt = 0;
    for (std::size_t f = 0; f < layout.fields().size(); ++f)
    {
        if (layout.fields()[f].name == "tougou_atena_no")
            atenaAt = f;
        else if (layout.fields()[f].name == "juminhyo_code")
            juminhyoAt = f;
    }
    for (DecodedRecord& rec : decoded.records)
    {
        for (std::size_t f = 0; f < rec.values.size(); ++f)
            if (MyNumber::containsCandidate(rec.values[f]))
            {
                ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "MYNUMBER_REFUSED",
                        "record " + std::to_string(rec.recordNumber) + ", field " +
                            layout.fields()[f].name +
                            ": holds a 個人番号 (12 digits with a valid check digit); the "
                            "intermediate server must not receive it. Nothing was stored.");
                return false;
            }
        Request r;
        r.record = rec.recordNumber;
        r.atenaNo = rec.values[atenaAt];
        r.juminhyoCode = rec.values[juminhyoAt];
        for (std::string& v : rec.values) // no copy of a 住民票コード outlives the request
            v.assign(v.size(), '0');
        out.push_back(std::move(r));
    }
    return true;
}

Stage::Outcome FugoRegisterStage::run(Exchange& ex)
{
    std::vector<Request> requests;
    if (!(_input == FIXED ? parseFixed(ex, requests) : parseJson(ex, requests)))
        return STOP;
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
    for (Request& r : requests)
    {
        Poco::JSON::Object result;
        result.set("record", static_cast<int>(r.record));
        result.set("atenaNo", r.atenaNo);
        std::string error = r.error;
        std::string& juminhyo = r.juminhyoCode;
        const std::string& atena = r.atenaNo;
        const std::string prefix = "record " + std::to_string(r.record);
        if (error.empty())
        {
            Status st = fugos.markRequested(ex.tenant.value(), atena, _services.clock->nowMicros());
            if (st)
            {
                Result<std::string> fugo = _services.network->obtainFugo(profile, juminhyo);
                if (!fugo)
                    error = prefix + ": network: " + fugo.status().message();
                else
                {
                    st = fugos.putObtained(ex.tenant.value(), atena, fugo.value(),
                                           _services.clock->nowMicros());
                    if (!st)
                        error = prefix + ": " + st.message();
                }
            }
            else
                error = prefix + ": " + st.message();
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
