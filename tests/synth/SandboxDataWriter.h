// SandboxDataWriter: streams the sandbox's input files for both cities (符号 requests, 副本 files
// and XML, the bulk inquiry) into one directory.
#pragma once

#include "codecs/LayoutCodec.h"
#include "codecs/Status.h"

#include <cstdint>
#include <map>
#include <string>

namespace chukan
{

/// Writes, one pass over the population (memory does not grow with the count):
///
///   OUT/manifest.json                    what was written: seed, counts, files, expected outcomes
///   OUT/121002/fugo-NNNNN.json           POST /api/v1/fugo bodies of the requester (千葉市)
///   OUT/352063/fugo-NNNNN.json           … of the provider (防府市); at most `batch` records each
///   OUT/352063/juki_resident.dat         住民記録 副本 (juki_resident, 280-byte CP932 records),
///                                        POST
///                                        /api/v1/replica/file?layout=juki_resident&item=TM00000000000001
///   OUT/352063/juki_resident-held.dat    the same for persons flagged 自動応答不可
///   (&autoAnswer=false) OUT/352063/vaccination-NNNNN.xml     予防接種 副本 as ReplicaRegistration
///   messages (TM00000000000002),
///                                        POST /api/v1/replica; some records AutoAnswer=false
///   OUT/121002/bulk_inquiry.dat          one-shot bulk inquiry 千葉市 → 防府市 (bulk_inquiry,
///   220-byte CP932) OUT/121002/bulk_expected.csv         record,atenaNo,item,expected — normal,
///   held, no_data,
///                                        no_fugo or not_permitted before any reviewer acts
///
/// Every record and message is checked for a 個人番号 candidate (MyNumber::containsCandidate)
/// before it is written; finding one is a bug and stops the run.
class SandboxDataWriter
{
public:
    struct Options
    {
        std::string outDir;
        std::uint64_t seed = 1;
        std::uint64_t count = 100;
        std::uint64_t batch = 1000; ///< records per 符号 request and per replica XML message
        unsigned holdPerMille =
            20; ///< share of persons (and 予防接種 records) flagged 自動応答不可
    };

    struct Summary
    {
        std::uint64_t persons = 0;
        std::uint64_t requesterFugo = 0;
        std::uint64_t providerFugo = 0;
        std::uint64_t jukiRecords = 0;
        std::uint64_t jukiHeldRecords = 0;
        std::uint64_t vaccinationRecords = 0;
        std::uint64_t vaccinationHeldRecords = 0;
        std::uint64_t bulkRecords = 0;
        std::map<std::string, std::uint64_t> expected; ///< outcome -> bulk records
    };

    /// REQUIRES: juki and bulk are the juki_resident and bulk_inquiry layouts.
    SandboxDataWriter(LayoutCodec juki, LayoutCodec bulk);

    /// Writes every file under options.outDir (created when missing). I/O problems, a record the
    /// layouts refuse or a 個人番号 candidate are an error naming the file and record.
    Result<Summary> write(const Options& options) const;

    static const char* const REQUESTER_TENANT; ///< 121002 千葉市
    static const char* const PROVIDER_TENANT;  ///< 352063 防府市
    static const char* const REQUESTER_INSTITUTION;
    static const char* const PROVIDER_INSTITUTION;
    static const char* const JIMU_CODE;
    static const char* const ITEM_JUKI; ///< 住民票関係情報, procedure JT01010000000215
    static const char* const ITEM_VACCINATION; ///< 予防接種, procedure JT01010000000214

private:
    LayoutCodec _juki;
    LayoutCodec _bulk;
};

} // namespace chukan
