// FileCache: the content of small files (key PEMs), read once and again only when the file changes.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace chukan {

/// A file is re-read when its inode, size or modification time (nanoseconds) differs from the
/// cached copy's, so a renewed key takes effect without a restart; each call costs one stat().
/// Throws a Poco::FileException (as Poco::FileInputStream does) when the file cannot be read.
/// Thread-safety: read() may be called from any thread.
class FileCache
{
public:
    std::string read(const std::string& path);

private:
    struct Entry
    {
        unsigned long long inode = 0;
        long long size = -1;
        long long modifiedNanos = 0;
        std::string content;
    };
    std::mutex _mutex;
    std::map<std::string, Entry> _entries;
};

} // namespace chukan
