// PermissionListFile: CSV rows to PermitList entries with code and time checks.
#include "tests/netsim/PermissionListFile.h"

#include "codecs/SignedTime.h"
#include "tests/netsim/SimCsv.h"

#include <regex>

namespace chukan
{

Result<PermitList> PermissionListFile::load(const std::string& path, const std::string& listId)
{
    static const std::vector<std::string> HEADER = {"requester",     "provider",     "jimuCode",
                                                    "procedureCode", "dataItemCode", "validFrom",
                                                    "validTo"};
    Result<std::vector<std::vector<std::string>>> rows = SimCsv::read(path, HEADER);
    if (!rows)
        return rows.status();
    static const std::regex CODE16("[A-Z0-9]{16}");
    PermitList list;
    list.listId = listId;
    std::size_t n = 0;
    for (const auto& r : rows.value())
    {
        ++n;
        std::string where = "permission list " + path + " row " + std::to_string(n) + ": ";
        for (std::size_t f = 0; f < 5; ++f)
            if (!std::regex_match(r[f], CODE16))
                return Status::invalid(where + HEADER[f] + " '" + r[f] +
                                       "' is not 16 capitals or digits");
        Result<Poco::Timestamp> from = SignedTime::parse(r[5], where + "validFrom");
        if (!from)
            return from.status();
        Result<Poco::Timestamp> to = SignedTime::parse(r[6], where + "validTo");
        if (!to)
            return to.status();
        if (!(from.value() < to.value()))
            return Status::invalid(where + "validTo must be after validFrom");
        list.entries.push_back({r[0], r[1], r[2], r[3], r[4], from.value(), to.value()});
    }
    return list;
}

} // namespace chukan
