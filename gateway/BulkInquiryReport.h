// BulkInquiryReport: what became of each record of an uploaded bulk inquiry file — the reply to the
// upload.
#pragma once

#include "codecs/RecordError.h"

#include <string>
#include <vector>

namespace chukan
{

/// JSON (docs/formats.md, "Bulk inquiry files"):
///   {"job", "total", "accepted", "queued", "refused": [{"record","serial","code","message"}],
///    "rejectedRecords", "rejected": [{"record","field","offset","reason"}], "stoppedAtLimit"}
/// plus "error" (the reason, a sentence) and "code" (the same code as the HTTP reply's error code:
/// INVALID_FILE, MYNUMBER_REFUSED, IDEMPOTENCY_CONFLICT, INVALID_ARGUMENT, …) when the file as a
/// whole was refused (then there is no job: "job" is null, or the other file's job).
/// total = accepted + rejectedRecords; accepted = queued + refused. A refused record is an item
/// of the batch whose result is already final (error, with the policy's text); a rejected
/// record has a bad field (or a 個人番号), and one rejected record refuses the whole file: then
/// "error" is set, "job" is null and nothing was stored.
struct BulkInquiryReport
{
    struct Refusal
    {
        std::size_t record = 0;
        std::string serial;
        std::string code;    ///< NOT_PERMITTED | NO_FUGO | JIMU_NOT_ALLOWED
        std::string message; ///< the business-facing text
    };

    std::string jobId; ///< empty when the file was refused whole
    std::size_t total = 0;
    std::size_t queued = 0;
    std::vector<Refusal> refused;
    std::size_t rejectedRecords = 0;
    std::vector<RecordError> rejected;
    bool stoppedAtLimit = false;
    std::string error; ///< whole-file refusal: the reason
    std::string code;  ///< whole-file refusal: the error code of the reply

    std::size_t accepted() const { return queued + refused.size(); }
    std::string toJson() const;
};

} // namespace chukan
