#!/usr/bin/env bash
# backup_restore: chukanctl backup of a running gateway's store with records, the store destroyed,
# chukanctl restore into an empty one — counts, chain heads, records verify and audit verify match,
# and the gateway runs on. SQLite by default; CHUKAN_E2E_STORE=mariadb (backup_restore_mariadb).
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/e2e_lib.bash"
e2e_start_network
e2e_start_gateway chiba 121002 $CHIBA
e2e_start_gateway hofu 352063 $HOFU
ctl() { local name=$1; shift; "$CTL" --config "$T/$name.properties" "$@"; }
store=${CHUKAN_E2E_STORE:-sqlite}

r=$(as 352063 -d '{"records":[{"atenaNo":"000000000000777","juminhyoCode":"12345678901"}]}' "$hofu_URL/api/v1/fugo")
grep -q '"accepted":1' <<<"$r" || fail "防府市 符号: $r"
r=$(as 121002 -d '{"records":[{"atenaNo":"000000000000101","juminhyoCode":"12345678901"}]}' "$chiba_URL/api/v1/fugo")
grep -q '"accepted":1' <<<"$r" || fail "千葉市 符号: $r"
r=$(as 352063 --data-binary "$(e2e_replica_xml R777 000000000000777 true '<接種記録><回数>2</回数></接種記録>')" "$hofu_URL/api/v1/replica")
grep -q '"accepted":1' <<<"$r" || fail "replica: $r"
inquire() {
  local out serial
  out=$(as 121002 --data-binary "$(e2e_inquiry_xml "$1" 000000000000101 TM00000000000002)" "$chiba_URL/api/v1/inquiries")
  serial=$(echo "$out" | serial_of)
  [ -n "$serial" ] || fail "no 処理通番 for $1: $out"
  e2e_wait_result chiba 121002 "$serial" >/dev/null || fail "inquiry $1 did not complete"
}
for i in 1 2 3; do inquire "INQ-B00$i"; done
ctl chiba records purge --tenant 121002 >/dev/null # nothing to purge, but an audit entry
counts() { e2e_sql chiba "SELECT (SELECT COUNT(*) FROM provision_records), (SELECT COUNT(*) FROM audit_log), (SELECT COUNT(*) FROM fugo_map), (SELECT COUNT(*) FROM inquiries), (SELECT MAX(version) FROM schema_migrations)"; }
before=$(counts)
[ "$(echo "$before" | cut -f1)" -ge 3 ] && [ "$(echo "$before" | cut -f2)" -ge 1 ] || fail "too little to back up: $before"
records_before=$(ctl chiba records verify) || fail "verify before: $records_before"
audit_before=$(ctl chiba audit verify) || fail "audit verify before: $audit_before"
pass "千葉市 store ($store) with records, audit entries, 符号 and inquiries: $before"

# --- backup while the gateway runs
out=$(ctl chiba backup --out "$T/chiba.backup") || fail "backup: $out"
echo "$out" | grep -qP "^backup\t$store\t$T/chiba.backup\t[0-9]+ bytes" || fail "backup: $out"
[ -s "$T/chiba.backup" ] && [ ! -e "$T/chiba.backup.part" ] || fail "no backup file"
if [ "$store" = sqlite ]; then
  echo "$out" | grep -q ", $(echo "$before" | cut -f1) records, $(echo "$before" | cut -f2) audit entries" || fail "backup counts: $out"
  [ "$(sqlite3 "$T/chiba.backup" "PRAGMA journal_mode")" = delete ] || fail "the backup file is not self-contained"
else
  head -c 2000 "$T/chiba.backup" | grep -q "MariaDB dump" || fail "not a mariadb-dump file"
  if grep -qi "CREATE DATABASE\|^USE " "$T/chiba.backup"; then fail "the dump names a database"; fi
fi
if grep -qa "12345678901" "$T/chiba.backup"; then fail "a 住民票コード is in the backup"; fi
set +e; ctl chiba backup --out "$T/chiba.backup" >/dev/null 2>"$T/err"; rc=$?; set -e
[ "$rc" = 1 ] && grep -q "never overwrites" "$T/err" || fail "a second backup over the file: exit $rc $(cat "$T/err")"
set +e; ctl chiba backup >/dev/null 2>"$T/err"; rc=$?; set -e
[ "$rc" = 2 ] || fail "backup without --out: exit $rc"
pass "backup written while the gateway runs; never over an existing file"

# --- restore refuses a store that is not empty, and a file that is not a backup
set +e; ctl chiba restore --from "$T/chiba.backup" >/dev/null 2>"$T/err"; rc=$?; set -e
[ "$rc" = 1 ] && grep -q "is not empty" "$T/err" || fail "restore over a live store: exit $rc $(cat "$T/err")"
echo "not a backup" >"$T/junk.backup"
set +e; ctl chiba restore --from "$T/junk.backup" >/dev/null 2>"$T/err"; rc=$?; set -e
[ "$rc" = 1 ] && grep -q "is not a chukan backup" "$T/err" || fail "restore of junk: exit $rc $(cat "$T/err")"
[ "$(counts)" = "$before" ] || fail "a refused restore changed the store"
pass "restore refuses a non-empty store and a file that is not a backup, changing nothing"

# --- destroy the store, restore into an empty one
kill "$chiba_PID"; wait "$chiba_PID" 2>/dev/null || true
if [ "$store" = sqlite ]; then
  rm -f "$T/chiba/chukan.db" "$T/chiba/chukan.db-wal" "$T/chiba/chukan.db-shm"
else
  mariadb --no-defaults --socket="$CHUKAN_TEST_MARIADB_SOCKET" -uroot -e "DROP DATABASE chukan_e2e_chiba; CREATE DATABASE chukan_e2e_chiba CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
fi
out=$(ctl chiba restore --from "$T/chiba.backup") || fail "restore: $out"
echo "$out" | grep -qP "^restore\t$store\t$T/chiba.backup\tschema version $(echo "$before" | cut -f5), $(echo "$before" | cut -f1) records, $(echo "$before" | cut -f2) audit entries$" \
  || fail "restore: $out"
[ "$(counts)" = "$before" ] || fail "counts after restore $(counts), before $before"
records_after=$(ctl chiba records verify) || fail "records verify after restore: $records_after"
[ "$records_after" = "$records_before" ] || fail "records verify differs: $records_after / $records_before"
audit_after=$(ctl chiba audit verify) || fail "audit verify after restore: $audit_after"
[ "$audit_after" = "$audit_before" ] || fail "audit verify differs: $audit_after / $audit_before"
pass "restored: counts, chain heads and hashes as before ($(echo "$records_after" | cut -f3 | cut -c1-60)…)"

# --- the gateway runs on the restored store and the chain goes on
e2e_restart_gateway chiba
inquire INQ-B004
out=$(ctl chiba records verify) || fail "verify after a new record: $out"
[ "$(e2e_sql chiba "SELECT COUNT(*) FROM provision_records")" -gt "$(echo "$before" | cut -f1)" ] || fail "no new record"
pass "the gateway runs on the restored store; new records chain on"
echo "backup_restore ($store): all passed"
