// LogSetup: routes every logger of the gateway to stderr or a rotating file, as JSON lines or text,
// at the configured level.
#pragma once

#include "codecs/Status.h"
#include "gateway/Settings.h"

namespace chukan
{

/// chukan.log.level, .format (json | text), .file (empty: stderr; relative to chukan.data.dir),
/// .rotateMegabytes (rotate when the file reaches it) and .keep (archived files kept; older ones
/// are deleted). Rotated files are named FILE.0, FILE.1, … (newest first, Poco::FileChannel
/// "number").
class LogSetup
{
public:
    /// Replaces the channel of every existing and future logger; creates the file's directory.
    static Status apply(const Settings& settings);
};

} // namespace chukan
