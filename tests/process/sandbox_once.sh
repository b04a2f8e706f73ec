#!/usr/bin/env bash
# sandbox_once: scripts/sandbox --once on the built tree (no setup, no build) with a small population — exit 0, results, records, nothing left running.
source "$(dirname "$0")/lib.bash"
build=$(cd "$CHUKAN_BIN/.." && pwd)
[ -x "$build/tests/netsim/ipn-sim" ] && [ -x "$build/tests/synth/chukan-synth" ] \
  || fail "ipn-sim and chukan-synth must be built in $build"

"$CHUKAN_SRC/scripts/sandbox" --help | grep -q -- "--once" || fail "--help"
code=0; "$CHUKAN_SRC/scripts/sandbox" --count zero 2>/dev/null || code=$?
[ "$code" = 2 ] || fail "a bad --count exits $code, not 2"

code=0
"$CHUKAN_SRC/scripts/sandbox" --once --no-setup --dir "$T/sandbox" --count 24 --seed 7 --timeout 240 \
  >"$T/sandbox.out" 2>&1 || code=$?
[ "$code" = 0 ] || fail "scripts/sandbox --once exited $code: $(tail -30 "$T/sandbox.out")"
grep -q "sandbox: the demo passed" "$T/sandbox.out" || fail "no success line: $(tail -20 "$T/sandbox.out")"
pass "scripts/sandbox --once exits 0"

result=$(ls "$T/sandbox/results/"*-result.csv 2>/dev/null | head -1)
[ -n "$result" ] || fail "no result CSV in $T/sandbox/results"
records=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bulk"]["records"])' "$T/sandbox/data/manifest.json")
rows=$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))))' "$result")
[ "$rows" = "$records" ] || fail "$rows result rows for $records bulk records"
normal=$(python3 -c '
import csv, sys
print(sum(1 for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline=""))
          if r["詳細ステータス"] == "09" and r["項目ステータス"] == "01"))' "$result")
[ "$normal" -gt 0 ] || fail "no item was answered normally"
pass "results: $rows rows for $records bulk records, $normal answered ($(basename "$result"))"

n=$(sqlite3 "$T/sandbox/hofu/chukan.db" "SELECT COUNT(*) FROM provision_records")
[ "$n" -gt 0 ] || fail "防府市 wrote no 情報提供等記録"
pass "防府市 wrote $n 情報提供等記録"

# --once stops exactly what it started.
stopped=$(sed -n 's/^sandbox: stopping [a-z]* (pid \([0-9]*\))$/\1/p' "$T/sandbox.out")
[ "$(echo "$stopped" | wc -w)" = 3 ] || fail "expected ipn-sim and two gateways to be stopped: $stopped"
for pid in $stopped; do
  [ ! -d "/proc/$pid" ] || fail "pid $pid still runs after --once"
done
[ ! -e "$T/sandbox/run/pids" ] || fail "run/pids left behind"
pass "--once stopped ipn-sim and both gateways"
echo "sandbox_once: all passed"
