// LayoutReport: the good records and errors of a decoded buffer, and whether it stopped early.
#pragma once

#include "codecs/DecodedRecord.h"
#include "codecs/RecordError.h"

#include <vector>

namespace chukan
{

class LayoutReport
{
public:
    std::vector<DecodedRecord> records; ///< the good records, in file order
    std::vector<RecordError> errors;    ///< every bad field of every bad record, in file order
    std::size_t recordsRead = 0;        ///< good + bad records examined
    std::size_t badRecords = 0;
    bool stoppedAtLimit = false; ///< decoding stopped after `errorLimit` bad records

    bool clean() const { return badRecords == 0; }
};

} // namespace chukan
