// PermitList: the 照会許可用照合リスト (permission list) the network signs, one entry per allowed inquiry kind.
#pragma once

#include "codecs/Result.h"

#include <Poco/Timestamp.h>

#include <string>
#include <vector>

namespace chukan {

/// Payload: {"type":"permission-list","listId":…,"issuedAt":…,"entries":[{entry}, …]} with
/// entry members requesterInstitution, providerInstitution, jimuCode, procedureCode,
/// dataItemCode (16-character codes), validFrom, validTo (ISO 8601 UTC; validTo exclusive).
struct PermitList
{
    static constexpr const char* TYPE = "permission-list";

    struct Entry
    {
        std::string requesterInstitution;
        std::string providerInstitution;
        std::string jimuCode;
        std::string procedureCode;
        std::string dataItemCode;
        Poco::Timestamp validFrom;
        Poco::Timestamp validTo;
    };

    std::string listId;
    Poco::Timestamp issuedAt;
    std::vector<Entry> entries;

    std::string toJson() const;
    static Result<PermitList> parse(const std::string& payload);

    /// The entry that allows this inquiry at `at`, or null.
    const Entry* find(const std::string& requester, const std::string& provider, const std::string& jimu,
                      const std::string& procedure, const std::string& dataItem, const Poco::Timestamp& at) const;
};

} // namespace chukan
