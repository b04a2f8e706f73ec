// FileCache: stat, compare, read on change; the content is copied out under the lock.
#include "gateway/FileCache.h"

#include <Poco/Exception.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <sys/stat.h>

namespace chukan {

std::string FileCache::read(const std::string& path)
{
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
        throw Poco::FileNotFoundException(path);
    Entry e;
    e.inode = st.st_ino;
    e.size = st.st_size;
    e.modifiedNanos = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _entries.find(path);
        if (it != _entries.end() && it->second.inode == e.inode && it->second.size == e.size &&
            it->second.modifiedNanos == e.modifiedNanos)
            return it->second.content;
    }
    Poco::FileInputStream in(path);
    Poco::StreamCopier::copyToString(in, e.content);
    std::string content = e.content;
    std::lock_guard<std::mutex> lock(_mutex);
    _entries[path] = std::move(e);
    return content;
}

} // namespace chukan
