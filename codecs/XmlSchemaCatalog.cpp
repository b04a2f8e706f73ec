// XmlSchemaCatalog: name checks and load-once caching of XmlSchema.
#include "codecs/XmlSchemaCatalog.h"

#include <cstdlib>

namespace chukan {

bool XmlSchemaCatalog::isValidName(const std::string& name)
{
    if (name.empty() || name.size() > 64 || name[0] == '.')
        return false;
    for (char c : name)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    return true;
}

std::string XmlSchemaCatalog::defaultDirectory()
{
    const char* env = std::getenv("CHUKAN_SCHEMAS");
    return env && *env ? std::string(env) : std::string("conf/schemas");
}

Result<std::shared_ptr<const XmlSchema>> XmlSchemaCatalog::get(const std::string& name)
{
    if (!isValidName(name))
        return Status::invalid("schema name '" + name + "': must be 1-64 of A-Z a-z 0-9 . _ - (not starting with '.')");
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _schemas.find(name);
    if (it != _schemas.end())
        return it->second;
    Result<std::shared_ptr<const XmlSchema>> loaded = XmlSchema::load(_directory + "/" + name + ".xsd");
    if (loaded)
        _schemas[name] = loaded.value();
    return loaded;
}

} // namespace chukan
