// ReplicaFileImporter: turns a fixed-length business-system file into 副本 items, one per good
// record, with a per-batch report.
#pragma once

#include "adapters/Clock.h"
#include "adapters/Database.h"
#include "codecs/LayoutCodec.h"
#include "codecs/TenantCode.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace chukan
{

/// What one file is and who sent it (the HTTP query or the drop folder's file name).
struct ReplicaFileRequest
{
    std::string layout;     ///< juki_resident or zeimu_resident_tax
    std::string itemCode;   ///< 特定個人情報名コード, TM + 14 of [0-9A-Z]
    std::string datasetKey; ///< optional; part of the record id
    bool autoAnswer = true; ///< false: every item is 自動応答不可 (provision held for a reviewer)
    std::string sourceSystem;
};

/// The per-batch report: {"layout", "records", "accepted", "unchanged", "rejected",
/// "stoppedAtLimit", "errors": [{"record", "field", "offset", "reason", "hex"}]} plus "error"
/// when the file as a whole was refused (then nothing was stored).
struct ReplicaFileReport
{
    std::string layout;
    std::size_t records = 0; ///< records read (good + bad)
    std::size_t accepted = 0;
    std::size_t unchanged = 0;
    std::size_t rejected = 0;
    bool stoppedAtLimit = false;
    std::vector<RecordError> errors;
    std::string error; ///< whole-file refusal, empty otherwise

    /// Every record stored or unchanged, and no whole-file refusal.
    bool clean() const { return error.empty() && rejected == 0; }
    std::string toJson() const;
};

/// Record id: "<layout>:<atena_no>" or "<layout>:<atena_no>:<dataset>". The payload is
/// `<Record layout="NAME"><Field name="F">value</Field>…</Record>` (UTF-8, escaped, layout
/// order) without the fields no 副本 may hold (住民票コード, `juminhyo_code`). A record whose
/// payload equals the current version's (and whose item code, data set and auto-answer flag
/// are the same) is "unchanged"; otherwise it is stored as current version + 1, so importing
/// the same file again changes nothing. A record id seen twice in one file is rejected the
/// second time. After LayoutCodec's error limit (100 bad records) nothing is stored.
///
/// Thread-safety: immutable after construction; import() may run concurrently.
class ReplicaFileImporter
{
public:
    /// Loads the replica layouts (replicaLayouts()) from layoutsDir once; a layout that fails to
    /// load makes every import() of it fail with the load error.
    /// batchRecords: records stored a transaction (tests make it small to get several batches).
    /// storeConnections: on MariaDB, how many batches of one file are stored at once, each on
    /// its own connection (0: DEFAULT_MARIADB_CONNECTIONS); SQLite has one writer, so always 1.
    ReplicaFileImporter(std::shared_ptr<Database> db, std::shared_ptr<const Clock> clock,
                        const std::string& layoutsDir, std::size_t batchRecords = DEFAULT_BATCH,
                        std::size_t storeConnections = 0);

    /// Checks layout, item code and data-set key (INVALID_ARGUMENT naming the parameter).
    Status check(const ReplicaFileRequest& request) const;
    /// Decodes and stores; store failures throw (infrastructure), everything else is in the report.
    /// A file carrying a 個人番号 candidate is refused whole (the value is never named).
    /// A file of more than one batch is decoded on two threads (LayoutCodec::decodeInTwo, the
    /// same report) and stored as a two-stage pipeline: a worker thread builds the items
    /// of batch k+1 (record id, payload XML and its packed form, checks) while batch k is stored,
    /// with at most one prepared batch waiting between them. Its batches ramp up (an eighth of
    /// batchRecords, then twice the last, up to batchRecords) so storing starts early, and the
    /// worker also frees the batches once stored. The calling thread stores, and on
    /// MariaDB storeConnections - 1 more threads too, each batch in its own transaction on its
    /// own connection: a file's batches hold different record ids, so they commit in any order.
    /// The report is the same as if done in one thread. When storing throws, the worker and the
    /// other storing threads stop (each after its current batch) and are joined before the
    /// first exception leaves import(); batches committed stay committed; no thread outlives it.
    ReplicaFileReport import(const TenantCode& tenant, const ReplicaFileRequest& request,
                             const std::string& data) const;
    /// The codec of a replica layout, or the reason there is none.
    Result<std::shared_ptr<const LayoutCodec>> codec(const std::string& layout) const;

    /// The layouts a 副本 file may use.
    static const std::vector<std::string>& replicaLayouts();
    /// Fields never stored in a 副本 (住民票コード).
    static bool isExcludedField(const std::string& fieldName);
    static std::string recordId(const std::string& layout, const std::string& atenaNo,
                                const std::string& datasetKey);
    /// The payload XML of one decoded record, or INVALID_ARGUMENT naming the field.
    static Result<std::string> payloadXml(const Layout& layout, const DecodedRecord& record);
    /// The field values of a payload written by payloadXml (parsed with SecureXmlParser);
    /// INVALID_ARGUMENT when it is not one, or is of another layout.
    static Result<std::map<std::string, std::string>> parsePayload(const std::string& layout,
                                                                   const std::string& xml);
    /// The name of the field holding the 宛名番号 in every replica layout.
    static constexpr const char* ATENA_FIELD = "atena_no";
    /// Records stored a transaction: 500 spent a third of the time in commits (WAL frames,
    /// checkpoints, fsync); larger batches gained nothing more but would hold SQLite's write
    /// lock longer (~15 ms).
    static constexpr std::size_t DEFAULT_BATCH = 2000;
    /// MariaDB: batches stored at once. The server spends about 10 µs of CPU on a record and,
    /// on one connection, waits for the client between batches; two keep both of its cores busy.
    static constexpr std::size_t DEFAULT_MARIADB_CONNECTIONS = 2;

private:
    std::shared_ptr<Database> _db;
    std::shared_ptr<const Clock> _clock;
    std::map<std::string, Result<std::shared_ptr<const LayoutCodec>>> _codecs;
    std::size_t _batch;
    std::size_t _storers; ///< storing threads (connections) of one import
};

} // namespace chukan
