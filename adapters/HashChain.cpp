// HashChain: canonical hashing, race-safe append, streaming verify and anchored purge of a chained
// table.
#include "adapters/HashChain.h"

#include "adapters/RowReader.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

const int kMaxAppendAttempts = 50;

void field(std::string& out, const std::string& bytes)
{
    out += std::to_string(bytes.size());
    out += ':';
    out += bytes;
    out += ';';
}

} // namespace

ChainValue ChainValue::str(std::string s)
{
    ChainValue v;
    v.text = std::move(s);
    return v;
}

ChainValue ChainValue::integer(Poco::Int64 n)
{
    ChainValue v;
    v.num = n;
    v.text = std::to_string(n);
    return v;
}

ChainValue ChainValue::optInteger(const std::optional<Poco::Int64>& n)
{
    ChainValue v;
    v.isNull = !n.has_value();
    v.num = n.value_or(0);
    if (n)
        v.text = std::to_string(*n);
    return v;
}

HashChain::HashChain(Database& db, std::string table, std::vector<ChainColumn> columns,
                     std::string timeColumn)
    : _db(db), _table(std::move(table)), _columns(std::move(columns)),
      _timeColumn(std::move(timeColumn))
{
}

const std::string& HashChain::genesisHash()
{
    static const std::string zeros(64, '0');
    return zeros;
}

std::string HashChain::computeHash(const std::string& table, const std::string& tenant,
                                   Poco::Int64 seq, const std::vector<ChainValue>& values,
                                   const std::string& prevHash)
{
    std::string canon = "chukan-chain-v1\n";
    field(canon, table);
    field(canon, tenant);
    field(canon, std::to_string(seq));
    for (const ChainValue& v : values)
    {
        if (v.isNull)
            canon += "~;";
        else
            field(canon, v.text);
    }
    field(canon, prevHash);
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(canon);
    return Poco::DigestEngine::digestToHex(sha.digest());
}

std::string HashChain::columnList() const
{
    std::string out;
    for (const ChainColumn& c : _columns)
        out += (out.empty() ? "" : ", ") + c.name;
    return out;
}

Status HashChain::checkValues(const std::vector<ChainValue>& values) const
{
    if (values.size() != _columns.size())
        return Status::internal(_table + ": " + std::to_string(values.size()) + " values for " +
                                std::to_string(_columns.size()) + " columns");
    for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i].isNull && _columns[i].kind != ChainColumn::OPT_INT)
            return Status::internal(_table + ": column " + _columns[i].name + " must not be NULL");
    return Status::ok();
}

HashChain::Anchor HashChain::readAnchor(Poco::Data::Session& s, const std::string& tenant)
{
    Anchor a;
    a.hash = genesisHash();
    std::string code = tenant, chain = _table;
    Poco::Data::Statement st(s);
    st << "SELECT seq, hash FROM chain_anchors WHERE tenant_code = ? AND chain = ?", use(code),
        use(chain);
    st.execute();
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() > 0)
    {
        RowReader r(rs, 0);
        a.seq = r.i64(0);
        a.hash = r.str(1);
    }
    return a;
}

Result<Poco::Int64> HashChain::append(const TenantCode& tenant,
                                      const std::vector<ChainValue>& values)
{
    Status ok = checkValues(values);
    if (!ok)
        return ok;
    // Hash exactly what is bound: integers as decimal text.
    std::vector<ChainValue> canon = values;
    for (std::size_t i = 0; i < canon.size(); ++i)
        if (_columns[i].kind != ChainColumn::TEXT && !canon[i].isNull)
            canon[i].text = std::to_string(canon[i].num);

    std::string sql = "INSERT INTO " + _table + " (tenant_code, seq, " + columnList() +
                      ", prev_hash, hash) VALUES (?, ?";
    for (std::size_t i = 0; i < _columns.size(); ++i)
        sql += ", ?";
    sql += ", ?, ?)";

    for (int attempt = 1;; ++attempt)
    {
        Poco::Int64 seq = 0;
        try
        {
            Status st = _db.write(
                [&](Poco::Data::Session& s)
                {
                    std::string code = tenant.str();
                    Poco::Nullable<Poco::Int64> max;
                    s << "SELECT MAX(seq) FROM " + _table + " WHERE tenant_code = ?", use(code),
                        into(max), now;
                    std::string prev;
                    if (max.isNull())
                    {
                        Anchor a = readAnchor(s, code);
                        seq = a.seq + 1;
                        prev = a.hash;
                    }
                    else
                    {
                        Poco::Int64 head = max.value();
                        s << "SELECT hash FROM " + _table + " WHERE tenant_code = ? AND seq = ?",
                            use(code), use(head), into(prev), now;
                        seq = head + 1;
                    }
                    std::string hash = computeHash(_table, code, seq, canon, prev);
                    Poco::Data::Statement ins(s);
                    ins << sql, bind(code), bind(seq);
                    for (std::size_t i = 0; i < _columns.size(); ++i)
                    {
                        const ChainValue& v = values[i];
                        if (_columns[i].kind == ChainColumn::TEXT)
                            ins, bind(v.text);
                        else if (_columns[i].kind == ChainColumn::INT)
                            ins, bind(v.num);
                        else
                            ins, bind(v.isNull ? Poco::Nullable<Poco::Int64>()
                                               : Poco::Nullable<Poco::Int64>(v.num));
                    }
                    ins, bind(prev), bind(hash);
                    ins.execute();
                    return Status::ok();
                });
            if (!st)
                return st;
            return seq;
        }
        catch (const std::exception& e)
        {
            // Another node appended the same seq first: read the new head and try again.
            if (!_db.isDuplicateKey(e))
                throw;
            if (attempt >= kMaxAppendAttempts)
                return Status::unavailable(_table + " of tenant " + tenant.str() +
                                           ": append lost " + std::to_string(attempt) +
                                           " races for the chain head; try again");
        }
    }
}

Result<ChainCheck> HashChain::verify(const TenantCode& tenant, int pageSize)
{
    const std::string code = tenant.str();
    const std::string select = "SELECT seq, prev_hash, hash, " + columnList() + " FROM " + _table +
                               " WHERE tenant_code = ? AND seq > ? ORDER BY seq LIMIT ?";
    const std::string where = _table + " of tenant " + code + ": seq ";
    Poco::Data::Session s = _db.session();
    for (int restart = 0;; ++restart)
    {
        Anchor anchor = readAnchor(s, code);
        ChainCheck check;
        check.anchorSeq = anchor.seq;
        check.headSeq = anchor.seq;
        check.headHash = anchor.hash;
        bool anchorMoved = false;
        Poco::Int64 limit = pageSize;
        for (;;)
        {
            Poco::Int64 after = check.headSeq;
            std::string c = code;
            Poco::Data::Statement st(s);
            st << select, use(c), use(after), use(limit);
            st.execute();
            Poco::Data::RecordSet rs(st);
            for (std::size_t i = 0; i < rs.rowCount(); ++i)
            {
                RowReader r(rs, i);
                Poco::Int64 seq = r.i64(0);
                std::string prev = r.str(1), hash = r.str(2);
                Poco::Int64 expected = check.headSeq + 1;
                if (seq != expected)
                {
                    // A purge that ran since we started moves the anchor past rows we expected.
                    if (restart < 3 && readAnchor(s, code).seq != anchor.seq)
                    {
                        anchorMoved = true;
                        break;
                    }
                    return Status::corruption(
                        where + std::to_string(expected) +
                        (expected + 1 == seq ? "" : " to " + std::to_string(seq - 1)) +
                        ": missing (chain jumps from " + std::to_string(check.headSeq) + " to " +
                        std::to_string(seq) + "); rows were deleted");
                }
                std::vector<ChainValue> values;
                for (std::size_t k = 0; k < _columns.size(); ++k)
                {
                    std::size_t col = 3 + k;
                    ChainValue v;
                    if (r.isNull(col))
                        v.isNull = true;
                    else if (_columns[k].kind == ChainColumn::TEXT)
                        v.text = r.str(col);
                    else
                        v.text = std::to_string(r.i64(col));
                    values.push_back(v);
                }
                if (computeHash(_table, code, seq, values, prev) != hash)
                    return Status::corruption(
                        where + std::to_string(seq) +
                        ": hash mismatch; the row was altered after it was written");
                if (prev != check.headHash)
                    return Status::corruption(
                        where + std::to_string(seq) + ": prev_hash does not link to " +
                        (check.headSeq == 0 ? std::string("the genesis value")
                                            : "seq " + std::to_string(check.headSeq)) +
                        "; a row was inserted or reordered");
                check.headSeq = seq;
                check.headHash = hash;
                ++check.verified;
            }
            if (anchorMoved || static_cast<Poco::Int64>(rs.rowCount()) < limit)
                break;
        }
        if (!anchorMoved)
            return check;
    }
}

Result<Poco::Int64> HashChain::purgeBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros,
                                           Poco::Int64 nowMicros)
{
    Poco::Int64 deleted = 0;
    Status st = _db.write(
        [&](Poco::Data::Session& s)
        {
            std::string code = tenant.str(), chain = _table;
            Poco::Int64 cutoff = cutoffMicros, at = nowMicros;
            Anchor anchor = readAnchor(s, code);
            Poco::Nullable<Poco::Int64> firstKept, max;
            s << "SELECT MIN(seq) FROM " + _table + " WHERE tenant_code = ? AND " + _timeColumn +
                     " >= ?",
                use(code), use(cutoff), into(firstKept), now;
            s << "SELECT MAX(seq) FROM " + _table + " WHERE tenant_code = ?", use(code), into(max),
                now;
            if (max.isNull())
                return Status::ok();
            // Only a prefix can go: a younger row keeps every later row (clocks of nodes may
            // differ).
            Poco::Int64 last = firstKept.isNull() ? max.value() : firstKept.value() - 1;
            if (last <= anchor.seq)
                return Status::ok();
            std::string hash;
            s << "SELECT hash FROM " + _table + " WHERE tenant_code = ? AND seq = ?", use(code),
                use(last), into(hash), now;
            if (hash.empty())
                return Status::corruption(_table + " of tenant " + code + ": seq " +
                                          std::to_string(last) + ": missing; purge refused");
            if (anchor.seq == 0 && anchor.hash == genesisHash())
            {
                int n = 0;
                s << "SELECT COUNT(*) FROM chain_anchors WHERE tenant_code = ? AND chain = ?",
                    use(code), use(chain), into(n), now;
                if (n == 0)
                    s << "INSERT INTO chain_anchors (tenant_code, chain, seq, hash, purged_at) "
                         "VALUES (?, ?, ?, ?, ?)",
                        use(code), use(chain), use(last), use(hash), use(at), now;
            }
            s << "UPDATE chain_anchors SET seq = ?, hash = ?, purged_at = ? WHERE tenant_code = ? "
                 "AND chain = ?",
                use(last), use(hash), use(at), use(code), use(chain), now;
            Poco::Data::Statement del(s);
            del << "DELETE FROM " + _table + " WHERE tenant_code = ? AND seq <= ?", use(code),
                use(last);
            deleted = static_cast<Poco::Int64>(del.execute());
            return Status::ok();
        });
    if (!st)
        return st;
    return deleted;
}

} // namespace chukan
