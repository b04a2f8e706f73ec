#!/usr/bin/env bash
# records_cli_two_nodes: two chukan-gateway nodes of 千葉市 on one private MariaDB write records at
# once (parallel inquiries and refusals through both) — the chain verifies with no gap; then both
# run retention on a test clock 3000 days ahead, racing for every slot — the purge happens once.
if [ -z "${CHUKAN_TEST_MARIADB_PORT:-}" ]; then
  exec "$CHUKAN_SRC/scripts/with-mariadb" bash "$0" "$@"
fi
export CHUKAN_E2E_STORE=mariadb
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/e2e_lib.bash"
e2e_start_network
e2e_start_gateway chiba 121002 $CHIBA
e2e_start_gateway hofu 352063 $HOFU
ctl() { local name=$1; shift; "$CTL" --config "$T/$name.properties" "$@"; }

# The second node of 千葉市: same store (database chukan_e2e_chiba), its own node id and port.
sed -e "s/^chukan.node.id = .*/chukan.node.id = chiba-2/" -e "s#^chukan.data.dir = .*#chukan.data.dir = $T/chiba2#" \
  -e "s/^chukan.listen.port = .*/chukan.listen.port = 0/" "$T/chiba.properties" >"$T/chiba2.properties"
e2e_launch chiba2
[ "$chiba_URL" != "$chiba2_URL" ] || fail "the two nodes share a port"
pass "two nodes of 千葉市 on one MariaDB: $chiba_URL (chiba-1) and $chiba2_URL (chiba-2)"

r=$(as 352063 -d '{"records":[{"atenaNo":"000000000000777","juminhyoCode":"12345678901"}]}' "$hofu_URL/api/v1/fugo")
grep -q '"accepted":1' <<<"$r" || fail "防府市 符号: $r"
r=$(as 121002 -d '{"records":[{"atenaNo":"000000000000101","juminhyoCode":"12345678901"}]}' "$chiba_URL/api/v1/fugo")
grep -q '"accepted":1' <<<"$r" || fail "千葉市 符号: $r"
r=$(as 352063 --data-binary "$(e2e_replica_xml R777 000000000000777 true '<接種記録><回数>2</回数></接種記録>')" "$hofu_URL/api/v1/replica")
grep -q '"accepted":1' <<<"$r" || fail "replica: $r"

# --- 24 requests at once, alternating nodes: answered inquiries and refusals (recorded on the node
# that refused them) interleave in one chain.
mkdir -p "$T/replies"
requests=()
for i in $(seq 10 33); do
  node=$([ $((i % 2)) = 0 ] && echo chiba || echo chiba2)
  item=$([ $((i % 3)) = 0 ] && echo TM00000000000099 || echo TM00000000000002)
  as 121002 -o "$T/replies/$i.$node" -w '%{http_code}\n' --data-binary "$(e2e_inquiry_xml "INQ-P0$i" 000000000000101 $item)" \
    "$(e2e_url $node)/api/v1/inquiries" >"$T/replies/$i.code" &
  requests+=($!)
done
wait "${requests[@]}" # not a bare wait: the gateways and ipn-sim are children too
refused1=0; refused2=0; serials=()
for i in $(seq 10 33); do
  code=$(cat "$T/replies/$i.code")
  f=$(ls "$T/replies/$i".chiba* | head -1)
  case "$code" in
    403) case "$f" in *chiba2) refused2=$((refused2 + 1)) ;; *) refused1=$((refused1 + 1)) ;; esac ;;
    202|200) serials+=("$(serial_of <"$f")") ;;
    *) fail "request $i answered $code: $(cat "$f")" ;;
  esac
done
[ "$refused1" -ge 1 ] && [ "$refused2" -ge 1 ] || fail "refusals: $refused1 on chiba-1, $refused2 on chiba-2"
for s in "${serials[@]}"; do
  e2e_wait_result chiba 121002 "$s" 150 >/dev/null || fail "inquiry $s did not complete"
done
n=$(e2e_sql chiba "SELECT COUNT(*) FROM provision_records WHERE tenant_code = '121002'")
[ "$n" = 24 ] || fail "24 requests, $n records"
gap=$(e2e_sql chiba "SELECT MIN(seq), MAX(seq), COUNT(DISTINCT seq) FROM provision_records WHERE tenant_code = '121002'")
[ "$gap" = "$(printf '1\t24\t24')" ] || fail "seq range: $gap"
out=$(ctl chiba records verify) || fail "verify: $out"
grep -qP "^121002\tintact\t24 records verified after checkpoint seq 0, head seq 24 " <<<"$out" || fail "verify: $out"
out=$(ctl chiba2 records verify) || fail "verify through node 2: $out"
pass "24 concurrent requests through both nodes (${#serials[@]} answered, $refused1 + $refused2 refused): seq 1..24, no gap, chain intact"

# --- retention on both nodes at once: a clock 3000 days ahead (past the 2557 days), a slot every 2 s
for node in chiba chiba2; do
  pid_var="${node}_PID"; kill "${!pid_var}" 2>/dev/null || true
done
wait "$chiba_PID" "$chiba2_PID" 2>/dev/null || true
for node in chiba chiba2; do
  echo "chukan.retention.intervalSeconds = 2" >>"$T/$node.properties"
  : >"$T/$node.err"
done
export CHUKAN_TEST_CLOCK=1 CHUKAN_TEST_CLOCK_SHIFT_DAYS=3000
e2e_restart_gateway chiba
e2e_restart_gateway chiba2
unset CHUKAN_TEST_CLOCK CHUKAN_TEST_CLOCK_SHIFT_DAYS
for _ in $(seq 1 150); do
  [ "$(e2e_sql chiba "SELECT COUNT(*) FROM provision_records WHERE kind = 'purge'")" -ge 1 ] && break
  sleep 0.2
done
# Let both nodes race for several more slots.
slots_before=$(e2e_sql chiba "SELECT COUNT(*) FROM batch_jobs WHERE kind = 'retention'")
for _ in $(seq 1 100); do
  [ "$(e2e_sql chiba "SELECT COUNT(*) FROM batch_jobs WHERE kind = 'retention'")" -ge $((slots_before + 3)) ] && break
  sleep 0.2
done
purges=$(e2e_sql chiba "SELECT COUNT(*) FROM provision_records WHERE kind = 'purge'")
[ "$purges" = 1 ] || fail "$purges purge records: $(e2e_sql chiba "SELECT seq, reason, ref_id FROM provision_records WHERE kind = 'purge'")"
e2e_sql chiba "SELECT reason FROM provision_records WHERE kind = 'purge'" | grep -q "purged 24 records, seq 1 to 24" || fail "purge record"
lines=$(cat "$T/chiba.out" "$T/chiba.err" "$T/chiba2.out" "$T/chiba2.err" | grep -c "retention tenant 121002 retention-.* records purged 24 " || true)
[ "$lines" = 1 ] || fail "$lines nodes logged purging the 24 records"
grep -h "records purged [1-9]" "$T/chiba.out" "$T/chiba.err" "$T/chiba2.out" "$T/chiba2.err" | grep -v "records purged 24 " && fail "a second purge was logged"
jobs=$(e2e_sql chiba "SELECT COUNT(*), SUM(state = 'done') FROM batch_jobs WHERE kind = 'retention'")
[ "$(echo "$jobs" | cut -f1)" -ge 3 ] && [ "$(echo "$jobs" | cut -f1)" = "$(echo "$jobs" | cut -f2)" ] || fail "retention jobs (all, done): $jobs"
out=$(ctl chiba records verify) || fail "verify after retention: $out"
grep -qP "^121002\tintact\t1 records verified after checkpoint seq 24, head seq 25 " <<<"$out" || fail "verify after retention: $out"
ctl chiba audit verify >/dev/null || fail "audit verify after retention"
pass "retention raced on two nodes for $(echo "$jobs" | cut -f1) slots: 24 records purged once, one purge record, chain intact"
echo "records_cli_two_nodes: all passed"
