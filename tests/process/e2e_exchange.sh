#!/usr/bin/env bash
# e2e_exchange: ipn-sim and two gateways (千葉市 asks, 防府市 answers) — 符号, 副本, online inquiry, refusals, hold with four eyes.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/e2e_lib.bash"
e2e_start_network
e2e_start_gateway chiba 121002 $CHIBA
e2e_start_gateway hofu 352063 $HOFU
pass "ipn-sim and two gateways up (store: ${CHUKAN_E2E_STORE:-sqlite}, $(e2e_sql chiba "SELECT COUNT(*) FROM tenants") tenant)"

# --- 符号: the same two (synthetic) residents known to both cities under their own atena numbers
r=$(as 352063 -d '{"records":[{"atenaNo":"000000000000777","juminhyoCode":"12345678901"},{"atenaNo":"000000000000778","juminhyoCode":"12345678902"}]}' "$hofu_URL/api/v1/fugo")
grep -q '"accepted":2' <<<"$r" || fail "防府市 符号 registration: $r"
# 千葉市 sends a fugo_request fixed-length file (64-byte records, CRLF); a bad file first changes nothing.
fugo_rec() { printf '%-64s\r\n' "1$1$2${3:-20261130}"; }
{ fugo_rec 000000000000101 12345678901; fugo_rec 00000000000010X 12345678902; } >"$T/fugo-bad.dat"
code=$(as 121002 -o "$T/fugo-bad.json" -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
  --data-binary @"$T/fugo-bad.dat" "$chiba_URL/api/v1/fugo/file")
[ "$code" = 400 ] && grep -q 'record 2, field tougou_atena_no' "$T/fugo-bad.json" \
  || fail "a bad fugo_request file ($code): $(cat "$T/fugo-bad.json")"
! grep -q 12345678901 "$T/fugo-bad.json" || fail "the refusal echoes a 住民票コード"
[ "$(e2e_sql chiba "SELECT COUNT(*) FROM fugo_map")" = 0 ] || fail "a refused fugo_request file stored rows"
{ fugo_rec 000000000000101 12345678901; fugo_rec 000000000000102 12345678902 "        "; } >"$T/fugo.dat"
r=$(as 121002 -H 'Content-Type: application/octet-stream' --data-binary @"$T/fugo.dat" "$chiba_URL/api/v1/fugo/file")
grep -q '"accepted":2' <<<"$r" || fail "千葉市 符号 registration from a file: $r"
pass "符号 obtained through the network by both cities (防府市 JSON, 千葉市 a fugo_request file; a bad file refused whole)"

# --- 副本 at 防府市: person 777 answered automatically, person 778 flagged 自動応答不可
r=$(as 352063 --data-binary "$(e2e_replica_xml R777 000000000000777 true '<接種記録><回数>3</回数><秘密の値>SECRET-PAYLOAD-7</秘密の値></接種記録>')" "$hofu_URL/api/v1/replica")
grep -q '"accepted":1' <<<"$r" || fail "replica 777: $r"
r=$(as 352063 --data-binary "$(e2e_replica_xml R778 000000000000778 false '<接種記録><回数>1</回数></接種記録>')" "$hofu_URL/api/v1/replica")
grep -q '"accepted":1' <<<"$r" || fail "replica 778: $r"
pass "副本 registered at 防府市"

wait_result() { e2e_wait_result chiba 121002 "$1"; }

# --- permitted, answered automatically (bounded synchronous wait)
out=$(as 121002 --data-binary "$(e2e_inquiry_xml INQ-0001 000000000000101 TM00000000000002)" "$chiba_URL/api/v1/inquiries?wait=10")
serial=$(echo "$out" | serial_of)
[ -n "$serial" ] || fail "no 処理通番: $out"
res=$(wait_result "$serial") || fail "inquiry did not complete: $res"
grep -q "SECRET-PAYLOAD-7" <<<"$res" || fail "result lacks the provided data: $res"
grep -q "<DetailStatus>09</DetailStatus>" <<<"$res" || fail "result is not normal: $res"
pass "online inquiry answered automatically ($serial)"

# --- refusals before anything leaves
code=$(as 121002 -o "$T/reply" -w '%{http_code}' --data-binary "$(e2e_inquiry_xml INQ-0002 000000000000101 TM00000000000099)" "$chiba_URL/api/v1/inquiries")
[ "$code" = 403 ] && grep -q "の照会は許可されていません。" "$T/reply" || fail "unpermitted item ($code): $(cat "$T/reply")"
code=$(as 121002 -o "$T/reply" -w '%{http_code}' --data-binary "$(e2e_inquiry_xml INQ-0003 000000000000999 TM00000000000002)" "$chiba_URL/api/v1/inquiries")
[ "$code" = 409 ] && grep -q "は符号が未取得です。" "$T/reply" || fail "no 符号 ($code): $(cat "$T/reply")"
pass "unpermitted and no-符号 inquiries refused with the known texts"

# --- held at 防府市, released by two different reviewers
out=$(as 121002 --data-binary "$(e2e_inquiry_xml INQ-0004 000000000000102 TM00000000000002)" "$chiba_URL/api/v1/inquiries")
held=$(echo "$out" | serial_of)
for _ in $(seq 1 50); do
  holds=$(as 352063 "$hofu_URL/api/v1/holds")
  grep -q holdId <<<"$holds" && break
  sleep 0.2
done
hold=$(echo "$holds" | sed -n 's#.*"holdId":"\([^"]*\)".*#\1#p')
[ -n "$hold" ] || fail "no hold at 防府市: $holds"
as 121002 "$chiba_URL/api/v1/inquiries/result?serial=$held" | grep -q "<Status>processing</Status>" || fail "held inquiry is not in flight"
as 352063 -d "{\"holdId\":\"$hold\",\"approve\":true,\"reviewer\":\"reviewer-a\"}" "$hofu_URL/api/v1/holds/decision" | grep -q '"firstReviewer":"reviewer-a"' || fail "first approval"
code=$(as 352063 -o "$T/reply" -w '%{http_code}' -d "{\"holdId\":\"$hold\",\"approve\":true,\"reviewer\":\"reviewer-a\"}" "$hofu_URL/api/v1/holds/decision")
[ "$code" != 200 ] || fail "the same reviewer approved twice"
as 352063 -d "{\"holdId\":\"$hold\",\"approve\":true,\"reviewer\":\"reviewer-b\"}" "$hofu_URL/api/v1/holds/decision" | grep -q '"state":"approved"' || fail "second approval"
res=$(wait_result "$held") || fail "held inquiry did not complete after approval: $res"
grep -q "<回数>1</回数>" <<<"$res" || fail "approved result lacks the data: $res"
pass "held item provided after two reviewers"

# --- records on both sides, chains intact
for side in chiba hofu; do
  n=$(e2e_sql "$side" "SELECT COUNT(*) FROM provision_records")
  [ "$n" -ge 2 ] || fail "$side has $n provision records"
done
pass "情報提供等記録 written on both sides"

# --- privacy: no payload in the network's log, no 住民票コード or payload in clear in the gateways' stores/logs
if grep -q "SECRET-PAYLOAD-7\|接種記録" "$T/routing.log"; then fail "the network log holds payload content"; fi
for side in chiba hofu; do
  if grep -rqa "12345678901\|12345678902" "$T/$side" "$T/$side.out" "$T/$side.err"; then fail "a 住民票コード was kept by $side"; fi
done
if grep -qa "SECRET-PAYLOAD-7" "$T/hofu.out" "$T/hofu.err" "$T/chiba.out" "$T/chiba.err"; then fail "payload in a gateway log"; fi
pass "no payload in the network log; no 住民票コード kept"

# --- logs: JSON lines (chukan.log.format = json by default), request IDs on pipeline lines
python3 - "$T/chiba.err" "$T/hofu.err" <<'PY' || fail "gateway logs are not JSON lines (above)"
import json, sys
ids = 0
for path in sys.argv[1:]:
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        o = json.loads(line)
        assert {"time", "level", "logger", "node", "text"} <= o.keys(), f"{path}:{n}: {line}"
        ids += "requestId" in o
assert ids > 0, "no log line carries a requestId"
PY
pass "gateway logs are JSON lines with request IDs"
echo "e2e_exchange: all passed"
