// RecordError: one bad field or record (record number, field, byte offset, reason, raw hex).
#pragma once

#include <string>

namespace chukan
{

class RecordError
{
public:
    std::size_t recordNumber = 0; ///< 1-based
    std::string field;            ///< field name, empty when the record as a whole is wrong
    std::size_t byteOffset = 0;   ///< in the file: the offending byte, else the field's first byte
    std::string reason;
    std::string rawHex; ///< the field's bytes (or the record's, up to 64) in hex

    /// "record 3, field sex, byte offset 512: code '5' is not one of 1, 2, 9 [raw 35]"
    std::string toString() const
    {
        return "record " + std::to_string(recordNumber) +
               (field.empty() ? "" : ", field " + field) + ", byte offset " +
               std::to_string(byteOffset) + ": " + reason + " [raw " + rawHex + "]";
    }
};

} // namespace chukan
