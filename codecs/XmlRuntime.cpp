// XmlRuntime: XMLPlatformUtils::Initialize under std::call_once, then fgNetAccessor removed.
#include "codecs/XmlRuntime.h"

#include "codecs/XmlString.h"

#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/XMLException.hpp>
#include <xercesc/util/XMLNetAccessor.hpp>

#include <mutex>

namespace chukan {

Status XmlRuntime::ensureInitialized()
{
    static std::once_flag once;
    static Status status;
    std::call_once(once, [] {
        try
        {
            xercesc::XMLPlatformUtils::Initialize();
            delete xercesc::XMLPlatformUtils::fgNetAccessor;
            xercesc::XMLPlatformUtils::fgNetAccessor = nullptr;
        }
        catch (const xercesc::XMLException& e)
        {
            status = Status::internal("cannot initialise Xerces-C++: " + XmlString::toUtf8(e.getMessage()));
        }
    });
    return status;
}

} // namespace chukan
