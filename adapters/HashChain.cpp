// HashChain: canonical hashing, race-safe append with a head row, streaming verify and checkpointed
// purge of a chained table.
#include "adapters/HashChain.h"

#include "adapters/RowReader.h"
#include "adapters/SqlQuery.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

using namespace Poco::Data::Keywords;

namespace chukan
{

namespace
{

const int kMaxAppendAttempts = 50;
const Poco::Int64 kPurgeCheckPage = 1000;
/// verify() starts again when a purge moved the checkpoint under it, at most this often.
const int kVerifyRestarts = 20;

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

HashChain::Mark HashChain::readAnchor(Poco::Data::Session& s, const std::string& tenant)
{
    Mark a;
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
        a.exists = true;
        a.seq = r.i64(0);
        a.hash = r.str(1);
    }
    return a;
}

HashChain::Mark HashChain::readHead(Poco::Data::Session& s, const std::string& tenant,
                                    bool forUpdate)
{
    Mark h;
    std::string sql = "SELECT seq, hash FROM chain_heads WHERE tenant_code = ? AND chain = ?";
    if (forUpdate && _db.backend() == Database::MARIADB)
        sql += " FOR UPDATE"; // SQLite writers already hold the database's write lock
    SqlQuery st(s, sql);
    st.bind(tenant).bind(_table);
    st.execute();
    if (st.rowCount() > 0)
    {
        RowReader r = st.row(0);
        h.exists = true;
        h.seq = r.i64(0);
        h.hash = r.str(1);
    }
    return h;
}

Result<Poco::Int64> HashChain::appendIn(Poco::Data::Session& s, const std::string& code,
                                        const std::vector<ChainValue>& values, bool& lostRace)
{
    // Hash exactly what is bound: integers as decimal text.
    std::vector<ChainValue> canon = values;
    for (std::size_t i = 0; i < canon.size(); ++i)
        if (_columns[i].kind != ChainColumn::TEXT && !canon[i].isNull)
            canon[i].text = std::to_string(canon[i].num);

    std::string chain = _table;
    Mark head = readHead(s, code, true);
    Poco::Int64 seq = 1;
    std::string prev = genesisHash();
    if (head.exists)
    {
        seq = head.seq + 1;
        prev = head.hash;
    }
    else
    {
        Mark anchor = readAnchor(s, code);
        Poco::Nullable<Poco::Int64> max;
        std::string c = code;
        s << "SELECT MAX(seq) FROM " + _table + " WHERE tenant_code = ?", use(c), into(max), now;
        if ((!max.isNull() || anchor.exists) && readHead(s, code, true).exists)
        {
            // On MariaDB the first locking read ran before a racing first append committed and
            // the MAX above saw its row: the head exists now, so this writer lost the race.
            lostRace = true;
            return Status::unavailable(_table + " of tenant " + code + ": chain head created");
        }
        if (!max.isNull() || anchor.exists)
            return Status::corruption(
                _table + " of tenant " + code + ": no chain head although the chain has " +
                (max.isNull() ? "a checkpoint at seq " + std::to_string(anchor.seq)
                              : "rows up to seq " + std::to_string(max.value())) +
                "; the head row was deleted. Nothing is appended until the chain is verified "
                "(chukanctl records verify / audit verify) and restored");
    }
    std::string hash = computeHash(_table, code, seq, canon, prev);

    std::string sql = "INSERT INTO " + _table + " (tenant_code, seq, " + columnList() +
                      ", prev_hash, hash) VALUES (?, ?";
    for (std::size_t i = 0; i < _columns.size(); ++i)
        sql += ", ?";
    sql += ", ?, ?)";
    SqlQuery ins(s, sql);
    ins.bind(code).bind(seq);
    for (std::size_t i = 0; i < _columns.size(); ++i)
    {
        const ChainValue& v = values[i];
        if (_columns[i].kind == ChainColumn::TEXT)
            ins.bind(v.text);
        else if (_columns[i].kind == ChainColumn::INT)
            ins.bind(v.num);
        else
            ins.bind(v.isNull ? std::optional<Poco::Int64>() : std::optional<Poco::Int64>(v.num));
    }
    ins.bind(prev).bind(hash);
    ins.execute();

    if (head.exists)
    {
        SqlQuery up(s, "UPDATE chain_heads SET seq = ?, hash = ? WHERE tenant_code = ? AND chain = ? AND "
                       "seq = ?");
        up.bind(seq).bind(hash).bind(code).bind(chain).bind(head.seq);
        if (up.execute() != 1)
        {
            lostRace = true; // another writer moved the head first
            return Status::unavailable(_table + " of tenant " + code + ": chain head moved");
        }
    }
    else
        s << "INSERT INTO chain_heads (tenant_code, chain, seq, hash) VALUES (?, ?, ?, ?)",
            bind(code), bind(chain), bind(seq), bind(hash), now; // a racing first append: dup key
    return seq;
}

template <typename T>
Result<T> HashChain::writeRetrying(const TenantCode& tenant, const std::string& what,
                                   const std::function<Result<T>(Poco::Data::Session&, bool&)>& fn)
{
    for (int attempt = 1;; ++attempt)
    {
        bool lostRace = false;
        std::optional<Result<T>> out;
        try
        {
            Status st = _db.write(
                [&](Poco::Data::Session& s)
                {
                    lostRace = false;
                    out.emplace(fn(s, lostRace));
                    return out->isOk() ? Status::ok() : out->status();
                });
            if (st || !lostRace)
                return *out;
        }
        catch (const std::exception& e)
        {
            // Another node appended the same seq (or created the same head) first.
            if (!_db.isDuplicateKey(e))
                throw;
        }
        if (attempt >= kMaxAppendAttempts)
            return Status::unavailable(_table + " of tenant " + tenant.str() + ": " + what +
                                       " lost " + std::to_string(attempt) +
                                       " races for the chain head; try again");
    }
}

Result<Poco::Int64> HashChain::append(const TenantCode& tenant,
                                      const std::vector<ChainValue>& values)
{
    Status ok = checkValues(values);
    if (!ok)
        return ok;
    const std::string code = tenant.str();
    return writeRetrying<Poco::Int64>(tenant, "append",
                                      [&](Poco::Data::Session& s, bool& lostRace)
                                      { return appendIn(s, code, values, lostRace); });
}

Status HashChain::walk(Poco::Data::RecordSet& rs, const std::string& code, ChainCheck& check,
                       bool& jumped) const
{
    const std::string where = _table + " of tenant " + code + ": seq ";
    for (std::size_t i = 0; i < rs.rowCount(); ++i)
    {
        RowReader r(rs, i);
        Poco::Int64 seq = r.i64(0);
        std::string prev = r.str(1), hash = r.str(2);
        Poco::Int64 expected = check.headSeq + 1;
        if (seq != expected)
        {
            jumped = true;
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
            return Status::corruption(where + std::to_string(seq) +
                                      ": hash mismatch; the row was altered after it was written");
        if (prev != check.headHash)
            return Status::corruption(
                where + std::to_string(seq) + ": prev_hash does not link to " +
                (check.headSeq == 0 ? std::string("the genesis value")
                                    : "seq " + std::to_string(check.headSeq)) +
                (check.headSeq == check.anchorSeq && check.headSeq > 0 ? " (the checkpoint)" : "") +
                "; a row was inserted or reordered");
        check.headSeq = seq;
        check.headHash = hash;
        ++check.verified;
    }
    return Status::ok();
}

Result<ChainCheck> HashChain::verify(const TenantCode& tenant, int pageSize,
                                     const Progress& progress)
{
    const std::string code = tenant.str();
    const std::string select =
        "SELECT seq, prev_hash, hash, " + columnList() + " FROM " + _table +
        " WHERE tenant_code = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?";
    const std::string where = _table + " of tenant " + code + ": ";
    Poco::Data::Session s = _db.session();
    for (int restart = 0;; ++restart)
    {
        // One statement, one consistent view of checkpoint, head and the last row.
        std::string c1 = code, c2 = code, c3 = code, c4 = code, c5 = code;
        std::string t1 = _table, t2 = _table, t3 = _table, t4 = _table;
        Poco::Nullable<Poco::Int64> anchorSeq, headSeq, maxSeq;
        Poco::Nullable<std::string> anchorHash, headHash;
        s << "SELECT (SELECT seq FROM chain_anchors WHERE tenant_code = ? AND chain = ?),"
             " (SELECT hash FROM chain_anchors WHERE tenant_code = ? AND chain = ?),"
             " (SELECT seq FROM chain_heads WHERE tenant_code = ? AND chain = ?),"
             " (SELECT hash FROM chain_heads WHERE tenant_code = ? AND chain = ?),"
             " (SELECT MAX(seq) FROM " +
                 _table + " WHERE tenant_code = ?)",
            use(c1), use(t1), use(c2), use(t2), use(c3), use(t3), use(c4), use(t4), use(c5),
            into(anchorSeq), into(anchorHash), into(headSeq), into(headHash), into(maxSeq), now;

        ChainCheck check;
        check.anchorSeq = anchorSeq.isNull() ? 0 : anchorSeq.value();
        check.headSeq = check.anchorSeq;
        check.headHash = anchorHash.isNull() ? genesisHash() : anchorHash.value();
        // A purge that commits while we walk moves the checkpoint past rows we expected.
        auto checkpointMoved = [&]
        { return restart < kVerifyRestarts && readAnchor(s, code).seq != check.anchorSeq; };
        if (headSeq.isNull())
        {
            if (maxSeq.isNull() && anchorSeq.isNull())
                return check; // an empty chain
            return Status::corruption(
                where + "no chain head although the chain has " +
                (maxSeq.isNull() ? "a checkpoint at seq " + std::to_string(check.anchorSeq)
                                 : "rows up to seq " + std::to_string(maxSeq.value())) +
                "; the head row was deleted");
        }
        const Poco::Int64 head = headSeq.value();
        if (!maxSeq.isNull() && maxSeq.value() > head)
            return Status::corruption(
                where + "seq " + std::to_string(head + 1) +
                (maxSeq.value() > head + 1 ? " to " + std::to_string(maxSeq.value()) : "") +
                ": beyond the chain head (seq " + std::to_string(head) +
                "); rows were added outside chukan");
        if (head < check.anchorSeq)
            return Status::corruption(where + "the chain head (seq " + std::to_string(head) +
                                      ") is behind the checkpoint (seq " +
                                      std::to_string(check.anchorSeq) + ")");

        const Poco::Int64 total = head - check.anchorSeq;
        const Poco::Int64 limit = pageSize;
        bool again = false;
        for (;;)
        {
            Poco::Int64 after = check.headSeq, upTo = head, lim = limit;
            std::string c = code;
            Poco::Data::Statement st(s);
            st << select, use(c), use(after), use(upTo), use(lim);
            st.execute();
            Poco::Data::RecordSet rs(st);
            bool jumped = false;
            Status page = walk(rs, code, check, jumped);
            if (!page)
            {
                if (jumped && checkpointMoved())
                {
                    again = true;
                    break;
                }
                return page;
            }
            if (progress)
                progress(check.verified, total);
            if (static_cast<Poco::Int64>(rs.rowCount()) < limit)
                break;
        }
        if (again)
            continue;
        if (check.headSeq != head)
        {
            if (checkpointMoved())
                continue;
            return Status::corruption(
                where + "seq " + std::to_string(check.headSeq + 1) +
                (check.headSeq + 1 < head ? " to " + std::to_string(head) : "") +
                ": missing at the end (the chain head says seq " + std::to_string(head) +
                "); the newest rows were deleted");
        }
        if (check.headHash != headHash.value())
            return Status::corruption(where + "seq " + std::to_string(head) +
                                      ": hash differs from the chain head's; the last row was "
                                      "replaced");
        return check;
    }
}

ChainPurge HashChain::plan(Poco::Data::Session& s, const std::string& code, const Mark& anchor,
                           Poco::Int64 cutoffMicros, Poco::Int64 maxRows)
{
    ChainPurge p;
    std::string c1 = code, c2 = code;
    Poco::Int64 cutoff = cutoffMicros;
    Poco::Nullable<Poco::Int64> firstKept, max;
    s << "SELECT MIN(seq) FROM " + _table + " WHERE tenant_code = ? AND " + _timeColumn + " >= ?",
        use(c1), use(cutoff), into(firstKept), now;
    s << "SELECT MAX(seq) FROM " + _table + " WHERE tenant_code = ?", use(c2), into(max), now;
    if (max.isNull())
        return p;
    // Only a prefix can go: a younger row keeps every later row (clocks of nodes may differ).
    Poco::Int64 last = firstKept.isNull() ? max.value() : firstKept.value() - 1;
    if (maxRows > 0 && last > anchor.seq + maxRows)
    {
        last = anchor.seq + maxRows;
        p.more = true;
    }
    if (last <= anchor.seq)
        return p;
    p.firstSeq = anchor.seq + 1;
    p.lastSeq = last;
    p.purged = last - anchor.seq;
    return p;
}

Result<ChainPurge> HashChain::planPurge(const TenantCode& tenant, Poco::Int64 cutoffMicros,
                                        Poco::Int64 maxRows)
{
    Poco::Data::Session s = _db.session();
    const std::string code = tenant.str();
    return plan(s, code, readAnchor(s, code), cutoffMicros, maxRows);
}

Result<ChainPurge> HashChain::purgeBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros,
                                          Poco::Int64 nowMicros, const PurgeNote& note,
                                          Poco::Int64 maxRows)
{
    const std::string code = tenant.str(), chain = _table;
    return writeRetrying<ChainPurge>(
        tenant, "purge",
        [&](Poco::Data::Session& s, bool& lostRace) -> Result<ChainPurge>
        {
            // The head row lock serialises this purge with every append and purge of the chain.
            Mark head = readHead(s, code, true);
            Mark anchor = readAnchor(s, code);
            ChainPurge p = plan(s, code, anchor, cutoffMicros, maxRows);
            if (p.purged == 0)
                return p;
            if (!head.exists)
                return Status::corruption(_table + " of tenant " + code +
                                          ": no chain head; purge refused");
            // Never destroy evidence: the rows to delete must verify from the checkpoint, and the
            // first kept row must link to the last deleted one.
            ChainCheck check;
            check.anchorSeq = anchor.seq;
            check.headSeq = anchor.seq;
            check.headHash = anchor.hash;
            const std::string select = "SELECT seq, prev_hash, hash, " + columnList() + " FROM " +
                                       _table +
                                       " WHERE tenant_code = ? AND seq > ? AND seq <= ? ORDER BY "
                                       "seq LIMIT ?";
            while (check.headSeq < p.lastSeq)
            {
                Poco::Int64 after = check.headSeq, upTo = p.lastSeq, lim = kPurgeCheckPage;
                std::string c = code;
                Poco::Data::Statement st(s);
                st << select, use(c), use(after), use(upTo), use(lim);
                st.execute();
                Poco::Data::RecordSet rs(st);
                bool jumped = false;
                Status ok = walk(rs, code, check, jumped);
                if (!ok)
                    return Status::corruption(ok.message() + "; purge refused");
                if (rs.rowCount() == 0)
                    return Status::corruption(_table + " of tenant " + code + ": seq " +
                                              std::to_string(check.headSeq + 1) +
                                              ": missing; purge refused");
            }
            p.checkpointHash = check.headHash;
            {
                std::string c = code, nextPrev;
                Poco::Int64 next = p.lastSeq + 1;
                Poco::Data::Statement st(s);
                st << "SELECT prev_hash FROM " + _table + " WHERE tenant_code = ? AND seq = ?",
                    use(c), use(next);
                st.execute();
                Poco::Data::RecordSet rs(st);
                if (rs.rowCount() > 0 && RowReader(rs, 0).str(0) != p.checkpointHash)
                    return Status::corruption(_table + " of tenant " + code + ": seq " +
                                              std::to_string(next) +
                                              ": prev_hash does not link to seq " +
                                              std::to_string(p.lastSeq) + "; purge refused");
                if (rs.rowCount() == 0 && head.seq > p.lastSeq)
                    return Status::corruption(_table + " of tenant " + code + ": seq " +
                                              std::to_string(next) + ": missing; purge refused");
            }

            std::string c = code, ch = chain, hash = p.checkpointHash;
            Poco::Int64 last = p.lastSeq, was = anchor.seq, at = nowMicros;
            if (anchor.exists)
            {
                Poco::Data::Statement up(s);
                up << "UPDATE chain_anchors SET seq = ?, hash = ?, purged_at = ? WHERE "
                      "tenant_code = ? AND chain = ? AND seq = ?",
                    use(last), use(hash), use(at), use(c), use(ch), use(was);
                if (up.execute() != 1)
                {
                    lostRace = true; // another node purged first
                    return Status::unavailable(_table + " of tenant " + code +
                                               ": checkpoint moved");
                }
            }
            else
                s << "INSERT INTO chain_anchors (tenant_code, chain, seq, hash, purged_at) "
                     "VALUES (?, ?, ?, ?, ?)",
                    use(c), use(ch), use(last), use(hash), use(at), now;
            Poco::Data::Statement del(s);
            del << "DELETE FROM " + _table + " WHERE tenant_code = ? AND seq <= ?", use(c),
                use(last);
            p.purged = static_cast<Poco::Int64>(del.execute());
            if (note)
            {
                std::vector<ChainValue> values = note(p);
                Status valid = checkValues(values);
                if (!valid)
                    return valid;
                Result<Poco::Int64> seq = appendIn(s, code, values, lostRace);
                if (!seq)
                    return seq.status();
                p.noteSeq = seq.value();
            }
            return p;
        });
}

std::vector<std::string> HashChain::tenants()
{
    Poco::Data::Session s = _db.session();
    std::string t1 = _table, t2 = _table;
    std::vector<std::string> out;
    s << "SELECT tenant_code FROM chain_heads WHERE chain = ? UNION SELECT tenant_code FROM "
         "chain_anchors WHERE chain = ? UNION SELECT tenant_code FROM " +
             _table + " GROUP BY tenant_code ORDER BY 1",
        use(t1), use(t2), into(out), now;
    return out;
}

} // namespace chukan
