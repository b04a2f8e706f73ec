// BulkInquiryService: parse, policy in bulk, staged batches released at once, progress and results
// by page.
#include "gateway/BulkInquiryService.h"

#include "adapters/FugoStore.h"
#include "adapters/RecordStore.h"
#include "gateway/InquiryAcceptStage.h"
#include "policy/InquiryPolicy.h"

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/SHA2Engine.h>

#include <sstream>

namespace chukan
{

namespace
{

std::string sha256(const std::string& data)
{
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(data);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

/// At most max bytes of UTF-8 text, never cutting a character.
std::string cutUtf8(const std::string& s, std::size_t max)
{
    if (s.size() <= max)
        return s;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
        --end;
    return s.substr(0, end);
}

Poco::Int64 reportNumber(const std::string& json, const std::string& key)
{
    try
    {
        Poco::JSON::Parser parser;
        Poco::JSON::Object::Ptr o = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
        return o->optValue<Poco::Int64>(key, 0);
    }
    catch (const Poco::Exception&)
    {
        return 0;
    }
}

} // namespace

BulkInquiryService::BulkInquiryService(GatewayServices& s)
    : _services(s),
      _queued(s.metrics.counter("chukan_bulk_inquiry_records_total", "outcome=\"queued\"",
                                "Records of bulk inquiry files by outcome")),
      _refused(s.metrics.counter("chukan_bulk_inquiry_records_total", "outcome=\"refused\"")),
      _rejected(s.metrics.counter("chukan_bulk_inquiry_records_total", "outcome=\"rejected\"")),
      _replayed(s.metrics.counter("chukan_bulk_inquiry_uploads_total", "outcome=\"replayed\"",
                                  "Bulk inquiry uploads answered from a stored report"))
{
    Result<Layout> layout = Layout::load(s.settings.layoutsDir + "/bulk_inquiry.xml");
    if (layout)
    {
        _layout = std::make_shared<LayoutCodec>(layout.value());
        Result<BulkInquiryFile> file = BulkInquiryFile::create(_layout);
        if (file)
            _file = file.value();
        else
            _loadError = file.status().message();
    }
    else
        _loadError = layout.status().message();
    Result<Layout> result = Layout::load(s.settings.layoutsDir + "/bulk_inquiry_result.xml");
    if (result)
        _resultLayout = std::make_shared<LayoutCodec>(result.value());
}

std::string BulkInquiryService::jobIdFor(const TenantCode& tenant, const std::string& systemId,
                                         const std::string& key)
{
    return "B" + sha256(tenant.str() + "\n" + systemId + "\n" + key).substr(0, 22);
}

std::string BulkInquiryService::serialFor(const std::string& jobId, std::size_t recordNumber)
{
    std::string n = std::to_string(recordNumber);
    return jobId + "-" + std::string(n.size() < 7 ? 7 - n.size() : 0, '0') + n;
}

std::size_t BulkInquiryService::recordNumberOf(const std::string& serial)
{
    std::size_t dash = serial.rfind('-');
    if (serial.size() != 31 || serial[0] != 'B' || dash != 23)
        return 0;
    std::size_t n = 0;
    for (std::size_t i = dash + 1; i < serial.size(); ++i)
    {
        if (serial[i] < '0' || serial[i] > '9')
            return 0;
        n = n * 10 + static_cast<std::size_t>(serial[i] - '0');
    }
    return n;
}

Status BulkInquiryService::checkKey(const std::string& key)
{
    if (key.empty() || key.size() > 64)
        return Status::invalid("Idempotency-Key: 1 to 64 characters required");
    for (char c : key)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '.' || c == '_' || c == ':' || c == '-'))
            return Status::invalid("Idempotency-Key: only A-Z a-z 0-9 . _ : - are allowed");
    return Status::ok();
}

BulkResultItem BulkInquiryService::resultItem(const Inquiry& q)
{
    InquiryResponse r = InquiryAcceptStage::responseFor(q);
    BulkResultItem item;
    item.serial = q.serial;
    item.recordNumber = recordNumberOf(q.serial);
    item.atenaNo = q.atenaNo;
    item.jimuCode = q.jimuCode;
    item.procedureCode = q.procedureCode;
    item.itemCode = q.itemCode;
    item.providerCode = q.providerCode;
    item.status = r.status;
    item.detailStatus = r.detailStatus.empty() ? "99" : r.detailStatus;
    item.itemStatus = r.itemStatus.empty() ? "99" : r.itemStatus;
    item.errorCode = r.errorCode;
    item.errorMessage = r.errorMessage;
    item.hasData = r.hasResultData;
    item.data = r.resultData;
    return item;
}

BulkInquiryService::Reply BulkInquiryService::refuse(int httpStatus, const std::string& code,
                                                     BulkInquiryReport report)
{
    report.code = code; // in the body too: a client reads it like every other error's code
    Reply reply;
    reply.httpStatus = httpStatus;
    reply.errorCode = code;
    reply.json = report.toJson();
    return reply;
}

Status BulkInquiryService::writeRecords(const TenantProfile& profile,
                                        const std::vector<Inquiry>& refused, bool resuming)
{
    if (refused.empty())
        return Status::ok();
    RecordStore records(*_services.db);
    std::set<std::string> done;
    if (resuming)
        done = BulkInquiryStore(*_services.db)
                   .recordedSerials(profile.tenant, refused.front().batchId);
    std::vector<std::string> atenas;
    for (const Inquiry& q : refused)
        atenas.push_back(q.atenaNo);
    std::map<std::string, std::string> fugo =
        FugoStore(*_services.db).findObtained(profile.tenant, atenas);
    for (const Inquiry& q : refused)
    {
        if (done.count(q.serial))
            continue;
        ProvisionRecord r;
        r.kind = "inquiry";
        r.requesterCode = profile.institutionCode;
        r.providerCode = q.providerCode;
        r.jimuCode = q.jimuCode;
        r.procedureCode = q.procedureCode;
        r.itemCode = q.itemCode;
        auto f = fugo.find(q.atenaNo);
        r.subjectFugo = f == fugo.end() ? "-" : f->second;
        r.subjectAtena = q.atenaNo;
        r.requestedAt = q.requestedAt;
        r.outcome = "refused";
        r.reason = cutUtf8(q.errorMessage, 200);
        r.refId = q.serial;
        r.createdAt = _services.clock->nowMicros();
        Result<Poco::Int64> seq = records.append(profile.tenant, r);
        if (!seq)
            return seq.status();
    }
    return Status::ok();
}

BulkInquiryService::Reply BulkInquiryService::accept(const Exchange& ex,
                                                     const std::string& idempotencyKey)
{
    BulkInquiryReport report;
    const TenantProfile* profile = _services.settings.profile(ex.tenant->str());
    if (!_file || !profile)
    {
        report.error =
            !_file ? "bulk_inquiry layout unavailable: " + _loadError : "tenant not hosted here";
        return refuse(500, "INTERNAL", report);
    }
    if (!idempotencyKey.empty())
    {
        Status ok = checkKey(idempotencyKey);
        if (!ok)
        {
            report.error = ok.message();
            return refuse(400, "INVALID_ARGUMENT", report);
        }
    }
    const std::string digest = sha256(ex.body);
    const std::string key = idempotencyKey.empty() ? "sha256:" + digest : idempotencyKey;
    const std::string jobId = jobIdFor(*ex.tenant, ex.systemId, key);
    BulkInquiryStore store(*_services.db);

    // A job for this key already: the same reply again, or the rest of an interrupted acceptance.
    std::optional<BulkJob> job = store.get(*ex.tenant, jobId);
    if (job && job->fileDigest != digest)
    {
        report.jobId = jobId;
        report.error =
            "Idempotency-Key '" + key + "' was used for another file (job " + jobId + ")";
        return refuse(409, "IDEMPOTENCY_CONFLICT", report);
    }
    if (job && job->state != "queued")
    {
        _replayed.inc();
        Reply reply;
        reply.httpStatus = 200;
        reply.json = job->report;
        reply.jobId = jobId;
        reply.replayed = true;
        return reply;
    }
    bool resuming = job.has_value();

    BulkInquiryFile::Parsed parsed = _file->parse(ex.body, ERROR_LIMIT, profile->institutionCode);
    report.total = parsed.recordsRead;
    report.stoppedAtLimit = parsed.stoppedAtLimit;
    report.rejected = parsed.errors;
    if (parsed.myNumber)
    {
        // The value is never named, only where it is (the layout's other reasons could quote it).
        report.rejectedRecords = parsed.badRecords;
        report.error =
            "the file contains a 個人番号 (12 digits with a valid check digit) in the fields "
            "listed; "
            "the intermediate server must not receive it — send the 統合宛名番号 instead. Nothing "
            "was stored.";
        _rejected.inc(report.rejectedRecords);
        return refuse(400, "MYNUMBER_REFUSED", report);
    }
    if (parsed.recordsRead > MAX_RECORDS)
        report.error = "the file has " + std::to_string(parsed.recordsRead) + " records, at most " +
                       std::to_string(MAX_RECORDS) + " are accepted";
    else if (parsed.recordsRead == 0)
        report.error = "the file holds no record";
    else if (parsed.stoppedAtLimit)
        report.error = "more than " + std::to_string(ERROR_LIMIT) +
                       " bad records: is this a bulk_inquiry file (220 bytes a record, CP932)?";
    else if (parsed.badRecords > 0)
        report.error =
            std::to_string(parsed.badRecords) + " of " + std::to_string(parsed.recordsRead) +
            " records are bad (see rejected: record, field, offset, reason); the file is refused "
            "whole and nothing was stored — correct them and send the file again";

    // Policy in bulk: one 符号 lookup per few hundred records.
    std::vector<const BulkInquiryRecord*> good;
    std::vector<std::string> atenas;
    for (const BulkInquiryRecord& r : parsed.records)
    {
        good.push_back(&r);
        atenas.push_back(r.atenaNo);
    }
    report.rejectedRecords = report.total - good.size();
    if (report.error.empty() && good.empty())
        report.error = "no record could be accepted";
    if (!report.error.empty())
    {
        _rejected.inc(report.rejectedRecords);
        return refuse(400, "INVALID_FILE", report);
    }

    const Poco::Int64 now = _services.clock->nowMicros();
    if (!job)
    {
        BulkJob j;
        j.jobId = jobId;
        j.systemId = ex.systemId;
        j.idempotencyKey = key;
        j.fileDigest = digest;
        j.total = static_cast<Poco::Int64>(good.size());
        Status created = store.create(*ex.tenant, j, now);
        if (!created && created.code() != Status::ALREADY_EXISTS)
        {
            report.error = created.message();
            return refuse(created.code() == Status::INVALID_ARGUMENT ? 400 : 503,
                          Status::codeName(created.code()), report);
        }
        resuming = !created; // another node is accepting the same file: add what is missing
    }
    report.jobId = jobId;

    std::map<std::string, std::string> fugo =
        FugoStore(*_services.db).findObtained(*ex.tenant, atenas);
    std::shared_ptr<const PermitList> list =
        _services.documents ? _services.documents->permissionList() : nullptr;
    Poco::Timestamp at(static_cast<Poco::Timestamp::TimeVal>(now));
    InquiryFacts facts;
    facts.systemId = ex.systemId;
    facts.systemMayInquire = ex.systemOperations.count("inquiry") > 0;
    facts.systemJimuCodes = ex.systemJimuCodes;
    facts.requesterInstitution = profile->institutionCode;

    std::vector<Inquiry> batch, refused;
    batch.reserve(std::min(good.size(), ROWS_PER_TRANSACTION));
    for (std::size_t i = 0; i < good.size(); ++i)
    {
        const BulkInquiryRecord& r = *good[i];
        facts.providerInstitution = r.providerCode;
        facts.jimuCode = r.jimuCode;
        facts.procedureCode = r.procedureCode;
        facts.dataItemCode = r.itemCode;
        facts.atenaNo = r.atenaNo;
        facts.fugoKnown = fugo.count(r.atenaNo) > 0;
        Status decision = InquiryPolicy::decide(facts, list.get(), at);
        Inquiry q;
        q.serial = serialFor(jobId, r.recordNumber);
        q.systemId = ex.systemId;
        q.batchId = jobId;
        q.atenaNo = r.atenaNo;
        q.jimuCode = r.jimuCode;
        q.procedureCode = r.procedureCode;
        q.itemCode = r.itemCode;
        q.providerCode = r.providerCode;
        q.requestedAt = now;
        if (!decision)
        {
            q.errorCode = decision.code() == Status::FAILED_PRECONDITION ? "NO_FUGO"
                          : decision.message().rfind("指定された特定個人情報名", 0) == 0
                              ? "NOT_PERMITTED"
                              : "JIMU_NOT_ALLOWED";
            q.errorMessage = decision.message();
            report.refused.push_back({r.recordNumber, q.serial, q.errorCode, q.errorMessage});
            refused.push_back(q);
        }
        else
            ++report.queued;
        batch.push_back(std::move(q));
        if (batch.size() == ROWS_PER_TRANSACTION || i + 1 == good.size())
        {
            Status st = store.stage(*ex.tenant, batch, now);
            if (!st)
            {
                report.error = st.message();
                return refuse(st.code() == Status::INVALID_ARGUMENT ? 400 : 503,
                              Status::codeName(st.code()), report);
            }
            batch.clear();
        }
    }
    Status st = writeRecords(*profile, refused, resuming);
    if (st)
        st = store.release(*ex.tenant, jobId, static_cast<Poco::Int64>(good.size()),
                           report.toJson(), _services.clock->nowMicros());
    if (!st)
    {
        report.error = st.message();
        return refuse(503, Status::codeName(st.code()), report);
    }
    _queued.inc(report.queued);
    _services.signals->wakeWorker();
    _refused.inc(report.refused.size());
    _rejected.inc(report.rejectedRecords);
    Poco::Logger::get("chukan.bulk")
        .information("request %s tenant %s system %s bulk job %s%s: %z records, %z queued, %z "
                     "refused, %z rejected",
                     ex.requestId, ex.tenant->str(), ex.systemId, jobId,
                     std::string(resuming ? " (resumed)" : ""), report.total, report.queued,
                     report.refused.size(), report.rejectedRecords);
    // What a retry will get: the stored report (released by whichever node finished first).
    std::optional<BulkJob> released = store.get(*ex.tenant, jobId);
    Reply reply;
    reply.httpStatus = 202;
    reply.jobId = jobId;
    reply.json = released && !released->report.empty() ? released->report : report.toJson();
    return reply;
}

std::string BulkInquiryService::Progress::toJson() const
{
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("job", jobId);
    o.set("state", state);
    o.set("total", total);
    o.set("accepted", accepted);
    o.set("rejected", rejected);
    o.set("completed", completed);
    o.set("errors", errors);
    o.set("expired", expired);
    o.set("pending", pending);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

Result<BulkInquiryService::Progress> BulkInquiryService::progress(const TenantCode& tenant,
                                                                  const std::string& systemId,
                                                                  const std::string& jobId)
{
    BulkInquiryStore store(*_services.db);
    std::optional<BulkJob> job = store.get(tenant, jobId);
    if (!job || job->systemId != systemId)
        return Status::notFound("no bulk inquiry job " + jobId + " for this system");
    BulkCounts c = store.counts(tenant, jobId);
    Progress p;
    p.jobId = jobId;
    p.total = reportNumber(job->report, "total");
    p.accepted = job->state == "queued" ? c.items() : job->total;
    p.rejected = reportNumber(job->report, "rejectedRecords");
    p.completed = c.completed;
    p.errors = c.errors();
    p.expired = c.expired;
    p.pending = c.pending();
    if (job->state == "queued")
        p.state = "accepting";
    else if (p.pending > 0)
        p.state = "running";
    else
    {
        p.state = "done";
        if (job->state == "running")
            store.finish(tenant, jobId, c.completed, c.errors(), _services.clock->nowMicros());
    }
    return p;
}

Result<BulkInquiryService::Progress> BulkInquiryService::finalProgress(const TenantCode& tenant,
                                                                        const std::string& systemId,
                                                                        const std::string& jobId)
{
    Result<Progress> p = progress(tenant, systemId, jobId);
    if (!p)
        return p.status();
    if (p.value().state != "done")
        return Status::precondition(std::to_string(p.value().state == "accepting"
                                                       ? p.value().accepted
                                                       : p.value().pending) +
                                    " items are not final");
    return p;
}

Status BulkInquiryService::results(const TenantCode& tenant, const std::string& systemId,
                                   const std::string& jobId, BulkResultWriter& writer,
                                   std::string& out, const std::function<bool(std::string&)>& sink)
{
    Result<Progress> p = finalProgress(tenant, systemId, jobId);
    if (!p)
        return p.status();
    BulkInquiryStore store(*_services.db);
    Status st = writer.begin(out, jobId, systemId, static_cast<std::size_t>(p.value().accepted));
    if (!st)
        return st;
    std::string after;
    for (;;)
    {
        std::vector<Inquiry> page = store.page(tenant, jobId, after, 500);
        for (const Inquiry& q : page)
        {
            st = writer.add(out, resultItem(q));
            if (!st)
                return st;
        }
        if (sink && !sink(out))
            return Status::unavailable("bulk job " + jobId + ": the results could not be sent");
        if (page.size() < 500)
            break;
        after = page.back().serial;
    }
    writer.end(out);
    if (sink && !sink(out))
        return Status::unavailable("bulk job " + jobId + ": the results could not be sent");
    return Status::ok();
}

} // namespace chukan
