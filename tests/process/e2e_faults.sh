#!/usr/bin/env bash
# e2e_faults: ipn-sim and two gateways through the fault cases — no data, held then refused, hold deadline, expired, replayed and corrupt permits, network down and lost forwards.
#
# For each case: what the business system of 千葉市 reads (status, typed Error/Code, 詳細/項目ステータス),
# what each side recorded (provision_records: outcome + reason) and what the network logged.
# Faults are switched through POST /sim/v1/faults; nothing waits on a fixed sleep: every wait polls.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/e2e_lib.bash"

e2e_start_network
# 千葉市 sends an unanswered inquiry again after 1 s (the default is 300 s).
printf 'chukan.inquiry.resendSeconds = 1\n' >"$T/chiba.extra"
e2e_start_gateway chiba 121002 $CHIBA "$T/chiba.extra"
e2e_start_gateway hofu 352063 $HOFU
pass "ipn-sim and two gateways up (store: ${CHUKAN_E2E_STORE:-sqlite})"

# --- helpers -------------------------------------------------------------------------------
fault() { # JSON: switch faults in the network
  curl -sS --fail --cacert "$P/ca.pem" --cert "$P/network/client.pem" --key "$P/network/client.key" \
    -H 'Content-Type: application/json' -d "$1" "$SIMURL/sim/v1/faults" >/dev/null || fail "fault $1 refused"
}
netlog() { # MESSAGE_ID KIND OUTCOME → how many routing-log lines say so
  { grep -F "\"messageId\":\"$1\"" "$T/routing.log" || true; } | { grep -F "\"kind\":\"$2\"" || true; } |
    { grep -cF "\"outcome\":\"$3\"" || true; }
}
ask() { # ID ATENA → 処理通番 of an accepted online inquiry for TM00000000000002 at 防府市
  local out serial
  out=$(as 121002 --data-binary "$(e2e_inquiry_xml "$1" "$2" TM00000000000002)" "$chiba_URL/api/v1/inquiries")
  serial=$(echo "$out" | serial_of)
  [ -n "$serial" ] || fail "inquiry $1 not accepted: $out"
  echo "$serial"
}
result() { as 121002 "$chiba_URL/api/v1/inquiries/result?serial=$1"; }
wait_result() { e2e_wait_result chiba 121002 "$1"; }
field() { sed -n "s#.*<$1>\([^<]*\)</$1>.*#\1#p" | head -1; }
expect_result() { # XML STATUS CODE DETAIL ITEM: what the business system reads
  local got
  got="$(echo "$1" | field Status)/$(echo "$1" | field Code)/$(echo "$1" | field DetailStatus)/$(echo "$1" | field ItemStatus)"
  [ "$got" = "$2/$3/$4/$5" ] || fail "result is $got, expected $2/$3/$4/$5: $1"
}
records() { # SIDE KIND REF → "outcome reason" lines of that exchange, oldest first
  e2e_sql "$1" "SELECT outcome, reason FROM provision_records WHERE kind = '$2' AND ref_id = '$3' ORDER BY seq" | tr '\t' ' '
}
expect_records() { # SIDE KIND REF EXPECTED(lines joined by |)
  local got
  got=$(records "$1" "$2" "$3" | sed 's/ *$//' | paste -sd'|' -)
  [ "$got" = "$4" ] || fail "$1 recorded '$got' for $3, expected '$4'"
}
until_true() { # TRIES 'CONDITION': evaluates CONDITION every 0.2 s until it holds
  for _ in $(seq 1 "$1"); do
    if eval "$2"; then return 0; fi
    sleep 0.2
  done
  return 1
}
hold_of() { # MESSAGE_ID → the pending hold's id at 防府市 (empty until it exists)
  as 352063 "$hofu_URL/api/v1/holds" | grep -o "\"holdId\":\"H-$1\"" | sed 's/.*:"\(.*\)"/\1/'
}
has_hold() { [ -n "$(hold_of "$1")" ]; }
decide() { # HOLD JSON-MEMBERS → HTTP code (body in $T/reply)
  as 352063 -o "$T/reply" -w '%{http_code}' -d "{\"holdId\":\"$1\",$2}" "$hofu_URL/api/v1/holds/decision"
}

# --- test data: four synthetic residents -----------------------------------------------------
# 101/777 answered automatically, 102/778 flagged 自動応答不可, 103/779 has a 符号 at 防府市 but no
# 副本, 104 is known to 千葉市 only (防府市 never obtained the person's 符号).
r=$(as 352063 -d '{"records":[{"atenaNo":"000000000000777","juminhyoCode":"12345678901"},{"atenaNo":"000000000000778","juminhyoCode":"12345678902"},{"atenaNo":"000000000000779","juminhyoCode":"12345678903"}]}' "$hofu_URL/api/v1/fugo")
grep -q '"accepted":3' <<<"$r" || fail "防府市 符号 registration: $r"
r=$(as 121002 -d '{"records":[{"atenaNo":"000000000000101","juminhyoCode":"12345678901"},{"atenaNo":"000000000000102","juminhyoCode":"12345678902"},{"atenaNo":"000000000000103","juminhyoCode":"12345678903"},{"atenaNo":"000000000000104","juminhyoCode":"12345678904"}]}' "$chiba_URL/api/v1/fugo")
grep -q '"accepted":4' <<<"$r" || fail "千葉市 符号 registration: $r"
r=$(as 352063 --data-binary "$(e2e_replica_xml R777 000000000000777 true '<接種記録><回数>3</回数><秘密の値>SECRET-PAYLOAD-7</秘密の値></接種記録>')" "$hofu_URL/api/v1/replica")
grep -q '"accepted":1' <<<"$r" || fail "replica 777: $r"
r=$(as 352063 --data-binary "$(e2e_replica_xml R778 000000000000778 false '<接種記録><回数>1</回数><秘密の値>SECRET-PAYLOAD-8</秘密の値></接種記録>')" "$hofu_URL/api/v1/replica")
grep -q '"accepted":1' <<<"$r" || fail "replica 778: $r"
pass "符号 and 副本 in place"

# --- 1. no data ------------------------------------------------------------------------------
s=$(ask F-NODATA 000000000000103)
res=$(wait_result "$s") || fail "no-data inquiry did not finish: $res"
expect_result "$res" completed NO_DATA 09 02
grep -q "<ResultData>" <<<"$res" && fail "a no-data result carries data: $res"
csv=$(as 121002 "$chiba_URL/api/v1/inquiries/result?serial=$s&format=csv")
grep -q "^$s,000000000000103,JM01000000121000,TM00000000000002,$HOFU,09,02," <<<"$csv" || fail "CSV no-data row: $csv"
expect_records chiba inquiry "$s" "no_data NO_DATA"
expect_records hofu provision "IQ-$s" "no_data NO_DATA"
[ "$(netlog "IQ-$s" deliver:Inquiry delivered)" = 1 ] && [ "$(netlog "R-IQ-$s" deliver:ProvisionResponse delivered)" = 1 ] ||
  fail "network log of the no-data exchange"
s=$(ask F-NOSUBJ 000000000000104)
res=$(wait_result "$s") || fail "unknown-subject inquiry did not finish: $res"
expect_result "$res" completed UNKNOWN_SUBJECT 09 03
expect_records chiba inquiry "$s" "no_data UNKNOWN_SUBJECT"
expect_records hofu provision "IQ-$s" "no_data UNKNOWN_SUBJECT"
pass "no data: 09/02 NO_DATA (no 副本) and 09/03 UNKNOWN_SUBJECT (no 符号 at the provider), recorded on both sides"

# --- 2a. held, then refused by a reviewer with a reason code ---------------------------------
s=$(ask F-REJECT 000000000000102)
until_true 50 'has_hold "IQ-$s"' || fail "no hold for IQ-$s"
expect_result "$(result "$s")" processing "" "" ""
code=$(decide "H-IQ-$s" '"approve":false,"reviewer":"reviewer-a","reason":"DV_SUPPORT"')
[ "$code" = 400 ] && grep -q REJECTED_OUT_OF_SCOPE "$T/reply" || fail "a free-text reason was taken ($code): $(cat "$T/reply")"
has_hold "IQ-$s" || fail "the hold was decided by a refused request"
code=$(decide "H-IQ-$s" '"approve":false,"reviewer":"reviewer-a","reason":"REJECTED_OUT_OF_SCOPE"')
[ "$code" = 200 ] && grep -q '"state":"rejected"' "$T/reply" || fail "rejection ($code): $(cat "$T/reply")"
res=$(wait_result "$s") || fail "rejected inquiry did not finish: $res"
expect_result "$res" completed REJECTED_OUT_OF_SCOPE 10 12
expect_records hofu provision "IQ-$s" "held 自動応答不可|refused REJECTED_OUT_OF_SCOPE"
expect_records chiba inquiry "$s" "refused REJECTED_OUT_OF_SCOPE"
grep -q "自動応答不可\|SECRET-PAYLOAD-8" <<<"$res" && fail "the refusal tells the requester why or what: $res"
[ "$(netlog "R-IQ-$s" deliver:ProvisionResponse delivered)" = 1 ] || fail "network log of the refusal"
pass "held then refused: the reviewer's code only (free text 400), 10/12 REJECTED_OUT_OF_SCOPE at 千葉市, held+refused at 防府市"

# --- 3. expired permit -----------------------------------------------------------------------
fault '{"expirePermitNext":1}'
s=$(ask F-EXPIRED 000000000000101)
res=$(wait_result "$s") || fail "inquiry under an expired permit did not finish: $res"
expect_result "$res" completed PERMIT_EXPIRED 10 21
expect_records hofu provision "IQ-$s" "refused PERMIT_EXPIRED"
expect_records chiba inquiry "$s" "refused PERMIT_EXPIRED"
[ "$(netlog "IQ-$s" Inquiry ok)" = 1 ] && [ "$(netlog "IQ-$s" deliver:Inquiry refused)" = 1 ] ||
  fail "the network log does not show the provider refusing the forward"
[ "$(e2e_sql hofu "SELECT COUNT(*) FROM provision_requests WHERE message_id = 'IQ-$s'")" = 0 ] || fail "the expired request was stored"
pass "expired permit: the provider refused it (PERMIT_EXPIRED, recorded), 千葉市 reads 10/21 instead of waiting"

# --- 4. replayed permit, and a network duplicate with the same message ID ---------------------
fault '{"replayNext":1}'
s=$(ask F-REPLAY 000000000000101)
res=$(wait_result "$s") || fail "replay inquiry did not finish: $res"
expect_result "$res" completed "" 09 01
grep -q SECRET-PAYLOAD-7 <<<"$res" || fail "the first use did not provide: $res"
until_true 50 '[ "$(netlog "IQ-$s.rp" deliver:Inquiry refused)" = 1 ]' || fail "the replay was not refused"
expect_records hofu provision "IQ-$s" "provided"
expect_records hofu provision "IQ-$s.rp" "refused PERMIT_REPLAYED"
expect_records chiba inquiry "$s" "provided"
permit=$(e2e_sql hofu "SELECT permit_id FROM provision_requests WHERE message_id = 'IQ-$s'")
[ "$(grep -F "\"permitId\":\"$permit\"" "$T/routing.log" | grep -cF '"kind":"deliver:ProvisionResponse"')" = 1 ] ||
  fail "more than one response left under permit $permit"
[ "$(e2e_sql hofu "SELECT COUNT(*) FROM outbox WHERE message_id LIKE 'R-IQ-$s%'")" = 1 ] || fail "an answer was queued for the replay"
pass "replayed permit: the second use (new message ID) refused PERMIT_REPLAYED and recorded; one answer left"

fault '{"duplicateNext":1}'
s=$(ask F-DUP 000000000000101)
res=$(wait_result "$s") || fail "duplicated inquiry did not finish: $res"
expect_result "$res" completed "" 09 01
until_true 50 '[ "$(netlog "IQ-$s" deliver:Inquiry delivered-duplicate)" = 1 ]' || fail "the duplicate was not answered as one"
expect_records hofu provision "IQ-$s" "provided"
[ "$(e2e_sql hofu "SELECT COUNT(*) FROM outbox WHERE message_id LIKE 'R-IQ-$s%'")" = 1 ] || fail "the duplicate was answered twice"
pass "network duplicate (same message ID): answered Duplicate=true, one provision record, one answer"

# --- 6. corrupt signature --------------------------------------------------------------------
fault '{"corruptSignatureNext":1}'
s=$(ask F-CORRUPT 000000000000101)
res=$(wait_result "$s") || fail "inquiry under a corrupt permit did not finish: $res"
expect_result "$res" aborted BAD_PERMIT 20 23
[ "$(records chiba inquiry "$s" | cut -d' ' -f1-2)" = "error BAD_PERMIT:" ] || fail "千葉市 record: $(records chiba inquiry "$s")"
[ "$(netlog "IQ-$s" Inquiry BAD_PERMIT)" = 1 ] && [ "$(netlog "IQ-$s" deliver:Inquiry delivered)" = 0 ] ||
  fail "the network routed a permit with a bad signature"
[ "$(e2e_sql hofu "SELECT COUNT(*) FROM provision_records WHERE ref_id = 'IQ-$s'")" = 0 ] || fail "防府市 saw the corrupt permit"
pass "corrupt signature: refused by the network as BAD_PERMIT, 千葉市 reads aborted 20/23 and recorded it"

# --- 5a. network down: accepted meanwhile, completed when it is back, without a resend -------
fault '{"downForMs":60000}'
s=$(ask F-DOWN 000000000000101)
until_true 50 '[ "$(netlog - /ipn/v1/permits UNAVAILABLE)" -ge 1 ]' ||
  fail "千葉市 did not try the network"
code=$(as 121002 -o "$T/reply" -w '%{http_code}' "$chiba_URL/api/v1/inquiries/result?serial=$s")
[ "$code" = 202 ] || fail "result while down: $code"
expect_result "$(cat "$T/reply")" accepted "" "" ""
fault '{"downForMs":0}'
res=$(wait_result "$s") || fail "queued inquiry did not complete after the network came back: $res"
expect_result "$res" completed "" 09 01
[ "$(netlog "PR-$s" PermitRequest ok)" = 1 ] && [ "$(netlog "IQ-$s" Inquiry ok)" = 1 ] || fail "network log of the delayed inquiry"
expect_records hofu provision "IQ-$s" "provided"
pass "network down: the inquiry stayed accepted (202), then completed once the network was back"

# --- 5b. the route back is down when the provider answers: its outbox retries ----------------
s=$(ask F-OUTBOX 000000000000102)
until_true 50 'has_hold "IQ-$s"' || fail "no hold for IQ-$s"
fault '{"downForMs":60000}'
[ "$(decide "H-IQ-$s" '"approve":true,"reviewer":"reviewer-a"')" = 200 ] || fail "first approval: $(cat "$T/reply")"
[ "$(decide "H-IQ-$s" '"approve":true,"reviewer":"reviewer-b"')" = 200 ] || fail "second approval: $(cat "$T/reply")"
outbox_waits() { e2e_sql hofu "SELECT state, last_error FROM outbox WHERE message_id = 'R-IQ-$s'" | grep -q "^pending.*UNAVAILABLE"; }
until_true 50 outbox_waits || fail "防府市's answer did not wait in its outbox: $(e2e_sql hofu "SELECT * FROM outbox WHERE message_id = 'R-IQ-$s'")"
expect_result "$(result "$s")" processing "" "" ""
fault '{"downForMs":0}'
res=$(wait_result "$s") || fail "the answer in the outbox did not arrive after the network came back: $res"
grep -q "SECRET-PAYLOAD-8" <<<"$res" || fail "approved result lacks the data: $res"
expect_records hofu provision "IQ-$s" "held 自動応答不可|provided"
[ "$(e2e_sql hofu "SELECT state FROM outbox WHERE message_id = 'R-IQ-$s'")" = sent ] || fail "outbox row not sent"
pass "route back down: 防府市's approved answer waited in its outbox (UNAVAILABLE), then arrived"

# --- 5c. a dropped forward of the inquiry: 千葉市 sends it again with the same message ID -------
fault '{"dropNext":1}'
s=$(ask F-DROP 000000000000101)
res=$(wait_result "$s") || fail "inquiry whose forward was dropped did not complete: $res"
expect_result "$res" completed "" 09 01
[ "$(netlog "IQ-$s" deliver:Inquiry dropped)" = 1 ] && [ "$(netlog "IQ-$s" deliver:Inquiry resent)" = 1 ] &&
  [ "$(netlog "IQ-$s" Inquiry ok)" = 1 ] && [ "$(netlog "IQ-$s" Inquiry duplicate)" -ge 1 ] ||
  fail "the network log does not show drop, resend and re-forward of IQ-$s"
expect_records hofu provision "IQ-$s" "provided"
expect_records chiba inquiry "$s" "provided"
pass "dropped inquiry forward: resent by 千葉市's worker under IQ-$s, forwarded again, answered once"

# --- 5d. a dropped forward of the answer: recovered by the same resend --------------------------
s=$(ask F-DROPR 000000000000102)
until_true 50 'has_hold "IQ-$s"' || fail "no hold for IQ-$s"
fault '{"dropNext":1}'
[ "$(decide "H-IQ-$s" '"approve":false,"reviewer":"reviewer-a"')" = 200 ] || fail "rejection: $(cat "$T/reply")"
res=$(wait_result "$s") || fail "inquiry whose answer was dropped did not complete: $res"
expect_result "$res" completed REJECTED_BY_REVIEWER 10 11
[ "$(netlog "R-IQ-$s" deliver:ProvisionResponse dropped)" = 1 ] && [ "$(netlog "R-IQ-$s" deliver:ProvisionResponse resent)" = 1 ] ||
  fail "the network log does not show the answer dropped and forwarded again"
expect_records hofu provision "IQ-$s" "held 自動応答不可|refused REJECTED_BY_REVIEWER"
expect_records chiba inquiry "$s" "refused REJECTED_BY_REVIEWER"
pass "dropped answer forward: forwarded again on 千葉市's resend; default reviewer code 10/11 REJECTED_BY_REVIEWER"

# --- 2b. hold deadline: 防府市 restarted with a 1-second deadline -------------------------------
kill "$hofu_PID"
wait "$hofu_PID" 2>/dev/null || true
printf 'chukan.holds.deadlineSeconds = 1\n' >>"$T/hofu.properties"
e2e_restart_gateway hofu
s=$(ask F-DEADLINE 000000000000102)
res=$(wait_result "$s") || fail "held inquiry was not refused at its deadline: $res"
expect_result "$res" completed HOLD_DEADLINE 10 14
expect_records hofu provision "IQ-$s" "held 自動応答不可|refused HOLD_DEADLINE"
expect_records chiba inquiry "$s" "refused HOLD_DEADLINE"
[ "$(e2e_sql hofu "SELECT state, decided_by FROM holds WHERE hold_id = 'H-IQ-$s'" | tr '\t' /)" = expired/system ] ||
  fail "hold not expired by the system"
pass "hold deadline (chukan.holds.deadlineSeconds = 1): refused automatically, 10/14 HOLD_DEADLINE, recorded"

# --- privacy, whatever the faults --------------------------------------------------------------
if grep -q "SECRET-PAYLOAD\|接種記録" "$T/routing.log"; then fail "the network log holds payload content"; fi
for side in chiba hofu; do
  kept=("$T/$side.out" "$T/$side.err")
  if [ "${CHUKAN_E2E_STORE:-sqlite}" = mariadb ]; then
    mariadb-dump --no-defaults --socket="$CHUKAN_TEST_MARIADB_SOCKET" -uroot "chukan_e2e_$side" >"$T/$side.dump" ||
      fail "cannot dump the database of $side"
    kept+=("$T/$side.dump")
  else
    kept+=("$T/$side")
  fi
  if grep -rqa "12345678901\|12345678902\|12345678903\|12345678904" "${kept[@]}"; then
    fail "a 住民票コード was kept by $side"
  fi
  if grep -rqa "SECRET-PAYLOAD" "$T/$side.out" "$T/$side.err"; then fail "payload in the log of $side"; fi
done
pass "no payload in the network log; no 住民票コード kept"
echo "e2e_faults: all passed"
