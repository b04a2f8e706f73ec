// ReplicaBench: the "replica" benchmark section — a fixed-length 住民記録 file imported as 副本
// into SQLite or MariaDB through ReplicaFileImporter, and the same records as CSV for the
// baselines.
#pragma once

#include <string>
#include <vector>

namespace chukan
{

/// `chukan-bench replica --data FILE --backend sqlite|mariadb …` imports the juki_resident file
/// (as written by `chukan-bench codecs --generate`) with ReplicaFileImporter::import, the code
/// behind POST /api/v1/replica/file and the drop folder, in chunks of --chunk records (a
/// business system's file each), into a fresh store (migrated first). It stops after
/// --max-seconds so a slow store cannot run for hours, and prints one line of key=value figures
/// (records, seconds, records/s, CPU, peak RSS) that scripts/bench turns into a table.
/// `--csv OUT` instead writes the same records as UTF-8 CSV (record_id and every stored field,
/// without 住民票コード) for the sqlite3 .import and LOAD DATA baselines.
/// MariaDB settings come from CHUKAN_TEST_MARIADB_{HOST,PORT,USER,PASSWORD} (scripts/with-mariadb)
/// and --database.
class ReplicaBench
{
public:
    static int run(const std::vector<std::string>& args);
    static const char* usage();
};

} // namespace chukan
