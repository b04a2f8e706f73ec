// ReplicaRegistration: the replica registration message (DBM): a MessageHeader and its records.
#pragma once

#include "codecs/MessageHeader.h"
#include "codecs/ReplicaRecord.h"

#include <vector>

namespace chukan {

struct ReplicaRegistration
{
    MessageHeader header;
    std::vector<ReplicaRecord> records; ///< at least one on the wire
};

} // namespace chukan
