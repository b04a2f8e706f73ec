// SqliteCheckpointer: copies an SQLite file's write-ahead log back into the database on a thread of its own, so a committing writer does not.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace chukan {

/// SQLite's own automatic checkpoint runs inside the COMMIT that grows the log past 1,000 pages:
/// that writer (on SQLite the group-commit leader, with every write queued behind it) copies the
/// pages into the database file and waits for its fsync. Here attach() replaces that on each
/// connection with a hook that only wakes this object's thread, which runs a PASSIVE checkpoint
/// (never blocks a writer or a reader) on a connection of its own. Durability does not change: a
/// transaction is durable once its COMMIT has synced the log (synchronous=FULL), before any
/// checkpoint. Should the thread fall behind (a log of `backstopPages`), the committing
/// connection checkpoints inline as SQLite would have.
///
/// Thread-safe. Must outlive every connection it is attached to.
class SqliteCheckpointer
{
public:
    static constexpr int kPages = 1000;         ///< SQLite's default wal_autocheckpoint
    static constexpr int kBackstopPages = 8000; ///< checkpoint inline from here on

    /// Starts the thread; its connection to `path` opens on the first checkpoint.
    explicit SqliteCheckpointer(std::string path, int pages = kPages,
                                int backstopPages = kBackstopPages);
    /// Stops and joins the thread (a checkpoint under way ends first).
    ~SqliteCheckpointer();
    SqliteCheckpointer(const SqliteCheckpointer&) = delete;
    SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

    /// Installs the commit hook on a connection (replacing SQLite's automatic checkpoint there).
    void attach(sqlite3* db);

    /// Checkpoints the thread has run, and those committing connections ran inline (backstop).
    std::uint64_t checkpoints() const { return _checkpoints.load(); }
    std::uint64_t inlineCheckpoints() const { return _inline.load(); }
    /// Checkpoints that failed (the thread's connection could not be opened, or SQLite refused);
    /// the log then grows until the backstop checkpoints inline.
    std::uint64_t failures() const { return _failures.load(); }

private:
    static int onCommit(void* self, sqlite3* db, const char* schema, int pages);
    void run();
    /// One PASSIVE checkpoint on the thread's own connection; false on failure.
    bool checkpoint();

    const std::string _path;
    const int _pages;
    const int _backstop;
    sqlite3* _own = nullptr; ///< the thread's connection (only the thread touches it)
    std::mutex _mutex;
    std::condition_variable _wake;
    bool _wanted = false; ///< with _mutex: a commit left the log at or past _pages
    bool _stop = false;   ///< with _mutex
    std::atomic<std::uint64_t> _checkpoints{0};
    std::atomic<std::uint64_t> _inline{0};
    std::atomic<std::uint64_t> _failures{0};
    std::thread _thread; ///< last: started once everything above is set
};

} // namespace chukan
