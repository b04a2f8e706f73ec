// BlobColumn: dialect SELECT expressions for BLOBs and chunked completion of long values on
// MariaDB.
#include "adapters/BlobColumn.h"

#include <Poco/Data/LOB.h>

using namespace Poco::Data::Keywords;

namespace chukan
{

std::string BlobColumn::select(const Database& db, const std::string& column)
{
    if (db.backend() == Database::SQLITE)
        return column + ", LENGTH(" + column + ")";
    return "SUBSTRING(" + column + ", 1, " + std::to_string(kChunk) + "), LENGTH(" + column + ")";
}

std::optional<std::string>
BlobColumn::value(Database& db, Poco::Data::Session& s, const RowReader& r, std::size_t col,
                  const std::string& table, const std::string& column, const std::string& tenant,
                  const std::vector<std::pair<std::string, std::string>>& keys)
{
    if (r.isNull(col) || r.isNull(col + 1))
        return std::nullopt;
    std::string out = r.bytes(col);
    Poco::Int64 length = r.i64(col + 1);
    if (db.backend() == Database::SQLITE)
        return out;
    std::string sql = "SELECT SUBSTRING(" + column + ", ?, " + std::to_string(kChunk) + ") FROM " +
                      table + " WHERE tenant_code = ?";
    for (const auto& k : keys)
        sql += " AND " + k.first + " = ?";
    while (static_cast<Poco::Int64>(out.size()) < length)
    {
        Poco::Int64 from = static_cast<Poco::Int64>(out.size()) + 1;
        Poco::Data::BLOB chunk;
        Poco::Data::Statement st(s);
        st << sql, bind(from), bind(tenant);
        for (const auto& k : keys)
            st, bind(k.second);
        st, into(chunk);
        st.execute();
        if (chunk.size() == 0)
            break; // the row changed under us; return what we have
        out.append(reinterpret_cast<const char*>(chunk.rawContent()), chunk.size());
    }
    return out;
}

} // namespace chukan
