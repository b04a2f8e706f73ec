// DecodedRecord: the UTF-8 field values of one good fixed-length record, in layout order.
#pragma once

#include <string>
#include <vector>

namespace chukan
{

class DecodedRecord
{
public:
    std::size_t recordNumber = 0;    ///< 1-based
    std::vector<std::string> values; ///< values[i] belongs to layout.fields()[i]
};

} // namespace chukan
