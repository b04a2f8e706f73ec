// XmlRuntime: process-wide Xerces-C++ initialisation (once, thread-safe) with network access removed.
#pragma once

#include "codecs/Status.h"

#include <string>

namespace chukan {

/// Xerces-C++ must be initialised before any other call into it. ensureInitialized() does it
/// exactly once per process (std::call_once) and is cheap afterwards; every XML class here
/// calls it, so callers need not. Xerces is never terminated: it lives as long as the process.
/// After initialisation the library's network accessor is deleted, so no document, schema or
/// entity can make Xerces open an http:// or ftp:// URL, whatever the parser settings.
class XmlRuntime
{
public:
    /// OK, or INTERNAL when Xerces could not initialise (the same Status on every call).
    static Status ensureInitialized();
};

} // namespace chukan
