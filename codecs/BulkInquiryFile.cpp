// BulkInquiryFile: layout decoding plus the inquiry checks, for CRLF-terminated or back-to-back
// records.
#include "codecs/BulkInquiryFile.h"

#include "codecs/MyNumber.h"

#include <algorithm>
#include <set>

namespace chukan
{

namespace
{

enum Field
{
    BANGOU_TAIKEI,
    ATENA_NO,
    TOUGOU_ATENA_NO,
    IRAI_NICHIJI,
    BUSHO,
    USER_ID,
    SHOUKAISHA_KIKAN,
    FUKAIJI,
    JIMU,
    TETSUZUKI,
    SHOUKAISHA_ININ,
    TEIKYOUSHA_ININ,
    TEIKYOUSHA_KIKAN,
    ITEM,
    JOUKEN,
    NENDO,
    KAISHI,
    SHUURYOU,
    FIELD_COUNT
};

bool isCode16(const std::string& v)
{
    if (v.size() != 16)
        return false;
    for (char c : v)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    return true;
}

bool isItemCode(const std::string& v)
{
    if (v.size() != 16 || v.compare(0, 2, "TM") != 0)
        return false;
    for (std::size_t i = 2; i < v.size(); ++i)
        if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'A' && v[i] <= 'Z')))
            return false;
    return true;
}

BulkInquiryRecord toRecord(const DecodedRecord& d)
{
    const std::vector<std::string>& v = d.values;
    BulkInquiryRecord r;
    r.recordNumber = d.recordNumber;
    r.numberSystem = v[BANGOU_TAIKEI];
    r.localAtenaNo = v[ATENA_NO];
    r.atenaNo = v[TOUGOU_ATENA_NO];
    r.requestedAt = v[IRAI_NICHIJI];
    r.department = v[BUSHO];
    r.userId = v[USER_ID];
    r.requesterCode = v[SHOUKAISHA_KIKAN];
    r.nondisclosure = v[FUKAIJI];
    r.jimuCode = v[JIMU];
    r.procedureCode = v[TETSUZUKI];
    r.requesterDelegator = v[SHOUKAISHA_ININ];
    r.providerDelegator = v[TEIKYOUSHA_ININ];
    r.providerCode = v[TEIKYOUSHA_KIKAN];
    r.itemCode = v[ITEM];
    r.conditionKind = v[JOUKEN];
    r.yearKind = v[NENDO];
    r.fromDate = v[KAISHI];
    r.toDate = v[SHUURYOU];
    return r;
}

} // namespace

const std::vector<std::string>& BulkInquiryFile::fieldNames()
{
    static const std::vector<std::string> names = {"bangou_taikei",
                                                   "atena_no",
                                                   "tougou_atena_no",
                                                   "shoukai_irai_nichiji",
                                                   "shoukaisha_busho_code",
                                                   "shoukaisha_user_id",
                                                   "shoukaisha_kikan_code",
                                                   "shoukai_fukaiji_code",
                                                   "jimu_code",
                                                   "jimu_tetsuzuki_code",
                                                   "shoukaisha_kikan_code_inin",
                                                   "teikyousha_kikan_code_inin",
                                                   "teikyousha_kikan_code",
                                                   "tokutei_kojin_jouhou_mei_code",
                                                   "shoukai_jouken_kubun",
                                                   "shoukai_nendo_kubun",
                                                   "shoukai_kaishi_date",
                                                   "shoukai_shuuryou_date"};
    return names;
}

Result<BulkInquiryFile> BulkInquiryFile::create(std::shared_ptr<const LayoutCodec> codec)
{
    if (!codec)
        return Status::invalid("bulk inquiry file: no layout");
    const std::vector<LayoutField>& fields = codec->layout().fields();
    bool same = fields.size() == FIELD_COUNT;
    for (std::size_t i = 0; same && i < fields.size(); ++i)
        same = fields[i].name == fieldNames()[i];
    if (!same)
        return Status::invalid("bulk inquiry file: layout " + codec->layout().name() +
                               " does not have the 18 fields of bulk_inquiry in order");
    return BulkInquiryFile(std::move(codec));
}

bool BulkInquiryFile::check(const BulkInquiryRecord& r, std::size_t recordOffset,
                            const std::string& requesterCode,
                            std::vector<RecordError>& errors) const
{
    const std::vector<LayoutField>& fields = _codec->layout().fields();
    std::size_t before = errors.size();
    auto bad = [&](Field f, const std::string& reason)
    {
        RecordError e;
        e.recordNumber = r.recordNumber;
        e.field = fields[f].name;
        e.byteOffset = recordOffset + fields[f].offset;
        e.reason = reason;
        errors.push_back(std::move(e));
    };
    if (r.atenaNo.empty())
        bad(TOUGOU_ATENA_NO, "blank: the 統合宛名番号 is required (no 宛名番号 map is kept here)");
    const std::pair<Field, const std::string*> codes[] = {{SHOUKAISHA_KIKAN, &r.requesterCode},
                                                          {JIMU, &r.jimuCode},
                                                          {TETSUZUKI, &r.procedureCode},
                                                          {TEIKYOUSHA_KIKAN, &r.providerCode}};
    for (const auto& c : codes)
        if (!isCode16(*c.second))
            bad(c.first, "must be 16 letters or digits, got '" + *c.second + "'");
    if (isCode16(r.requesterCode) && !requesterCode.empty() && r.requesterCode != requesterCode)
        bad(SHOUKAISHA_KIKAN,
            "'" + r.requesterCode + "' is not this institution's 機関コード " + requesterCode);
    const std::pair<Field, const std::string*> delegators[] = {
        {SHOUKAISHA_ININ, &r.requesterDelegator}, {TEIKYOUSHA_ININ, &r.providerDelegator}};
    for (const auto& c : delegators)
        if (!c.second->empty() && !isCode16(*c.second))
            bad(c.first, "must be blank or 16 letters or digits, got '" + *c.second + "'");
    if (!isItemCode(r.itemCode))
        bad(ITEM, "must be TM and 14 of 0-9 A-Z, got '" + r.itemCode + "'");
    if (!r.fromDate.empty() && !r.toDate.empty() && r.toDate < r.fromDate)
        bad(SHUURYOU, "照会終了日付 " + r.toDate + " is before 照会開始日付 " + r.fromDate);
    return errors.size() == before;
}

std::size_t BulkInquiryFile::findMyNumbers(std::string_view body, std::size_t length,
                                           bool terminated, std::vector<RecordError>& errors) const
{
    const std::vector<LayoutField>& fields = _codec->layout().fields();
    std::size_t number = 0;
    for (std::size_t start = 0; start < body.size();)
    {
        std::size_t end = start + length, next = end;
        if (terminated)
        {
            std::size_t nl = body.find('\n', start);
            end = nl == std::string_view::npos ? body.size() : nl;
            next = nl == std::string_view::npos ? body.size() : nl + 1;
        }
        std::string_view record = body.substr(start, std::min(end, body.size()) - start);
        ++number;
        // Field by field: adjacent fields hide a 12-digit run from a scan of the whole body
        // (番号体系 "01" followed by a 個人番号 in 宛名番号 is a run of 14 digits).
        for (const LayoutField& f : fields)
        {
            if (f.offset >= record.size())
                break;
            std::string raw(record.substr(f.offset, f.length));
            if (!MyNumber::containsCandidate(raw))
                continue;
            RecordError e;
            e.recordNumber = number;
            e.field = f.name;
            e.byteOffset = start + f.offset;
            e.reason = "holds a 個人番号 (12 digits with a valid check digit); the intermediate "
                       "server must not "
                       "receive it — send the 統合宛名番号 instead";
            errors.push_back(std::move(e)); // no rawHex: the value is never repeated
        }
        start = next;
    }
    return number;
}

BulkInquiryFile::Parsed BulkInquiryFile::parse(std::string_view body, std::size_t errorLimit,
                                               const std::string& requesterCode) const
{
    Parsed out;
    const std::size_t length = _codec->layout().recordLength();
    out.terminated =
        !(body.find('\n') == std::string_view::npos && !body.empty() && body.size() % length == 0);
    std::size_t records = findMyNumbers(body, length, out.terminated, out.errors);
    if (!out.errors.empty())
    {
        // Nothing else is reported: other reasons could quote the value.
        out.myNumber = true;
        std::set<std::size_t> bad;
        for (const RecordError& e : out.errors)
            bad.insert(e.recordNumber);
        out.recordsRead = records;
        out.badRecords = bad.size();
        return out;
    }
    std::vector<DecodedRecord> decoded;
    if (out.terminated)
    {
        LayoutReport report = _codec->decode(body, errorLimit);
        decoded = std::move(report.records);
        out.errors = std::move(report.errors);
        out.recordsRead = report.recordsRead;
        out.badRecords = report.badRecords;
        out.stoppedAtLimit = report.stoppedAtLimit;
    }
    else
    {
        for (std::size_t offset = 0; offset < body.size(); offset += length)
        {
            if (errorLimit && out.badRecords >= errorLimit)
            {
                out.stoppedAtLimit = true;
                break;
            }
            DecodedRecord d;
            ++out.recordsRead;
            if (_codec->decodeRecord(body.substr(offset, length), out.recordsRead, offset, d,
                                     out.errors))
                decoded.push_back(std::move(d));
            else
                ++out.badRecords;
        }
    }
    // Where each record starts in the file, for the offsets of the checks' errors.
    std::vector<std::size_t> starts;
    if (out.terminated)
    {
        starts.reserve(body.size() / (length + 2) + 1);
        starts.push_back(0);
        for (std::size_t nl = body.find('\n'); nl != std::string_view::npos;
             nl = body.find('\n', nl + 1))
            starts.push_back(nl + 1);
    }
    out.records.reserve(decoded.size());
    for (const DecodedRecord& d : decoded)
    {
        BulkInquiryRecord r = toRecord(d);
        std::size_t start =
            out.terminated ? starts[r.recordNumber - 1] : (r.recordNumber - 1) * length;
        if (check(r, start, requesterCode, out.errors))
            out.records.push_back(std::move(r));
        else
            ++out.badRecords;
    }
    if (errorLimit && out.badRecords > errorLimit)
        out.stoppedAtLimit = true;
    // Errors in file order (the extra checks ran after the layout's).
    std::stable_sort(out.errors.begin(), out.errors.end(),
                     [](const RecordError& a, const RecordError& b)
                     { return a.recordNumber < b.recordNumber; });
    return out;
}

} // namespace chukan
