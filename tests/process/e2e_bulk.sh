#!/usr/bin/env bash
# e2e_bulk: bulk 情報照会 through ipn-sim and two gateways — upload, status, 409 until final, results as CSV/XML/fixed, idempotent re-upload, bad files, kill -9 of either side mid-way, no plaintext left behind.
#
# Test data from chukan-synth (CHUKAN_E2E_BULK_COUNT persons, default 300: ~360 bulk records).
# 千葉市 is killed with SIGKILL while its bulk job is in flight (the network answers each call after
# a 5 ms delay, so the worker cannot finish between two polls) and restarted; 防府市 is killed while it
# imports a 副本 file from its drop folder (CHUKAN_E2E_BULK_REPLICA_COUNT persons, default 2000; when
# the import was done before the kill the file is dropped again four times larger, up to three
# tries) and restarted. A kill that did not land mid-way fails the test. The same file is then sent
# again with the network's delay off, so that ipn-sim forwards in Batches (checked by its metrics).
# Every wait polls; nothing asserts timing.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/e2e_lib.bash"
SYNTH=${CHUKAN_SYNTH:-$CHUKAN_BIN/../tests/synth/chukan-synth}
[ -x "$SYNTH" ] || fail "chukan-synth not built at $SYNTH"
COUNT=${CHUKAN_E2E_BULK_COUNT:-300}
BIG=${CHUKAN_E2E_BULK_REPLICA_COUNT:-2000}

"$SYNTH" --out "$T/data" --count "$COUNT" --holds 5 >/dev/null || fail "chukan-synth"
D=$T/data
records=$(tail -n +2 "$D/121002/bulk_expected.csv" | wc -l)
count_expected() { tail -n +2 "$D/121002/bulk_expected.csv" | cut -d, -f4 | grep -cx "$1" || true; }
refused_expected=$(( $(count_expected no_fugo) + $(count_expected not_permitted) ))
held_expected=$(count_expected held)
[ "$held_expected" -gt 0 ] || fail "the synthetic bulk file has no held item"

e2e_start_network
printf 'chukan.inquiry.resendSeconds = 2\n' >"$T/chiba.extra"
mkdir -p "$T/drop/352063/juki/incoming"
printf 'chukan.replica.dropDir = %s\nchukan.replica.dropPollSeconds = 1\n' "$T/drop" >"$T/hofu.extra"
e2e_start_gateway chiba 121002 $CHIBA "$T/chiba.extra"
e2e_start_gateway hofu 352063 $HOFU "$T/hofu.extra"
pass "ipn-sim and two gateways up (store: ${CHUKAN_E2E_STORE:-sqlite}); $records bulk records, $held_expected held, $refused_expected refused"

# --- helpers -------------------------------------------------------------------------------
num() { echo "$1" | tr -d '\n' | sed -n "s/.*\"$2\":\([0-9][0-9]*\).*/\1/p"; }
str() { echo "$1" | tr -d '\n' | sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p"; }
status() { as 121002 "$chiba_URL/api/v1/inquiries/bulk?job=$1"; }
until_true() { # TRIES 'CONDITION': evaluates CONDITION every 0.2 s until it holds
  for _ in $(seq 1 "$1"); do
    if eval "$2"; then return 0; fi
    sleep 0.2
  done
  return 1
}
review_holds() { # every pending hold at 防府市 approved by two reviewers
  local id
  for id in $(as 352063 "$hofu_URL/api/v1/holds" | grep -o '"holdId":"[^"]*"' | cut -d'"' -f4); do
    as 352063 -d "{\"holdId\":\"$id\",\"approve\":true,\"reviewer\":\"reviewer-a\"}" "$hofu_URL/api/v1/holds/decision" >/dev/null
    as 352063 -d "{\"holdId\":\"$id\",\"approve\":true,\"reviewer\":\"reviewer-b\"}" "$hofu_URL/api/v1/holds/decision" >/dev/null
  done
}
upload() { # FILE KEY → HTTP code, body in $T/reply
  as 121002 -o "$T/reply" -w '%{http_code}' -H 'Content-Type: application/octet-stream' ${2:+-H "Idempotency-Key: $2"} \
    --data-binary @"$1" "$chiba_URL/api/v1/inquiries/bulk"
}
items_of() { e2e_sql chiba "SELECT COUNT(*) FROM inquiries WHERE batch_id = '$1'"; }
finish_job() { # JOB OUT → HTTP code of the CSV result (in OUT), 200 once the job is final; approves holds meanwhile
  local code=
  for _ in $(seq 1 600); do
    review_holds
    code=$(as 121002 -o "$2" -w '%{http_code}' "$chiba_URL/api/v1/inquiries/bulk/result?job=$1&format=csv&encoding=utf-8")
    [ "$code" = 200 ] && break
    sleep 0.25
  done
  echo "$code"
}
stored_state() { # jobs, inquiries and records at 千葉市
  echo "$(e2e_sql chiba "SELECT COUNT(*) FROM batch_jobs WHERE kind = 'bulk-inquiry'")/$(e2e_sql chiba "SELECT COUNT(*) FROM inquiries")/$(e2e_sql chiba "SELECT COUNT(*) FROM provision_records")"
}

# --- 符号 for both cities, 副本 at 防府市 ---------------------------------------------------------
for side in chiba:121002 hofu:352063; do
  name=${side%%:*} tenant=${side#*:} url_var="${side%%:*}_URL"
  for f in "$D/$tenant"/fugo-*.json; do
    r=$(as "$tenant" -H 'Content-Type: application/json' --data-binary @"$f" "${!url_var}/api/v1/fugo")
    [ "$(num "$r" rejected)" = 0 ] || fail "符号 registration $f at $name: $r"
  done
done
r=$(as 352063 --data-binary @"$D/352063/juki_resident.dat" "$hofu_URL/api/v1/replica/file?layout=juki_resident&item=TM00000000000001&dataset=2026")
[ "$(num "$r" rejected)" = 0 ] || fail "住民記録 副本: $r"
if [ -s "$D/352063/juki_resident-held.dat" ]; then
  r=$(as 352063 --data-binary @"$D/352063/juki_resident-held.dat" "$hofu_URL/api/v1/replica/file?layout=juki_resident&item=TM00000000000001&dataset=2026&autoAnswer=false")
  [ "$(num "$r" rejected)" = 0 ] || fail "住民記録 副本 (held): $r"
fi
for f in "$D/352063"/vaccination-*.xml; do
  r=$(as 352063 -H 'Content-Type: application/xml' --data-binary @"$f" "$hofu_URL/api/v1/replica")
  [ "$(num "$r" rejected)" = 0 ] || fail "予防接種 副本 $f: $r"
done
pass "符号 for both cities, 副本 at 防府市"

# --- bad files change nothing ---------------------------------------------------------------
before=$(stored_state)
head -c 666 "$D/121002/bulk_inquiry.dat" >"$T/bad.dat"                          # three CRLF records
printf 'XX00000000000001' | dd of="$T/bad.dat" bs=1 seek=$((222 + 186)) conv=notrunc 2>/dev/null
code=$(upload "$T/bad.dat" e2e-bad-1)
[ "$code" = 400 ] && grep -q '"error"' "$T/reply" || fail "malformed file ($code): $(cat "$T/reply")"
grep -q '"record":2,"field":"tokutei_kojin_jouhou_mei_code","offset":408' "$T/reply" || fail "the refusal does not name record 2's field: $(cat "$T/reply")"
grep -q '"job":null' "$T/reply" || fail "a job for a refused file: $(cat "$T/reply")"
# A 個人番号 (synthetic, made here) in 宛名番号 right after 番号体系 "01": a 14-digit run in the body.
mynumber=$(python3 -c 'd="98765432109";s=sum(int(d[11-n])*(n+1 if n<=6 else n-5) for n in range(1,12))%11;print(d+str(0 if s<=1 else 11-s))')
head -c 444 "$D/121002/bulk_inquiry.dat" >"$T/mynumber.dat"
printf '%s   ' "$mynumber" | dd of="$T/mynumber.dat" bs=1 seek=$((222 + 2)) conv=notrunc 2>/dev/null
code=$(upload "$T/mynumber.dat" e2e-mn-1)
# The body carries no code member (MYNUMBER_REFUSED is the exchange's internal code): the reason says it.
[ "$code" = 400 ] && grep -q '"reason":"holds a 個人番号' "$T/reply" && grep -q '"job":null' "$T/reply" ||
  fail "個人番号 in a bulk file ($code): $(cat "$T/reply")"
grep -q '"record":2,"field":"atena_no"' "$T/reply" || fail "the 個人番号 refusal does not say where: $(cat "$T/reply")"
grep -qF "$mynumber" "$T/reply" && fail "the refusal repeats the 個人番号"
[ "$(stored_state)" = "$before" ] || fail "a refused file changed the store: $before → $(stored_state)"
pass "malformed file: 400 naming record 2 and its field; 個人番号 file: 400 naming record and field, not the value; nothing stored"

# --- upload, idempotent re-upload, status, 409 until final ------------------------------------
BULK=$D/121002/bulk_inquiry.dat
curl -sS --fail --cacert "$P/ca.pem" --cert "$P/network/client.pem" --key "$P/network/client.key" \
  -H 'Content-Type: application/json' -d '{"delayMs":5}' "$SIMURL/sim/v1/faults" >/dev/null || fail "ipn-sim delay fault"
code=$(upload "$BULK" e2e-bulk-1)
[ "$code" = 202 ] || fail "bulk upload ($code): $(cat "$T/reply")"
report=$(cat "$T/reply")
job=$(str "$report" job)
[ -n "$job" ] || fail "no job in $report"
[ "$(num "$report" total)" = "$records" ] && [ "$(num "$report" accepted)" = "$records" ] ||
  fail "report counts: $report"
[ "$(num "$report" queued)" = $((records - refused_expected)) ] || fail "queued should be $((records - refused_expected)): $(echo "$report" | head -c 300)"
code=$(upload "$BULK" e2e-bulk-1)
[ "$code" = 200 ] && [ "$(str "$(cat "$T/reply")" job)" = "$job" ] || fail "re-upload with the same key ($code): $(head -c 300 "$T/reply")"
[ "$(items_of "$job")" = "$records" ] || fail "re-upload duplicated items: $(items_of "$job") for $records records"
head -c 222 "$BULK" >"$T/one.dat"
code=$(upload "$T/one.dat" e2e-bulk-1)
[ "$code" = 409 ] && grep -q "Idempotency-Key 'e2e-bulk-1' was used for another file" "$T/reply" || fail "the same key with another file ($code): $(cat "$T/reply")"
st=$(status "$job")
[ "$(str "$st" state)" = running ] || fail "status: $st"
code=$(as 121002 -o "$T/reply" -w '%{http_code}' "$chiba_URL/api/v1/inquiries/bulk/result?job=$job&format=csv")
[ "$code" = 409 ] && grep -q NOT_FINAL "$T/reply" || fail "results before final ($code): $(cat "$T/reply")"
code=$(as 121002 -o /dev/null -w '%{http_code}' "$chiba_URL/api/v1/inquiries/bulk?job=Bnosuchjob")
[ "$code" = 404 ] || fail "status of an unknown job ($code)"
pass "job $job: $records items accepted once (same key → same job, other file → 409), running, results 409 until final"

# --- kill -9 千葉市 in the middle of the job --------------------------------------------------
# Kill as soon as the first answers are in; then, with the gateway dead, its own store must show
# both answered items and items not final (not yet sent, or sent and unanswered; the worker sends
# up to 50 a network message, so all may be sent by then) — otherwise the kill proved nothing.
until_true 600 '[ "$(num "$(status "$job")" completed)" -gt 0 ]' || fail "no item completed: $(status "$job")"
kill -9 "$chiba_PID"
wait "$chiba_PID" 2>/dev/null || true
at_kill() { e2e_sql chiba "SELECT COUNT(*) FROM inquiries WHERE batch_id = '$job' AND state $1"; }
done_at_kill=$(at_kill "IN ('completed','error','aborted')") queued_at_kill=$(at_kill "= 'queued'") sent_at_kill=$(at_kill "= 'sent'")
[ $((queued_at_kill + sent_at_kill)) -gt 0 ] && [ "$done_at_kill" -gt $refused_expected ] ||
  fail "the kill did not land mid-job ($done_at_kill final, $sent_at_kill sent, $queued_at_kill queued): raise CHUKAN_E2E_BULK_COUNT"
echo "  千葉市 killed with $done_at_kill items final, $sent_at_kill sent and unanswered, $queued_at_kill not yet sent"
e2e_restart_gateway chiba
code=$(upload "$BULK" e2e-bulk-1)
[ "$code" = 200 ] && [ "$(str "$(cat "$T/reply")" job)" = "$job" ] || fail "re-upload after the restart ($code)"
code=$(finish_job "$job" "$T/result.csv")
[ "$code" = 200 ] || fail "the job did not finish after the restart: $(status "$job")"
st=$(status "$job")
[ "$(str "$st" state)" = done ] && [ "$(num "$st" pending)" = 0 ] || fail "final status: $st"
pass "千葉市 killed (SIGKILL) mid-job and restarted; the job finished: $st"

# --- every item exactly once, as expected --------------------------------------------------
python3 - "$T/result.csv" "$D/121002/bulk_expected.csv" "$job" <<'PY' || fail "results do not match the expected outcomes"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
header, rows = rows[0], rows[1:]
expected = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
job = sys.argv[3]
serials = [r[0] for r in rows]
assert len(rows) == len(expected), f"{len(rows)} result rows for {len(expected)} records"
assert len(set(serials)) == len(serials), "duplicate 処理通番"
want = {"normal": ("09", "01"), "held": ("09", "01"), "no_fugo": (None, "32"), "not_permitted": (None, "31")}
for i, (row, exp) in enumerate(zip(rows, expected), 1):
    assert row[0] == f"{job}-{i:07d}", f"row {i}: serial {row[0]}"
    assert row[1] == exp["atenaNo"] and row[3] == exp["item"], f"row {i}: {row[:4]} vs {exp}"
    detail, item = row[5], row[6]
    if exp["expected"] == "no_data":
        assert detail == "09" and item in ("02", "03"), f"row {i}: {detail}/{item} for no_data"
    else:
        d, it = want[exp["expected"]]
        assert item == it and (d is None or detail == d), f"row {i}: {detail}/{item} for {exp['expected']}"
    assert (row[8] != "") == (exp["expected"] in ("normal", "held")), f"row {i}: data presence"
PY
sent=$((records - refused_expected))
dup=$(e2e_sql chiba "SELECT COUNT(*) FROM (SELECT ref_id FROM provision_records WHERE kind = 'inquiry' AND ref_id LIKE '$job-%' GROUP BY ref_id HAVING COUNT(*) > 1) d")
n=$(e2e_sql chiba "SELECT COUNT(DISTINCT ref_id) FROM provision_records WHERE kind = 'inquiry' AND ref_id LIKE '$job-%'")
[ "$dup" = 0 ] && [ "$n" = "$records" ] || fail "千葉市 records: $n serials recorded ($records expected), $dup recorded twice"
final="'provided','no_data','refused'"
dup=$(e2e_sql hofu "SELECT COUNT(*) FROM (SELECT ref_id FROM provision_records WHERE kind = 'provision' AND ref_id LIKE 'IQ-$job-%' AND outcome IN ($final) GROUP BY ref_id HAVING COUNT(*) > 1) d")
n=$(e2e_sql hofu "SELECT COUNT(DISTINCT ref_id) FROM provision_records WHERE kind = 'provision' AND ref_id LIKE 'IQ-$job-%' AND outcome IN ($final)")
[ "$dup" = 0 ] && [ "$n" = "$sent" ] || fail "防府市 provision records: $n answered ($sent sent), $dup answered twice"
n=$(e2e_sql hofu "SELECT COUNT(*) FROM outbox WHERE message_id LIKE 'R-IQ-$job-%'")
[ "$n" = "$sent" ] || fail "防府市 queued $n answers for $sent inquiries"
dups=$(grep -F "\"messageId\":\"IQ-$job-" "$T/routing.log" | grep -cF '"outcome":"delivered-duplicate"' || true)
# 千葉市's and 防府市's workers sent the items to the network in Batches (routing log kind Batch).
[ "$(grep -cF '"kind":"Batch"' "$T/routing.log" || true)" -gt 0 ] || fail "no Batch reached the network"
pass "every item exactly once: $records results, unique serials, as expected; $sent provided/answered once at 防府市 (one answer each; $dups network duplicates answered as such)"

# --- the other formats -----------------------------------------------------------------------
as 121002 --fail -o "$T/result.xml" "$chiba_URL/api/v1/inquiries/bulk/result?job=$job&format=xml" || fail "XML results"
"$CTL" xml validate --schema online-inquiry --schemas "$CHUKAN_SRC/conf/schemas" "$T/result.xml" >/dev/null 2>"$T/xml.err" ||
  fail "XML results are not valid: $(head -3 "$T/xml.err")"
[ "$(grep -o '<SerialNo>' "$T/result.xml" | wc -l)" = "$records" ] || fail "XML results do not hold $records results"
as 121002 --fail -o "$T/result.dat" "$chiba_URL/api/v1/inquiries/bulk/result?job=$job&format=fixed" || fail "fixed results"
"$CTL" layout decode --layout bulk_inquiry_result --layouts "$CHUKAN_SRC/conf/layouts" "$T/result.dat" >"$T/fixed.jsonl" 2>"$T/fixed.err" ||
  fail "fixed results do not decode: $(head -3 "$T/fixed.err")"
n=$(sed -n 's/.*"serial":"\([^"]*\)".*/\1/p' "$T/fixed.jsonl" | sort -u | wc -l)
[ "$n" = "$records" ] || fail "fixed results hold $n 処理通番 for $records records"
bad=$(grep -c '"koumoku_status":"90"' "$T/fixed.jsonl" || true)
pass "XML results valid against online-inquiry.xsd ($records results); fixed results decode ($n 処理通番, $bad unrepresentable)"

# --- kill -9 防府市 in the middle of a 副本 file import from the drop folder -------------------
INC=$T/drop/352063/juki/incoming
drop_big() { # TRY PERSONS: a 住民記録 file of PERSONS made-up residents into the drop folder as data set bigTRY
  "$SYNTH" --out "$T/big$1" --count "$2" --seed $((6 + $1)) --holds 0 >/dev/null || fail "chukan-synth (副本 file $1)"
  bigrecords=$(( $(stat -c %s "$T/big$1/352063/juki_resident.dat") / 282 ))
  name=juki_resident__TM00000000000001__big$1__e2e.dat
  cp "$T/big$1/352063/juki_resident.dat" "$INC/.big.tmp"
  mv "$INC/.big.tmp" "$INC/$name"
}
big() { e2e_sql hofu "SELECT COUNT(*) FROM replica_items WHERE dataset_key = 'big$try'"; }
in_done() { ls "$T/drop/352063/juki/done" 2>/dev/null | grep -q "^$name\$"; }
landed=
for try in 1 2 3; do
  drop_big $try $((BIG * (1 << (2 * (try - 1)))))
  # Kill once the first records are stored; with the gateway dead its store must hold only part of
  # the file and the file must still be in processing/.
  until_true 600 '[ "$(big)" -gt 0 ] || in_done' || fail "the drop folder import did not start"
  kill -9 "$hofu_PID"
  wait "$hofu_PID" 2>/dev/null || true
  at=$(big)
  e2e_restart_gateway hofu
  if [ "$at" -gt 0 ] && [ "$at" -lt "$bigrecords" ] && ! in_done && ls "$T/drop/352063/juki/processing" | grep -q "~$name\$"; then
    landed=yes
    echo "  防府市 killed with $at of $bigrecords records of $name stored, the file in processing/"
    break
  fi
  echo "  the import of $bigrecords records was done before the kill ($at stored): again, four times larger"
  until_true 600 in_done || fail "$name did not reach done/ after the restart: $(ls -R "$T/drop/352063/juki" | tr '\n' ' ')"
done
[ -n "$landed" ] || fail "three kills of 防府市 did not land mid-import: raise CHUKAN_E2E_BULK_REPLICA_COUNT"
until_true 600 'in_done || [ -n "$(ls "$T/drop/352063/juki/failed" 2>/dev/null)" ]' ||
  fail "the file never left processing/: $(ls -R "$T/drop" | tr '\n' ' ')"
in_done || fail "the file is not in done/: $(ls -R "$T/drop"; cat "$T"/drop/352063/juki/failed/*.json 2>/dev/null)"
[ -z "$(ls -A "$INC" "$T/drop/352063/juki/processing" 2>/dev/null | grep dat)" ] || fail "a copy was left behind: $(ls -R "$T/drop")"
r=$(e2e_sql hofu "SELECT COUNT(*), COUNT(DISTINCT record_id), MAX(version) FROM replica_items WHERE dataset_key = 'big$try'" | tr '\t' ' ')
[ "$r" = "$bigrecords $bigrecords 1" ] || fail "副本 after the restart: rows, record ids, max version = $r (expected $bigrecords $bigrecords 1)"
pass "防府市 killed (SIGKILL) mid-import and restarted: the file is in done/, all $bigrecords records stored exactly once"

# --- the same file again, the network without its delay: it forwards in Batches too -----------
# (A delay fault makes ipn-sim forward one message at a time; without it, what queues for one
# gateway goes as one Batch to /ipn-in/v1/batch, answered item by item.)
curl -sS --fail --cacert "$P/ca.pem" --cert "$P/network/client.pem" --key "$P/network/client.key" \
  -H 'Content-Type: application/json' -d '{"reset":true}' "$SIMURL/sim/v1/faults" >/dev/null || fail "ipn-sim fault reset"
code=$(upload "$BULK" e2e-bulk-2)
[ "$code" = 202 ] || fail "second bulk upload ($code): $(cat "$T/reply")"
job2=$(str "$(cat "$T/reply")" job)
code=$(finish_job "$job2" "$T/result2.csv")
[ "$code" = 200 ] || fail "the second job did not finish: $(status "$job2")"
st=$(status "$job2")
[ "$(str "$st" state)" = done ] && [ $(( $(num "$st" completed) + $(num "$st" errors) )) = "$records" ] &&
  [ "$(num "$st" errors)" = "$refused_expected" ] || fail "second job: $st"
rows2=$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))) - 1)' "$T/result2.csv")
[ "$rows2" = "$records" ] || fail "second job: $rows2 result rows for $records records"
batches=$(e2e_sim_metric ipn_sim_delivery_batches_total) items=$(e2e_sim_metric ipn_sim_delivery_batch_items_total)
[ "${batches:-0}" -gt 0 ] && [ "${items:-0}" -gt "${batches:-0}" ] || fail "the network delivered no Batch to a gateway (${batches:-0} batches)"
pass "the same file again without the network's delay: job $job2 done ($st); the network forwarded $items items in $batches Batches"

# --- and once more from a network without batches: both gateways fall back to single messages ----
curl -sS --fail --cacert "$P/ca.pem" --cert "$P/network/client.pem" --key "$P/network/client.key" \
  -H 'Content-Type: application/json' -d '{"noBatch":true}' "$SIMURL/sim/v1/faults" >/dev/null || fail "ipn-sim noBatch fault"
before_batches=$(grep -cF '"kind":"Batch"' "$T/routing.log" || true)
code=$(upload "$BULK" e2e-bulk-3)
[ "$code" = 202 ] || fail "third bulk upload ($code): $(cat "$T/reply")"
job3=$(str "$(cat "$T/reply")" job)
code=$(finish_job "$job3" "$T/result3.csv")
[ "$code" = 200 ] || fail "the job did not finish on a network without batches: $(status "$job3")"
st=$(status "$job3")
[ "$(str "$st" state)" = done ] && [ "$(num "$st" errors)" = "$refused_expected" ] || fail "third job: $st"
[ "$(grep -cF '"kind":"Batch"' "$T/routing.log" || true)" = "$before_batches" ] || fail "a Batch was accepted by a network without batches"
[ "$(grep -c '"messageId":"PR-'"$job3" "$T/routing.log")" -gt 0 ] || fail "no permit request of job $job3 reached the network"
pass "a network without batches (404 at /ipn/v1/batch): job $job3 done item by item ($st)"

# --- nothing in clear where it must not be ----------------------------------------------------
: >"$T/juki.jsonl"
for f in "$D/352063/juki_resident.dat" "$T"/big*/352063/juki_resident.dat; do
  "$CTL" layout decode --layout juki_resident --layouts "$CHUKAN_SRC/conf/layouts" "$f" >>"$T/juki.jsonl" 2>/dev/null ||
    fail "the synthetic 住民記録 file $f does not decode"
done
sed -n 's/.*"name_kanji":"\([^"]*\)".*"address":"\([^"]*\)".*/\1\n\2/p' "$T/juki.jsonl" | awk 'length($0) >= 4' | sort -u >"$T/plain.txt"
sed -n 's/.*"juminhyo_code":"\([0-9]\{11\}\)".*/\1/p' "$T/juki.jsonl" >"$T/ids.txt"
grep -ho '"juminhyoCode":"[0-9]*"' "$D"/*/fugo-*.json | cut -d'"' -f4 >>"$T/ids.txt"
echo "$mynumber" >>"$T/ids.txt"
sort -u -o "$T/ids.txt" "$T/ids.txt"
[ "$(wc -l <"$T/plain.txt")" -gt 100 ] && [ "$(wc -l <"$T/ids.txt")" -gt 100 ] || fail "too few synthetic values to scan for"
echo "見本ワクチン" >>"$T/plain.txt"
cat "$T/ids.txt" >>"$T/plain.txt"
# The scan itself finds what it looks for (in the decoded source files), so a clean scan means something.
(e2e_scan_no_plaintext "$T/plain.txt" "$T/juki.jsonl") 2>/dev/null && fail "the plaintext scan misses the source values"
(e2e_scan_no_plaintext "$T/ids.txt" "$T/juki.jsonl") 2>/dev/null && fail "the identifier scan misses the source values"
e2e_scan_no_plaintext "$T/plain.txt"
e2e_scan_no_plaintext "$T/ids.txt" "$T/chiba" "$T/hofu"
pass "no synthetic name, address, data, 住民票コード or 個人番号 in the routing log or any log; no 住民票コード or 個人番号 in either store"
echo "e2e_bulk: all passed"
