#!/usr/bin/env bash
# operations: /health/live and /health/ready follow the network (ipn-sim stopped, started again), /metrics parses
# as Prometheus text with queue gauges, chukanctl stats/jobs and GET /api/v1/stats|jobs count without persons, the
# production configuration passes --check-config, the systemd unit verifies.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/e2e_lib.bash"
e2e_start_network
e2e_start_gateway chiba 121002 $CHIBA
e2e_start_gateway hofu 352063 $HOFU
TODAY=$(date -u -d '+9 hours' +%F) # the day in Japan time

http_code() { # TENANT URL → HTTP status; body in $T/body
  as "$1" -o "$T/body" -w '%{http_code}' "$2"
}

# --- health: live and ready while everything is up
[ "$(http_code 352063 "$hofu_URL/health/live")" = 200 ] || fail "live: $(cat "$T/body")"
grep -q '"status":"live"' "$T/body" || fail "live body: $(cat "$T/body")"
[ "$(http_code 352063 "$hofu_URL/health/ready")" = 200 ] || fail "ready: $(cat "$T/body")"
python3 - "$T/body" <<'PY' || fail "ready body: $(cat "$T/body")"
import json, sys
b = json.load(open(sys.argv[1]))
assert b["status"] == "ok", b
assert b["checks"]["store"]["state"] == "ok", b
assert b["checks"]["network"]["state"] == "ok", b
assert isinstance(b["schemaVersion"], int), b
PY
[ "$(http_code 352063 "$hofu_URL/health")" = 200 ] || fail "/health (compatibility): $(cat "$T/body")"
pass "/health/live, /health/ready and /health answer 200 with the store and the network named"

# --- some traffic: 符号, 副本, one automatic answer, one held provision
r=$(as 352063 -d '{"records":[{"atenaNo":"000000000000777","juminhyoCode":"12345678901"},{"atenaNo":"000000000000778","juminhyoCode":"12345678902"}]}' "$hofu_URL/api/v1/fugo")
grep -q '"accepted":2' <<<"$r" || fail "防府市 符号: $r"
r=$(as 121002 -d '{"records":[{"atenaNo":"000000000000101","juminhyoCode":"12345678901"},{"atenaNo":"000000000000102","juminhyoCode":"12345678902"}]}' "$chiba_URL/api/v1/fugo")
grep -q '"accepted":2' <<<"$r" || fail "千葉市 符号: $r"
as 352063 --data-binary "$(e2e_replica_xml R777 000000000000777 true '<接種記録><回数>3</回数></接種記録>')" "$hofu_URL/api/v1/replica" | grep -q '"accepted":1' || fail "replica 777"
as 352063 --data-binary "$(e2e_replica_xml R778 000000000000778 false '<接種記録><回数>1</回数></接種記録>')" "$hofu_URL/api/v1/replica" | grep -q '"accepted":1' || fail "replica 778"
out=$(as 121002 --data-binary "$(e2e_inquiry_xml OPS-0001 000000000000101 TM00000000000002)" "$chiba_URL/api/v1/inquiries?wait=10")
serial=$(echo "$out" | serial_of)
res=$(e2e_wait_result chiba 121002 "$serial") || fail "inquiry did not complete: $res"
out=$(as 121002 --data-binary "$(e2e_inquiry_xml OPS-0002 000000000000102 TM00000000000002)" "$chiba_URL/api/v1/inquiries")
held=$(echo "$out" | serial_of)
for _ in $(seq 1 50); do
  holds=$(as 352063 "$hofu_URL/api/v1/holds")
  grep -q holdId <<<"$holds" && break
  sleep 0.2
done
hold=$(echo "$holds" | sed -n 's#.*"holdId":"\([^"]*\)".*#\1#p')
[ -n "$hold" ] || fail "no hold at 防府市: $holds"
pass "one inquiry answered, one held at 防府市"

# --- /metrics: valid Prometheus text, queue gauges while the hold waits, the existing counters
check_metrics() { # FILE: every line parses; families typed once; prints name{labels} value lines
  python3 - "$1" <<'PY'
import re, sys
name = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
label = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
sample = re.compile(rf'^({name})(\{{{label}(?:,{label})*\}})? (-?[0-9.]+(?:e[+-]?[0-9]+)?|\+Inf|NaN)$')
types, seen = {}, set()
for n, line in enumerate(open(sys.argv[1], encoding="utf-8").read().splitlines(), 1):
    if line.startswith("# HELP "):
        continue
    if line.startswith("# TYPE "):
        _, _, fam, kind = line.split(" ", 3)
        assert kind in ("counter", "gauge", "histogram"), f"line {n}: {line}"
        assert fam not in types, f"line {n}: {fam} typed twice"
        types[fam] = kind
        continue
    m = sample.match(line)
    assert m, f"line {n} is not a sample: {line!r}"
    fam = re.sub(r'_(bucket|sum|count)$', '', m.group(1)) if m.group(1) not in types else m.group(1)
    assert fam in types, f"line {n}: {m.group(1)} has no TYPE before it"
    print(line)
PY
}
as 352063 "$hofu_URL/metrics" >"$T/hofu.metrics"
check_metrics "$T/hofu.metrics" >"$T/hofu.samples" || fail "防府市 /metrics is not valid Prometheus text"
grep -qx 'chukan_holds_pending{tenant="352063"} 1' "$T/hofu.samples" || fail "holds gauge: $(grep holds_pending "$T/hofu.samples")"
for g in chukan_outbox_pending chukan_inquiries_queued chukan_inquiries_in_flight chukan_bulk_jobs_running; do
  grep -q "^$g{tenant=\"352063\"} [0-9]*$" "$T/hofu.samples" || fail "gauge $g missing"
done
grep -qx 'chukan_store_up 1' "$T/hofu.samples" || fail "chukan_store_up"
grep -q '^chukan_provision_total{outcome="held"} 1$' "$T/hofu.samples" || fail "held counter"
grep -q '^chukan_request_seconds_bucket{endpoint="replica.register",le="+Inf"} 2$' "$T/hofu.samples" || fail "latency histogram"
grep -q '^chukan_retention_runs_total{outcome="done"} ' "$T/hofu.samples" || fail "retention counters"
as 121002 "$chiba_URL/metrics" >"$T/chiba.metrics"
check_metrics "$T/chiba.metrics" >"$T/chiba.samples" || fail "千葉市 /metrics is not valid Prometheus text"
grep -qx 'chukan_inquiries_in_flight{tenant="121002"} 1' "$T/chiba.samples" || fail "in-flight gauge: $(grep in_flight "$T/chiba.samples")"
pass "/metrics: valid text; holds pending and inquiries in flight counted per tenant; counters and histograms there"

# --- the hold released by two reviewers; the result arrives
as 352063 -d "{\"holdId\":\"$hold\",\"approve\":true,\"reviewer\":\"reviewer-a\"}" "$hofu_URL/api/v1/holds/decision" >/dev/null
as 352063 -d "{\"holdId\":\"$hold\",\"approve\":true,\"reviewer\":\"reviewer-b\"}" "$hofu_URL/api/v1/holds/decision" | grep -q '"state":"approved"' || fail "approval"
res=$(e2e_wait_result chiba 121002 "$held") || fail "held inquiry did not complete: $res"

# --- chukanctl stats: counts per day × 事務 × item × counterpart × outcome; holds with review times
"$CTL" --config "$T/hofu.properties" stats 352063 --from "$TODAY" --to "$TODAY" --format json >"$T/stats.json" || fail "stats json"
python3 - "$T/stats.json" "$TODAY" <<'PY' || fail "stats json: $(cat "$T/stats.json")"
import json, sys
s = json.load(open(sys.argv[1])); day = sys.argv[2]
assert s["tenant"] == "352063" and s["from"] == day and s["to"] == day, s
assert s["totals"]["provisions"] >= 2 and s["totals"]["holds"] == 1, s["totals"]
provided = [r for r in s["records"] if r["kind"] == "provision" and r["outcome"] == "provided"]
assert provided and all(r["day"] == day and r["counterpartCode"] == "1210020000000000" and
                        r["jimuCode"] == "JM01000000121000" and r["itemCode"] == "TM00000000000002" for r in provided), s
h = s["holds"][0]
assert h["state"] == "approved" and h["reviewed"] == 1 and h["reviewMaxSeconds"] >= 0, h
PY
"$CTL" --config "$T/chiba.properties" stats 121002 --format csv >"$T/stats.csv" || fail "stats csv"
head -1 "$T/stats.csv" | grep -q '^section,day,kind,jimu_code,item_code,counterpart_code,outcome,count,reviewed,review_avg_seconds,review_max_seconds' || fail "csv header: $(head -1 "$T/stats.csv")"
grep -q "^record,$TODAY,inquiry,JM01000000121000,TM00000000000002,$HOFU," "$T/stats.csv" || fail "csv rows: $(cat "$T/stats.csv")"
"$CTL" --config "$T/chiba.properties" stats 121002 >"$T/stats.txt" || fail "stats table"
grep -q "^tenant 121002, .* inquiries" "$T/stats.txt" || fail "table: $(cat "$T/stats.txt")"
code=0; "$CTL" --config "$T/chiba.properties" stats 121002 --from 2026-02-30 2>"$T/err" || code=$?
[ "$code" = 2 ] && grep -q -- "--from" "$T/err" || fail "a bad date: exit $code $(cat "$T/err")"
for f in "$T/stats.json" "$T/stats.csv" "$T/stats.txt"; do
  ! grep -q '00000000000077[78]\|00000000000010[12]\|FUGO\|12345678901' "$f" || fail "$f names a person"
done
pass "chukanctl stats: json, csv and table counts of both sides, holds with review times, no person"

# --- GET /api/v1/stats and /api/v1/jobs: a system with the operations stats and jobs, own tenant only
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/kanri.key" 2>/dev/null
openssl req -new -key "$T/kanri.key" -subj "/O=352063/CN=kanri" -out "$T/kanri.csr" 2>/dev/null
openssl x509 -req -in "$T/kanri.csr" -CA "$P/root/ca.pem" -CAkey "$P/root/ca.key" -CAserial "$T/kanri.srl" \
  -CAcreateserial -days 2 -out "$T/kanri.pem" 2>/dev/null
"$CTL" --config "$T/hofu.properties" system add 352063 --id kanri --name "運用管理" --cert "$T/kanri.pem" \
  --operations stats,jobs >/dev/null || fail "system add kanri"
kanri() { curl -sS --cacert "$P/ca.pem" --cert "$T/kanri.pem" --key "$T/kanri.key" -o "$T/body" -w '%{http_code}' "$@"; }
[ "$(kanri "$hofu_URL/api/v1/stats?from=$TODAY&to=$TODAY")" = 200 ] || fail "api stats: $(cat "$T/body")"
grep -q '"totals":{"holds":1,' "$T/body" || fail "api stats body: $(cat "$T/body")"
[ "$(kanri "$hofu_URL/api/v1/stats?from=$TODAY&to=$TODAY&format=csv")" = 200 ] && head -1 "$T/body" | grep -q '^section,' || fail "api stats csv"
[ "$(kanri "$hofu_URL/api/v1/stats?from=2020-01-01&to=$TODAY")" = 400 ] && grep -q INVALID_ARGUMENT "$T/body" || fail "a long range: $(cat "$T/body")"
[ "$(http_code 352063 "$hofu_URL/api/v1/stats")" = 403 ] || fail "juki (no stats operation) got stats: $(cat "$T/body")"
[ "$(kanri "$hofu_URL/api/v1/jobs")" = 200 ] || fail "api jobs: $(cat "$T/body")"
python3 - "$T/body" <<'PY' || fail "api jobs body: $(cat "$T/body")"
import json, sys
b = json.load(open(sys.argv[1]))
assert b["tenant"] == "352063" and b["count"] == len(b["jobs"]) >= 1, b
assert all(j["kind"] == "retention" for j in b["jobs"]), b
PY
[ "$(kanri "$hofu_URL/api/v1/jobs?state=sleeping")" = 400 ] || fail "a bad state: $(cat "$T/body")"
pass "GET /api/v1/stats and /api/v1/jobs for a system with those operations; others refused; bad queries typed 400"

# --- chukanctl jobs: the retention job of the start, filters
"$CTL" --config "$T/hofu.properties" jobs 352063 >"$T/jobs.txt" || fail "jobs"
head -1 "$T/jobs.txt" | grep -q '^JOB  *KIND  *STATE  *TOTAL  *DONE  *FAILED' || fail "jobs header: $(cat "$T/jobs.txt")"
grep -q '^retention-[0-9TZ]*  *retention  *done ' "$T/jobs.txt" || fail "jobs rows: $(cat "$T/jobs.txt")"
[ "$("$CTL" --config "$T/hofu.properties" jobs 352063 --state failed --kind retention | wc -l)" = 1 ] || fail "jobs --state failed lists rows"
"$CTL" --config "$T/hofu.properties" jobs 352063 --kind retention --format json | grep -q '"state":"done"' || fail "jobs json"
code=0; "$CTL" --config "$T/hofu.properties" jobs 352063 --state sleeping 2>/dev/null || code=$?
[ "$code" = 2 ] || fail "jobs --state sleeping: exit $code"
pass "chukanctl jobs lists kind, state, counts and times; --state/--kind filter; a bad state is a usage error"

# --- the network goes away: ready 503 naming it, live still 200; back: ready 200
sim_port=${SIMURL##*:}
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true
code=
for _ in $(seq 1 60); do
  code=$(http_code 352063 "$hofu_URL/health/ready")
  [ "$code" = 503 ] && break
  sleep 0.25
done
[ "$code" = 503 ] || fail "ready stayed $code with the network down: $(cat "$T/body")"
python3 - "$T/body" <<'PY' || fail "ready body with the network down: $(cat "$T/body")"
import json, sys
b = json.load(open(sys.argv[1]))
assert b["status"] == "unavailable", b
assert b["checks"]["network"]["state"] == "unreachable", b
assert b["checks"]["store"]["state"] == "ok", b
PY
[ "$(http_code 352063 "$hofu_URL/health")" = 503 ] || fail "/health with the network down"
[ "$(http_code 352063 "$hofu_URL/health/live")" = 200 ] || fail "live with the network down"
sed -i "s/^ipn.listen.port = .*/ipn.listen.port = $sim_port/" "$T/sim.properties"
"$SIM" --config="$T/sim.properties" >"$T/sim2.out" 2>"$T/sim2.err" &
SIM_PID=$!
PIDS+=($SIM_PID)
wait_for_line "$T/sim2.out" "ipn-sim listening on https://127.0.0.1:$sim_port" 20 || fail "ipn-sim did not come back: $(cat "$T/sim2.err")"
for _ in $(seq 1 60); do
  code=$(http_code 352063 "$hofu_URL/health/ready")
  [ "$code" = 200 ] && break
  sleep 0.25
done
[ "$code" = 200 ] || fail "ready stayed $code with the network back: $(cat "$T/body")"
pass "network down: /health/ready 503 naming the network, /health/live 200; network back: ready 200"

# --- deployment: the production example with its paths on a test PKI; the systemd unit
mkdir -p "$T/prod/etc" "$T/prod/var/lib" "$T/prod/var/log" "$T/prod/share"
cp -r "$CHUKAN_SRC/conf/schemas" "$CHUKAN_SRC/conf/layouts" "$T/prod/share/"
cp -r "$CHUKAN_SRC/gateway/console" "$T/prod/share/console"
sed -e "s#/etc/chukan/pki#$P#g" -e "s#/var/lib/chukan#$T/prod/var/lib#g" -e "s#/var/log/chukan#$T/prod/var/log#g" \
  -e "s#/usr/share/chukan#$T/prod/share#g" "$CHUKAN_SRC/conf/chukan-production.properties" >"$T/prod/etc/chukan.properties"
out=$("$GW" --config "$T/prod/etc/chukan.properties" --check-config) || fail "--check-config refused the production example: $out"
echo "$out" | grep -q "is valid: node gw-1, store mariadb db.chukan.internal/chukan, listener 0.0.0.0:8443, tenants 121002,352063" \
  || fail "production summary: $out"
grep -q '^chukan.log.file = /var/log/chukan/chukan.log$' "$CHUKAN_SRC/conf/chukan-production.properties" || fail "log file"
pass "conf/chukan-production.properties passes --check-config (paths on the test PKI)"
if command -v systemd-analyze >/dev/null 2>&1; then
  sed "s#/usr/local/bin/chukan-gateway#$GW#g" "$CHUKAN_SRC/conf/chukan-gateway.service" >"$T/prod/chukan-gateway.service"
  out=$(systemd-analyze verify "$T/prod/chukan-gateway.service" 2>&1) || fail "systemd-analyze verify: $out"
  [ -z "$out" ] || fail "systemd-analyze verify warns: $out"
  pass "conf/chukan-gateway.service passes systemd-analyze verify"
else
  echo "skip: systemd-analyze not installed"
fi
for k in NoNewPrivileges=yes ProtectSystem=strict "ReadWritePaths=/var/lib/chukan /var/log/chukan" PrivateTmp=yes \
  Restart=on-failure User=chukan WorkingDirectory=/var/lib/chukan; do
  grep -qx "$k" "$CHUKAN_SRC/conf/chukan-gateway.service" || fail "unit lacks $k"
done
grep -q '^ExecStart=/usr/local/bin/chukan-gateway --config /etc/chukan/chukan.properties$' "$CHUKAN_SRC/conf/chukan-gateway.service" || fail "ExecStart"
echo "operations: all passed"
