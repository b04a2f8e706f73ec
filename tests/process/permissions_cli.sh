#!/usr/bin/env bash
# permissions_cli: chukanctl permissions fetch|show — the network's signed permission list fetched with a tenant's identity, verified, filtered; tampering and bad use refused.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/e2e_lib.bash"
e2e_start_network
e2e_start_gateway chiba 121002 $CHIBA
ctl() { "$CTL" --config "$T/chiba.properties" permissions "$@"; }
sample=$CHUKAN_SRC/conf/permission-list.sample.csv
entries=$(grep -v '^#' "$sample" | tail -n +2 | grep -c .)
chiba_asks_hofu=$(grep -c "^$CHIBA,$HOFU," "$sample")

ctl --help | grep -q "permissions fetch TENANT" || fail "--help"
out=$(ctl fetch 121002 --out "$T/list.json") || fail "fetch: $out"
grep -q "$entries entries, signature verified" <<<"$out" || fail "fetch summary: $out"
grep -q '"signature"\|"payload"' "$T/list.json" || fail "the written list is not the signed document: $(head -c 200 "$T/list.json")"
pass "fetch: the signed list of $entries entries written as fetched"

out=$(ctl show "$T/list.json" --trust "$P/ca.pem")
grep -q "signature verified: $entries of $entries entries" <<<"$out" || fail "show: $out"
out=$(ctl show "$T/list.json" --requester $CHIBA --provider $HOFU)
grep -q "$chiba_asks_hofu of $entries entries" <<<"$out" || fail "filter by requester and provider: $out"
[ "$(echo "$out" | grep -c "^$CHIBA")" = "$chiba_asks_hofu" ] || fail "rows: $out"
json=$(ctl show "$T/list.json" --requester $CHIBA --provider $HOFU --item TM00000000000002 --at 2026-12-01T00:00:00+09:00 --format json)
python3 - "$json" <<'PY' || fail "json: $json"
import json, sys
o = json.loads(sys.argv[1])
assert o["matching"], o
assert all(e["dataItemCode"] == "TM00000000000002" for e in o["matching"]), o
PY
out=$(ctl show "$T/list.json" --at 2050-01-01T00:00:00+09:00)
grep -q "0 of $entries entries" <<<"$out" || fail "entries valid in 2050: $out"
out=$(ctl show) || fail "show without FILE fetches: $out"
grep -q "of $entries entries" <<<"$out" || fail "show without FILE: $out"
pass "show: verified, filtered by institution, item and time, as a table or JSON; without FILE it fetches"

# A changed byte in the signed payload: refused, exit 1. Another trust anchor: refused.
python3 - "$T/list.json" "$T/tampered.json" <<'PY'
import base64, json, sys
env = json.load(open(sys.argv[1], encoding="utf-8"))
payload = base64.b64decode(env["payload"])
assert b"JM01" in payload, "no 事務コード in the signed payload"
env["payload"] = base64.b64encode(payload.replace(b"JM01", b"JM02", 1)).decode()
json.dump(env, open(sys.argv[2], "w", encoding="utf-8"))
PY
code=0; ctl show "$T/tampered.json" >"$T/t.out" 2>"$T/t.err" || code=$?
[ "$code" = 1 ] && grep -q "REFUSED" "$T/t.err" || fail "tampered list ($code): $(cat "$T/t.err")"
code=0; ctl show "$T/list.json" --trust "$P/121002/juki.pem" >/dev/null 2>"$T/a.err" || code=$?
[ "$code" = 1 ] && grep -q "REFUSED" "$T/a.err" || fail "wrong trust anchor ($code): $(cat "$T/a.err")"
pass "a tampered list and a list under another anchor are refused"

code=0; ctl fetch 121002 --out "$T/list.json" 2>"$T/o.err" || code=$?
[ "$code" = 2 ] && grep -q "never overwritten" "$T/o.err" || fail "existing --out ($code): $(cat "$T/o.err")"
code=0; ctl fetch 999999 --out "$T/x.json" 2>"$T/u.err" || code=$?
[ "$code" = 2 ] && grep -q "not configured" "$T/u.err" || fail "unknown tenant ($code): $(cat "$T/u.err")"
code=0; ctl show "$T/list.json" --item short 2>"$T/i.err" || code=$?
[ "$code" = 2 ] && grep -q "16-character" "$T/i.err" || fail "bad --item ($code): $(cat "$T/i.err")"
code=0; ctl frobnicate 2>/dev/null || code=$?
[ "$code" = 2 ] || fail "unknown verb: $code"
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true
code=0; ctl fetch 121002 --out "$T/down.json" 2>"$T/d.err" || code=$?
[ "$code" = 69 ] && [ ! -e "$T/down.json" ] || fail "network down ($code): $(cat "$T/d.err")"
pass "usage errors exit 2 naming the problem; network down exits 69 and writes nothing"
echo "permissions_cli: all passed"
