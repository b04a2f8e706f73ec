// ReplicaFileImporter: decode with the layout, build each record's payload XML, store new versions
// only when content changed.
#include "gateway/ReplicaFileImporter.h"

#include "adapters/ReplicaStore.h"
#include "codecs/MyNumber.h"
#include "codecs/PayloadPacking.h"
#include "codecs/SecureXmlParser.h"
#include "codecs/XmlWriter.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Path.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>

namespace chukan
{

namespace
{

bool isItemCode(const std::string& s)
{
    if (s.size() != 16 || s.compare(0, 2, "TM") != 0)
        return false;
    return std::all_of(s.begin() + 2, s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); });
}

/// The Id type of the message schemas: [0-9A-Za-z][0-9A-Za-z._-]{0,63}.
bool isDatasetKey(const std::string& s)
{
    if (s.empty() || s.size() > 64 || !std::isalnum(static_cast<unsigned char>(s[0])))
        return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) {
                           return std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                  c == '_' || c == '-';
                       });
}

/// Appends XmlWriter::escape(value, attribute) to out, byte for byte the same, in runs.
void appendEscaped(std::string& out, const std::string& value, bool attribute)
{
    const char* p = value.data();
    const char* end = p + value.size();
    const char* run = p;
    for (; p < end; ++p)
    {
        const char* entity;
        switch (*p)
        {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = attribute ? "&quot;" : nullptr; break;
        case '\r': entity = "&#13;"; break;
        case '\n': entity = attribute ? "&#10;" : nullptr; break;
        case '\t': entity = attribute ? "&#9;" : nullptr; break;
        default: entity = nullptr;
        }
        if (!entity)
            continue;
        out.append(run, static_cast<std::size_t>(p - run));
        out += entity;
        run = p + 1;
    }
    out.append(run, static_cast<std::size_t>(end - run));
}

/// Start offset of every record, framed as LayoutCodec::decode frames them.
std::vector<std::size_t> recordStarts(const Layout& layout, const std::string& data)
{
    std::vector<std::size_t> starts;
    std::size_t pos = 0;
    while (pos < data.size())
    {
        starts.push_back(pos);
        if (layout.terminator() == Layout::NONE)
            pos += layout.recordLength();
        else
        {
            const void* nl = std::memchr(data.data() + pos, '\n', data.size() - pos);
            pos = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data.data()) + 1
                     : data.size();
        }
    }
    return starts;
}

/// The items of one batch, handed from the stage that prepares them to the one that stores them.
struct PreparedBatch
{
    std::vector<ReplicaItem> items;            ///< valid: stored together with putBatch
    std::vector<std::string> packed;           ///< their payloads as the store keeps them
    std::vector<const DecodedRecord*> records; ///< the record each item comes from
    /// Items validateAs refuses, stored one by one so that the store names the reason.
    std::vector<std::pair<const DecodedRecord*, ReplicaItem>> singles;
};

/// A hand-off of at most one prepared batch between the preparing thread and the storing ones.
class BatchHandOff
{
public:
    /// Preparing side: waits until the slot is free; false when the storing side cancelled.
    bool put(PreparedBatch&& batch)
    {
        std::unique_lock<std::mutex> lock(_mutex);
        _changed.wait(lock, [&] { return !_slot || _cancelled; });
        if (_cancelled)
            return false;
        _slot = std::move(batch);
        _changed.notify_all();
        return true;
    }
    /// Preparing side: no more batches; error is what stopped it, if anything.
    void finish(std::exception_ptr error)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _finished = true;
        _error = error;
        _changed.notify_all();
    }
    /// Storing side: the next batch, or nullopt when the preparing side has finished or a
    /// storing thread cancelled.
    std::optional<PreparedBatch> take()
    {
        std::unique_lock<std::mutex> lock(_mutex);
        _changed.wait(lock, [&] { return _slot || _finished || _cancelled; });
        if (_cancelled)
            return std::nullopt;
        std::optional<PreparedBatch> batch = std::move(_slot);
        _slot.reset();
        _changed.notify_all();
        return batch;
    }
    /// Storing side: a batch it has stored, handed back so that the preparing side frees it
    /// (thousands of strings allocated there: freeing them is work taken off the storing
    /// thread, which is the slower one, and off its malloc arena's lock).
    void giveBack(PreparedBatch&& batch)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _spent.push_back(std::move(batch));
    }
    /// Preparing side: frees the batches given back so far.
    void freeSpent()
    {
        std::vector<PreparedBatch> spent;
        {
            std::lock_guard<std::mutex> lock(_mutex);
            spent.swap(_spent);
        }
    }
    /// Storing side: stop; a waiting put() returns false.
    void cancel()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _cancelled = true;
        _changed.notify_all();
    }
    /// Storing side, after the last take(): rethrows what stopped the preparing side.
    void rethrow()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_error)
            std::rethrow_exception(_error);
    }

private:
    std::mutex _mutex;
    std::condition_variable _changed;
    std::optional<PreparedBatch> _slot;
    std::vector<PreparedBatch> _spent; ///< stored, not yet freed
    bool _finished = false;
    bool _cancelled = false;
    std::exception_ptr _error;
};

/// The rejections of decoded records found by one thread, with each record's byte offset.
class Rejections
{
public:
    Rejections(const Layout& layout, const std::string& data) : _layout(layout), _data(data) {}

    void add(const DecodedRecord& rec, const std::string& field, std::size_t fieldOffset,
             const std::string& reason)
    {
        if (_starts.empty()) // computed on the first rejection
            _starts = recordStarts(_layout, _data);
        RecordError e;
        e.recordNumber = rec.recordNumber;
        e.field = field;
        e.byteOffset =
            (rec.recordNumber <= _starts.size() ? _starts[rec.recordNumber - 1] : 0) + fieldOffset;
        e.reason = reason;
        _errors.push_back(std::move(e));
    }
    std::size_t count() const { return _errors.size(); }
    void moveTo(std::vector<RecordError>& out)
    {
        for (RecordError& e : _errors)
            out.push_back(std::move(e));
        _errors.clear();
    }

private:
    const Layout& _layout;
    const std::string& _data;
    std::vector<std::size_t> _starts;
    std::vector<RecordError> _errors;
};

} // namespace

std::string ReplicaFileReport::toJson() const
{
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("layout", layout);
    body.set("records", static_cast<Poco::UInt64>(records));
    body.set("accepted", static_cast<Poco::UInt64>(accepted));
    body.set("unchanged", static_cast<Poco::UInt64>(unchanged));
    body.set("rejected", static_cast<Poco::UInt64>(rejected));
    body.set("stoppedAtLimit", stoppedAtLimit);
    if (!error.empty())
        body.set("error", error);
    Poco::JSON::Array list;
    for (const RecordError& e : errors)
    {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("record", static_cast<Poco::UInt64>(e.recordNumber));
        o.set("field", e.field);
        o.set("offset", static_cast<Poco::UInt64>(e.byteOffset));
        o.set("reason", e.reason);
        o.set("hex", e.rawHex);
        list.add(o);
    }
    body.set("errors", list);
    std::ostringstream out;
    body.stringify(out);
    out << "\n";
    return out.str();
}

const std::vector<std::string>& ReplicaFileImporter::replicaLayouts()
{
    static const std::vector<std::string> names{"juki_resident", "zeimu_resident_tax"};
    return names;
}

bool ReplicaFileImporter::isExcludedField(const std::string& fieldName)
{
    return fieldName == "juminhyo_code";
}

std::string ReplicaFileImporter::recordId(const std::string& layout, const std::string& atenaNo,
                                          const std::string& datasetKey)
{
    return layout + ":" + atenaNo + (datasetKey.empty() ? "" : ":" + datasetKey);
}

ReplicaFileImporter::ReplicaFileImporter(std::shared_ptr<Database> db,
                                         std::shared_ptr<const Clock> clock,
                                         const std::string& layoutsDir,
                                         std::size_t batchRecords, std::size_t storeConnections)
    : _db(std::move(db)), _clock(std::move(clock)), _batch(std::max<std::size_t>(1, batchRecords)),
      _storers(_db->backend() == Database::SQLITE
                   ? 1
                   : (storeConnections ? storeConnections : DEFAULT_MARIADB_CONNECTIONS))
{
    for (const std::string& name : replicaLayouts())
    {
        Result<Layout> layout =
            Layout::load(Poco::Path(layoutsDir).append(name + ".xml").toString());
        if (!layout)
        {
            _codecs.emplace(name, layout.status());
            continue;
        }
        if (!layout.value().field(ATENA_FIELD))
        {
            _codecs.emplace(
                name, Status::invalid("layout " + name + " has no " + ATENA_FIELD + " field"));
            continue;
        }
        _codecs.emplace(name, std::shared_ptr<const LayoutCodec>(
                                  std::make_shared<LayoutCodec>(layout.value())));
    }
}

Result<std::shared_ptr<const LayoutCodec>>
ReplicaFileImporter::codec(const std::string& layout) const
{
    auto it = _codecs.find(layout);
    if (it == _codecs.end())
    {
        std::string names;
        for (const std::string& n : replicaLayouts())
            names += (names.empty() ? "" : ", ") + n;
        return Status::invalid("layout '" + layout + "' is not a 副本 layout (one of " + names +
                               ")");
    }
    return it->second;
}

Status ReplicaFileImporter::check(const ReplicaFileRequest& r) const
{
    Result<std::shared_ptr<const LayoutCodec>> c = codec(r.layout);
    if (!c)
        return Status::invalid("layout: " + c.status().message());
    if (!isItemCode(r.itemCode))
        return Status::invalid("item: 特定個人情報名コード '" + r.itemCode +
                               "' must be TM and 14 of 0-9 A-Z");
    if (!r.datasetKey.empty() && !isDatasetKey(r.datasetKey))
        return Status::invalid("dataset: '" + r.datasetKey +
                               "' must be 1 to 64 of A-Z a-z 0-9 . _ - (starting alphanumeric)");
    std::string longest = recordId(r.layout, std::string(15, '0'), r.datasetKey);
    if (longest.size() > 64)
        return Status::invalid("dataset: '" + r.datasetKey +
                               "' makes record ids longer than 64 characters (" + longest + ")");
    if (r.sourceSystem.empty())
        return Status::invalid("source system is missing");
    return Status::ok();
}

Result<std::string> ReplicaFileImporter::payloadXml(const Layout& layout,
                                                    const DecodedRecord& record)
{
    const auto& fields = layout.fields();
    std::size_t size = 32 + layout.name().size();
    for (std::size_t i = 0; i < fields.size() && i < record.values.size(); ++i)
        size += 24 + fields[i].name.size() + record.values[i].size();
    std::string xml;
    xml.reserve(size + size / 8);
    xml += "<Record layout=\"";
    appendEscaped(xml, layout.name(), true);
    xml += "\">";
    for (std::size_t i = 0; i < fields.size() && i < record.values.size(); ++i)
    {
        if (isExcludedField(fields[i].name))
            continue;
        std::string bad = XmlWriter::checkCharacters(record.values[i]);
        if (!bad.empty())
            return Status::invalid("field " + fields[i].name + ": " + bad);
        xml += "<Field name=\"";
        appendEscaped(xml, fields[i].name, true);
        xml += "\">";
        appendEscaped(xml, record.values[i], false);
        xml += "</Field>";
    }
    xml += "</Record>";
    return xml;
}

Result<std::map<std::string, std::string>>
ReplicaFileImporter::parsePayload(const std::string& layout, const std::string& xml)
{
    static const SecureXmlParser parser(nullptr);
    SecureXmlParser::Outcome out = parser.parse(xml);
    if (!out.ok())
        return Status::invalid("payload is not well-formed XML: " + out.summary());
    const XmlElement& root = *out.root;
    const std::string* name = root.attribute("layout");
    if (root.name != "Record" || !name)
        return Status::invalid("payload is not a <Record layout=…> document");
    if (*name != layout)
        return Status::invalid("payload is of layout '" + *name + "', not '" + layout + "'");
    std::map<std::string, std::string> values;
    for (const XmlElement* f : root.childrenNamed("Field"))
    {
        const std::string* field = f->attribute("name");
        if (!field)
            return Status::invalid("payload has a <Field> without a name (" + f->where() + ")");
        values[*field] = f->text;
    }
    return values;
}

ReplicaFileReport ReplicaFileImporter::import(const TenantCode& tenant,
                                              const ReplicaFileRequest& request,
                                              const std::string& data) const
{
    ReplicaFileReport report;
    report.layout = request.layout;
    Status ok = check(request);
    if (!ok)
    {
        report.error = ok.message();
        return report;
    }
    Result<std::shared_ptr<const LayoutCodec>> found = codec(request.layout);
    if (!found)
    {
        report.error = found.status().message();
        return report;
    }
    const LayoutCodec& layoutCodec = *found.value();
    const Layout& layout = layoutCodec.layout();
    if (data.empty())
    {
        report.error = "the file is empty";
        return report;
    }
    if (MyNumber::containsCandidate(data))
    {
        // Names no value and no position: either would carry the number further.
        report.error = "the file contains a 個人番号 (12 digits with a valid check digit); the "
                       "intermediate server must not receive it. Nothing was stored.";
        return report;
    }

    LayoutReport decoded = layoutCodec.decodeInTwo(data, _batch);
    report.records = decoded.recordsRead;
    report.rejected = decoded.badRecords;
    report.stoppedAtLimit = decoded.stoppedAtLimit;
    // Raw bytes of a field no 副本 may hold are never echoed, nor are they in a whole-record dump.
    std::size_t firstExcluded = layout.recordLength();
    for (const LayoutField& f : layout.fields())
        if (isExcludedField(f.name))
            firstExcluded = std::min(firstExcluded, f.offset);
    for (RecordError e : decoded.errors)
    {
        if (isExcludedField(e.field))
            e.rawHex = "(not shown)";
        else if (e.field.empty() && e.rawHex.size() > 2 * firstExcluded)
            e.rawHex = e.rawHex.substr(0, 2 * firstExcluded) + "…";
        report.errors.push_back(std::move(e));
    }
    if (decoded.stoppedAtLimit)
    {
        report.error = "decoding stopped after " + std::to_string(decoded.badRecords) +
                       " bad records (is the file in layout " + layout.name() +
                       "?); nothing was stored";
        return report;
    }

    const LayoutField* atenaField = layout.field(ATENA_FIELD);
    const std::size_t atenaIndex = static_cast<std::size_t>(atenaField - layout.fields().data());

    // Stage 1 (the worker thread when there is more than one batch): the items of each batch.
    Rejections prepareRejected(layout, data);
    std::unordered_map<std::string, std::size_t> seen;
    seen.reserve(decoded.records.size()); // no rehash while the file is read
    std::atomic<bool> stopPreparing{false};
    // ramp: the first batch is an eighth of a full one and each next one twice the last, up to
    // full, so that storing (the slower stage) starts after a short preparation instead of a
    // full batch's, and is never left waiting for the next batch.
    auto prepare = [&](const std::function<bool(PreparedBatch&&)>& emit, bool ramp)
    {
        std::size_t limit = ramp ? std::max<std::size_t>(1, _batch / 8) : _batch;
        PreparedBatch batch;
        std::size_t sinceCheck = 0;
        for (const DecodedRecord& rec : decoded.records)
        {
            if (++sinceCheck == 256)
            {
                sinceCheck = 0;
                if (stopPreparing.load(std::memory_order_relaxed))
                    return;
            }
            ReplicaItem item;
            item.atenaNo = rec.values[atenaIndex];
            item.recordId = recordId(layout.name(), item.atenaNo, request.datasetKey);
            auto [at, fresh] = seen.emplace(item.recordId, rec.recordNumber);
            if (!fresh)
            {
                prepareRejected.add(rec, ATENA_FIELD, atenaField->offset,
                                    "record id " + item.recordId + " is already given by record " +
                                        std::to_string(at->second) + " of this file");
                continue;
            }
            Result<std::string> payload = payloadXml(layout, rec);
            if (!payload)
            {
                prepareRejected.add(rec, "", 0, payload.status().message());
                continue;
            }
            item.itemCode = request.itemCode;
            item.datasetKey = request.datasetKey;
            item.payload = std::move(payload).value();
            item.autoAnswer = request.autoAnswer;
            item.sourceSystem = request.sourceSystem;
            // The version is assigned when stored; an invalid item is refused by name on the
            // one-by-one path.
            if (!ReplicaStore::validateAs(item, 1))
            {
                batch.singles.emplace_back(&rec, std::move(item));
                continue;
            }
            batch.packed.push_back(PayloadPacking::pack(*item.payload));
            batch.items.push_back(std::move(item));
            batch.records.push_back(&rec);
            if (batch.items.size() >= limit)
            {
                if (!emit(std::move(batch)))
                    return;
                batch = PreparedBatch();
                limit = std::min(_batch, limit * 2);
            }
        }
        if (!batch.items.empty() || !batch.singles.empty())
            emit(std::move(batch));
    };

    // Stage 2 (the calling thread, and on MariaDB more threads with their own connections):
    // stores a batch, one transaction; a batch that fails (e.g. another node stored one of its
    // records meanwhile) is stored again record by record. Each storing thread keeps its own
    // tally, added up at the end.
    struct Tally
    {
        std::size_t accepted = 0;
        std::size_t unchanged = 0;
        Rejections rejected;
    };
    auto storeOne = [&](ReplicaStore& store, Tally& tally, const DecodedRecord& rec,
                        ReplicaItem item)
    {
        for (int attempt = 1;; ++attempt)
        {
            std::optional<ReplicaItem> current = store.current(tenant, item.recordId);
            if (current && !current->deleted && current->payload == item.payload &&
                current->atenaNo == item.atenaNo && current->itemCode == item.itemCode &&
                current->datasetKey == item.datasetKey && current->autoAnswer == item.autoAnswer)
            {
                ++tally.unchanged;
                return;
            }
            item.version = current ? current->version + 1 : 1;
            Status st = store.put(tenant, item, _clock->nowMicros());
            if (st)
            {
                ++tally.accepted;
                return;
            }
            // Another node stored a version of this record meanwhile: compare with that one.
            bool raced =
                st.code() == Status::ALREADY_EXISTS || st.code() == Status::FAILED_PRECONDITION;
            if (!raced || attempt >= 3)
            {
                tally.rejected.add(rec, "", 0, st.message());
                return;
            }
        }
    };
    auto storeBatch = [&](ReplicaStore& store, Tally& tally, PreparedBatch& batch)
    {
        for (auto& [rec, item] : batch.singles)
            storeOne(store, tally, *rec, std::move(item));
        if (batch.items.empty())
            return;
        Result<std::vector<bool>> stored =
            store.putBatch(tenant, batch.items, _clock->nowMicros(), &batch.packed);
        if (stored)
            for (bool s : stored.value())
                ++(s ? tally.accepted : tally.unchanged);
        else
            for (std::size_t i = 0; i < batch.items.size(); ++i)
                storeOne(store, tally, *batch.records[i], std::move(batch.items[i]));
    };

    const std::size_t batches = (decoded.records.size() + _batch - 1) / _batch;
    const std::size_t storers = std::max<std::size_t>(1, std::min(_storers, batches));
    std::vector<Tally> tallies;
    tallies.reserve(storers);
    for (std::size_t i = 0; i < storers; ++i)
        tallies.push_back(Tally{0, 0, Rejections(layout, data)});
    if (decoded.records.size() <= _batch)
    {
        ReplicaStore store(*_db);
        prepare(
            [&](PreparedBatch&& batch)
            {
                storeBatch(store, tallies[0], batch);
                return true;
            },
            false);
    }
    else
    {
        BatchHandOff handOff;
        std::mutex failedMutex;
        std::exception_ptr failed; // the first store failure of any storing thread
        // Takes batches until there are none or a storing thread failed; a failure stops the
        // preparing side and the other storing threads (each ends its current batch first).
        auto storeLoop = [&](Tally& tally)
        {
            try
            {
                ReplicaStore store(*_db);
                while (std::optional<PreparedBatch> batch = handOff.take())
                {
                    storeBatch(store, tally, *batch);
                    handOff.giveBack(std::move(*batch));
                }
            }
            catch (...)
            {
                {
                    std::lock_guard<std::mutex> lock(failedMutex);
                    if (!failed)
                        failed = std::current_exception();
                }
                stopPreparing.store(true);
                handOff.cancel();
            }
        };
        std::thread worker(
            [&]
            {
                try
                {
                    prepare(
                        [&](PreparedBatch&& batch)
                        {
                            handOff.freeSpent();
                            return handOff.put(std::move(batch));
                        },
                        true);
                    handOff.finish(nullptr);
                }
                catch (...)
                {
                    handOff.finish(std::current_exception());
                }
            });
        std::vector<std::thread> others;
        // Stops and joins every thread on every way out, a failed thread start included.
        struct Joiner
        {
            std::thread& worker;
            std::vector<std::thread>& others;
            BatchHandOff& handOff;
            std::atomic<bool>& stop;
            ~Joiner()
            {
                stop.store(true);
                handOff.cancel();
                for (std::thread& t : others)
                    t.join();
                worker.join();
            }
        } joiner{worker, others, handOff, stopPreparing};
        for (std::size_t i = 1; i < storers; ++i)
            others.emplace_back(storeLoop, std::ref(tallies[i]));
        storeLoop(tallies[0]);
        for (std::thread& t : others)
            t.join();
        others.clear();
        if (failed)
            std::rethrow_exception(failed);
        handOff.rethrow();
    }

    for (Tally& tally : tallies)
    {
        report.accepted += tally.accepted;
        report.unchanged += tally.unchanged;
        report.rejected += tally.rejected.count();
        tally.rejected.moveTo(report.errors);
    }
    report.rejected += prepareRejected.count();
    prepareRejected.moveTo(report.errors);
    std::stable_sort(report.errors.begin(), report.errors.end(),
                     [](const RecordError& a, const RecordError& b)
                     { return a.recordNumber < b.recordNumber; });
    return report;
}

} // namespace chukan
