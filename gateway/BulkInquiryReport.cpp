// BulkInquiryReport: JSON rendering of the per-file report.
#include "gateway/BulkInquiryReport.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace chukan
{

std::string BulkInquiryReport::toJson() const
{
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    if (jobId.empty())
        body.set("job", Poco::Dynamic::Var());
    else
        body.set("job", jobId);
    body.set("total", static_cast<Poco::UInt64>(total));
    body.set("accepted", static_cast<Poco::UInt64>(accepted()));
    body.set("queued", static_cast<Poco::UInt64>(queued));
    Poco::JSON::Array refusals;
    for (const Refusal& r : refused)
    {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("record", static_cast<Poco::UInt64>(r.record));
        o.set("serial", r.serial);
        o.set("code", r.code);
        o.set("message", r.message);
        refusals.add(o);
    }
    body.set("refused", refusals);
    body.set("rejectedRecords", static_cast<Poco::UInt64>(rejectedRecords));
    Poco::JSON::Array list;
    for (const RecordError& e : rejected)
    {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("record", static_cast<Poco::UInt64>(e.recordNumber));
        o.set("field", e.field);
        o.set("offset", static_cast<Poco::UInt64>(e.byteOffset));
        o.set("reason", e.reason);
        list.add(o);
    }
    body.set("rejected", list);
    body.set("stoppedAtLimit", stoppedAtLimit);
    if (!error.empty())
        body.set("error", error);
    if (!code.empty())
        body.set("code", code);
    std::ostringstream out;
    body.stringify(out);
    return out.str();
}

} // namespace chukan
