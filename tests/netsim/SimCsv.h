// SimCsv: reads ipn-sim's small configuration CSV files (directory, master permission list).
#pragma once

#include "codecs/Result.h"

#include <string>
#include <vector>

namespace chukan
{

/// UTF-8, one record a line, fields split at ',' and trimmed (no quoting: values never hold a
/// comma), blank lines and lines starting with '#' skipped; the first other line must be the
/// header `expected` exactly. INVALID_ARGUMENT naming file, line and reason.
class SimCsv
{
public:
    static Result<std::vector<std::vector<std::string>>>
    read(const std::string& path, const std::vector<std::string>& expected);
};

} // namespace chukan
