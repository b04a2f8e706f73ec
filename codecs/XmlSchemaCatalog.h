// XmlSchemaCatalog: named schemas (NAME -> DIR/NAME.xsd), each compiled once on first use and shared.
#pragma once

#include "codecs/XmlSchema.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace chukan {

/// The gateway creates one catalog at start and hands it to every codec; tests make their own.
/// Thread-safety: get() may be called from any thread; a schema is loaded once (under the
/// catalog's mutex) and the same shared XmlSchema is returned afterwards. A schema that fails
/// to load is not cached (the next call retries and reports again).
class XmlSchemaCatalog
{
public:
    explicit XmlSchemaCatalog(std::string directory) : _directory(std::move(directory)) {}

    /// NAME is 1-64 of A-Z a-z 0-9 . _ - (no path separators, not starting with a dot).
    Result<std::shared_ptr<const XmlSchema>> get(const std::string& name);

    const std::string& directory() const { return _directory; }

    /// $CHUKAN_SCHEMAS when set, else "conf/schemas" (relative to the working directory).
    static std::string defaultDirectory();

    /// True when name is an acceptable schema name.
    static bool isValidName(const std::string& name);

private:
    std::string _directory;
    std::mutex _mutex;
    std::map<std::string, std::shared_ptr<const XmlSchema>> _schemas;
};

} // namespace chukan
