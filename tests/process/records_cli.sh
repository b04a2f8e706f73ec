#!/usr/bin/env bash
# records_cli: 情報提供等記録 from a real exchange; chukanctl records verify finds an altered, deleted,
# inserted and truncated record by seq; export (CSV, JSON) carries no 個人番号; purge past retention
# (test clock) is recorded and the chain still verifies; audit verify and purge likewise.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/e2e_lib.bash"
command -v sqlite3 >/dev/null || fail "sqlite3 is needed (scripts/setup)"
e2e_start_network
e2e_start_gateway chiba 121002 $CHIBA
e2e_start_gateway hofu 352063 $HOFU
ctl() { local name=$1; shift; "$CTL" --config "$T/$name.properties" "$@"; }

# --- records from a real exchange: 符号, a 副本, answered inquiries and a refusal
r=$(as 352063 -d '{"records":[{"atenaNo":"000000000000777","juminhyoCode":"12345678901"}]}' "$hofu_URL/api/v1/fugo")
grep -q '"accepted":1' <<<"$r" || fail "防府市 符号: $r"
r=$(as 121002 -d '{"records":[{"atenaNo":"000000000000101","juminhyoCode":"12345678901"}]}' "$chiba_URL/api/v1/fugo")
grep -q '"accepted":1' <<<"$r" || fail "千葉市 符号: $r"
r=$(as 352063 --data-binary "$(e2e_replica_xml R777 000000000000777 true '<接種記録><回数>2</回数></接種記録>')" "$hofu_URL/api/v1/replica")
grep -q '"accepted":1' <<<"$r" || fail "replica: $r"
inquire() { # ID → waits for the answer
  local out serial
  out=$(as 121002 --data-binary "$(e2e_inquiry_xml "$1" 000000000000101 TM00000000000002)" "$chiba_URL/api/v1/inquiries")
  serial=$(echo "$out" | serial_of)
  [ -n "$serial" ] || fail "no 処理通番 for $1: $out"
  e2e_wait_result chiba 121002 "$serial" >/dev/null || fail "inquiry $1 did not complete"
}
for i in 1 2 3 4; do inquire "INQ-R00$i"; done
code=$(as 121002 -o /dev/null -w '%{http_code}' --data-binary "$(e2e_inquiry_xml INQ-R099 000000000000101 TM00000000000099)" "$chiba_URL/api/v1/inquiries")
[ "$code" = 403 ] || fail "the unpermitted inquiry was not refused ($code)"
n=$(e2e_sql chiba "SELECT COUNT(*) FROM provision_records")
[ "$n" -ge 5 ] || fail "千葉市 has only $n records"
head=$(e2e_sql chiba "SELECT MAX(seq) FROM provision_records")
[ "$head" = "$n" ] || fail "seq has gaps: $n records, head $head"
pass "$n records at 千葉市, $(e2e_sql hofu "SELECT COUNT(*) FROM provision_records") at 防府市 from a real exchange"

# --- verify: intact on both sides; --help on every subcommand
out=$(ctl chiba records verify) || fail "records verify failed on an intact chain: $out"
echo "$out" | grep -qP "^121002\tintact\t$n records verified after checkpoint seq 0, head seq $n hash [0-9a-f]{64}$" \
  || fail "records verify: $out"
ctl hofu records verify --tenant 352063 | grep -qP "^352063\tintact\t" || fail "防府市 records verify"
for args in "records verify" "records export" "records purge" "audit verify" "audit purge" "backup" "restore"; do
  # shellcheck disable=SC2086
  h=$(ctl chiba $args --help) || fail "chukanctl $args --help exited non-zero"
  echo "$h" | grep -q "^usage: chukanctl ${args%% *}" && grep -q "exit codes" <<<"$h" || fail "chukanctl $args --help: $h"
done
set +e; ctl chiba records bogus >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || fail "an unknown verb exits $rc, not 2"
pass "records verify: intact, the head seq and hash printed; --help on every subcommand; usage exits 2"

# --- tampering: each on a fresh copy of the store, verify exits 1 naming the seq and the reason
sqlite3 "$T/chiba/chukan.db" ".backup '$T/pristine.db'"
sed "s#^chukan.data.dir = .*#chukan.data.dir = $T/scratch#" "$T/chiba.properties" >"$T/scratch.properties"
tampered() { # SQL EXPECTED-REGEX WHAT
  rm -rf "$T/scratch"; mkdir -p "$T/scratch"; cp "$T/pristine.db" "$T/scratch/chukan.db"
  sqlite3 "$T/scratch/chukan.db" "$1"
  set +e; out=$(ctl scratch records verify 2>"$T/scratch.err"); rc=$?; set -e
  [ "$rc" = 1 ] || fail "$3: verify exited $rc: $out"
  echo "$out" | grep -qP "^121002\tBROKEN\tprovision_records of tenant 121002: $2" || fail "$3: $out"
  pass "$3 → $(echo "$out" | cut -f3 | cut -c1-110)"
}
cols="kind, requester_code, provider_code, jimu_code, procedure_code, item_code, subject_fugo, subject_atena, requested_at, provided_at, outcome, reason, nondisclosure, ref_id, created_at"
tampered "UPDATE provision_records SET outcome = 'refused' WHERE seq = 2" "seq 2: hash mismatch" "altered"
tampered "DELETE FROM provision_records WHERE seq = 3" "seq 3: missing \\(chain jumps from 2 to 4\\)" "deleted"
tampered "INSERT INTO provision_records (tenant_code, seq, $cols, prev_hash, hash) SELECT tenant_code, $((n + 1)), $cols, hash, hash FROM provision_records WHERE seq = $n" \
  "seq $((n + 1)): beyond the chain head \\(seq $n\\)" "inserted after the head"
tampered "UPDATE provision_records SET seq = seq + 100 WHERE seq >= 3; UPDATE provision_records SET seq = seq - 99 WHERE seq >= 103;
  INSERT INTO provision_records (tenant_code, seq, $cols, prev_hash, hash) SELECT tenant_code, 3, $cols, prev_hash, hash FROM provision_records WHERE seq = 2;
  UPDATE chain_heads SET seq = seq + 1 WHERE chain = 'provision_records'" "seq 3: hash mismatch" "inserted in the middle"
tampered "DELETE FROM provision_records WHERE seq >= $((n - 1))" "seq $((n - 1)) to $n: missing at the end" "truncated"
tampered "DELETE FROM chain_heads WHERE chain = 'provision_records'" "no chain head" "head row deleted"

# --- export: CSV and JSON, every record, no 個人番号 (no 12-digit run with a valid check digit)
ctl chiba records export --tenant 121002 --out "$T/records.csv" 2>"$T/export.err" || fail "export: $(cat "$T/export.err")"
[ "$(wc -l <"$T/records.csv")" = $((n + 1)) ] || fail "CSV has $(wc -l <"$T/records.csv") lines for $n records"
head -1 "$T/records.csv" | grep -q "^seq,kind,requester_code,provider_code" || fail "CSV header: $(head -1 "$T/records.csv")"
ctl chiba records export --tenant 121002 --format json --out "$T/records.json" 2>>"$T/export.err" || fail "JSON export"
python3 - "$T/records.csv" "$T/records.json" "$n" <<'PY' || fail "export check"
import csv, json, re, sys
def my_number(s):
    for m in re.finditer(r'(?<![0-9])[0-9]{12}(?![0-9])', s):
        d = m.group(0); p = d[:11][::-1]
        r = sum(int(p[i]) * ((i + 2) if i < 6 else (i - 4)) for i in range(11)) % 11
        if int(d[11]) == (0 if r <= 1 else 11 - r): return True
    return False
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
doc = json.load(open(sys.argv[2], encoding='utf-8'))
n = int(sys.argv[3])
assert len(rows) == n and doc['count'] == n and len(doc['records']) == n and doc['withheld'] == 0, (len(rows), doc['count'])
for row, obj in zip(rows, doc['records']):
    assert str(obj['seq']) == row['seq'] and obj['hash'] == row['hash'], row['seq']
    for k, v in row.items():
        # generated or opaque: hashes, serials / message ids, 符号 (random hex has such runs by chance)
        if k not in ('prev_hash', 'hash', 'ref_id', 'subject_fugo'):
            assert not my_number(v), (row['seq'], k)
assert {r['kind'] for r in rows} == {'inquiry'}, {r['kind'] for r in rows}
PY
pass "export: $n records as CSV and as JSON, the same seqs and hashes, no 個人番号"

# --- purge: nothing within retention; past it (test clock, 8 years on) everything, recorded
set +e; ctl chiba records purge --tenant 121002 --now 2040-01-01T00:00:00Z >/dev/null 2>"$T/purge.err"; rc=$?; set -e
[ "$rc" = 2 ] && grep -q "CHUKAN_TEST_CLOCK=1" "$T/purge.err" || fail "--now without the test clock: exit $rc"
out=$(ctl chiba records purge --tenant 121002) || fail "purge now: $out"
grep -q "nothing to purge" <<<"$out" || fail "a purge within retention: $out"
later=$(date -u -d '+8 years' +%Y-%m-%dT%H:%M:%SZ)
out=$(CHUKAN_TEST_CLOCK=1 ctl chiba records purge --tenant 121002 --now "$later" --dry-run) || fail "dry run: $out"
grep -q "would purge $n records, seq 1 to $n" <<<"$out" || fail "dry run: $out"
[ "$(e2e_sql chiba "SELECT COUNT(*) FROM provision_records")" = "$n" ] || fail "the dry run deleted records"
out=$(CHUKAN_TEST_CLOCK=1 ctl chiba records purge --tenant 121002 --now "$later") || fail "purge: $out"
grep -q "purged $n records, seq 1 to $n" <<<"$out" || fail "purge: $out"
[ "$(e2e_sql chiba "SELECT COUNT(*) FROM provision_records WHERE kind = 'purge' AND seq = $((n + 1)) AND reason LIKE 'retention 2557 days: purged $n records%'")" = 1 ] \
  || fail "no purge record: $(e2e_sql chiba "SELECT seq, kind, reason FROM provision_records")"
[ "$(e2e_sql chiba "SELECT COUNT(*) FROM audit_log WHERE operation = 'records.purge' AND outcome = 'purged'")" = 1 ] \
  || fail "the purge is not in the audit log"
out=$(ctl chiba records verify) || fail "verify after the purge: $out"
echo "$out" | grep -qP "^121002\tintact\t1 records verified after checkpoint seq $n, head seq $((n + 1)) " || fail "verify after the purge: $out"
inquire INQ-R005 # the chain goes on after a purge
out=$(ctl chiba records verify 121002) || fail "verify after a new record: $out"
echo "$out" | grep -qP "^121002\tintact\t2 records verified after checkpoint seq $n, head seq $((n + 2)) " || fail "verify after a new record: $out"
pass "purge: nothing within 7 years; $n records 8 years on, recorded as seq $((n + 1)) and in the audit log; the chain verifies and goes on"

# --- audit verify and purge (the audit log holds the purge's entry, written at the test clock's time)
out=$(ctl chiba audit verify) || fail "audit verify: $out"
a=$(e2e_sql chiba "SELECT COUNT(*) FROM audit_log")
echo "$out" | grep -qP "^121002\tintact\t$a entries verified after checkpoint seq 0, head seq $a " || fail "audit verify: $out"
much_later=$(date -u -d '+16 years' +%Y-%m-%dT%H:%M:%SZ)
out=$(CHUKAN_TEST_CLOCK=1 ctl chiba audit purge --tenant 121002 --now "$much_later") || fail "audit purge: $out"
grep -q "purged $a entries, seq 1 to $a" <<<"$out" || fail "audit purge: $out"
out=$(ctl chiba audit verify 121002) || fail "audit verify after the purge: $out"
echo "$out" | grep -qP "^121002\tintact\t1 entries verified after checkpoint seq $a, head seq $((a + 1)) " || fail "audit verify after purge: $out"
[ "$(e2e_sql chiba "SELECT operation FROM audit_log WHERE seq = $((a + 1))")" = retention.purge ] || fail "no audit purge entry"
sqlite3 "$T/chiba/chukan.db" "UPDATE audit_log SET detail = 'changed' WHERE seq = $((a + 1))"
set +e; out=$(ctl chiba audit verify); rc=$?; set -e
[ "$rc" = 1 ] && echo "$out" | grep -q "audit_log of tenant 121002: seq $((a + 1)): hash mismatch" || fail "an altered audit entry: $rc $out"
pass "audit verify intact; audit purge recorded; an altered entry named by seq"
echo "records_cli: all passed"
