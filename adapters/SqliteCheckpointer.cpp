// SqliteCheckpointer: a commit hook that wakes a thread, and the thread that runs PASSIVE checkpoints.
#include "adapters/SqliteCheckpointer.h"

#include <sqlite3.h>

#include <utility>

namespace chukan {

SqliteCheckpointer::SqliteCheckpointer(std::string path, int pages, int backstopPages)
    : _path(std::move(path)), _pages(pages > 0 ? pages : kPages),
      _backstop(backstopPages > _pages ? backstopPages : _pages * 8), _thread([this] { run(); })
{
}

SqliteCheckpointer::~SqliteCheckpointer()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stop = true;
    }
    _wake.notify_all();
    _thread.join();
}

void SqliteCheckpointer::attach(sqlite3* db)
{
    sqlite3_wal_hook(db, &SqliteCheckpointer::onCommit, this);
}

int SqliteCheckpointer::onCommit(void* arg, sqlite3* db, const char* schema, int pages)
{
    // Called by SQLite after a commit on `db`, its write lock already released; `pages` is the
    // size of the log now.
    auto* self = static_cast<SqliteCheckpointer*>(arg);
    if (pages >= self->_backstop)
    {
        // The thread has fallen behind: what SQLite's own hook does, on this connection.
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        self->_inline.fetch_add(1);
    }
    else if (pages >= self->_pages)
    {
        {
            std::lock_guard<std::mutex> lock(self->_mutex);
            self->_wanted = true;
        }
        self->_wake.notify_one();
    }
    return SQLITE_OK;
}

void SqliteCheckpointer::run()
{
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;)
    {
        _wake.wait(lock, [&] { return _wanted || _stop; });
        if (_stop)
            break;
        _wanted = false;
        lock.unlock();
        if (checkpoint())
            _checkpoints.fetch_add(1);
        else
            _failures.fetch_add(1);
        lock.lock();
    }
    lock.unlock();
    if (_own)
        sqlite3_close_v2(_own);
}

bool SqliteCheckpointer::checkpoint()
{
    if (!_own)
    {
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        {
            sqlite3_close_v2(db);
            return false;
        }
        // The checkpoint syncs the log before and the database file after copying, as a
        // checkpoint of the store's own connections (synchronous=FULL) does.
        sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
        _own = db;
    }
    int rc = sqlite3_wal_checkpoint_v2(_own, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    // BUSY: another connection is checkpointing right now; that one copies the pages.
    return rc == SQLITE_OK || rc == SQLITE_BUSY;
}

} // namespace chukan
