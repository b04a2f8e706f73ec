#!/usr/bin/env bash
# ipn_sim: the network simulator as a process — 符号 per institution, signed list verifies, refusals, unknown certificates, faults.
source "$(dirname "$0")/lib.bash"
SIM=${CHUKAN_IPN_SIM:-$CHUKAN_BIN/../tests/netsim/ipn-sim}
CTL=$CHUKAN_BIN/chukanctl
[ -x "$SIM" ] || fail "ipn-sim not built at $SIM"
command -v python3 >/dev/null || fail "python3 is needed to read JSON and XML"

"$SIM" --help | grep -q -- "--config" || fail "ipn-sim --help does not document --config"
"$SIM" --help | grep -q "/sim/v1/faults" || fail "ipn-sim --help does not name the admin endpoints"
pass "--help"

CHIBA=1210020000000000 HOFU=3520630000000000
"$CHUKAN_SRC/scripts/pki" "$T/pki" >/dev/null
P=$T/pki
cat >"$T/directory.csv" <<CSV
# test directory; certificate paths relative to this file
code,tenant,name,endpoint,encryptionCertificate
$CHIBA,121002,千葉市,,pki/121002/encryption.pem
$HOFU,352063,防府市,,pki/352063/encryption.pem
CSV
cat >"$T/sim.properties" <<CONF
ipn.listen.host = 127.0.0.1
ipn.listen.port = 0
ipn.tls.certificate = $P/network/server.pem
ipn.tls.privateKey = $P/network/server.key
ipn.tls.caFile = $P/ca.pem
ipn.client.certificate = $P/network/client.pem
ipn.client.privateKey = $P/network/client.key
ipn.signing.certificate = $P/network/signing.pem
ipn.signing.privateKey = $P/network/signing.key
ipn.fugo.keyFile = $T/fugo.key
ipn.directory.file = $T/directory.csv
ipn.permissionList.file = $CHUKAN_SRC/conf/permission-list.sample.csv
ipn.routingLog.file = $T/routing.log
ipn.schemas.dir = $CHUKAN_SRC/conf/schemas
CONF

# A broken key is named, exit 78.
sed 's#^ipn.tls.caFile = .*#ipn.tls.caFile = /nonexistent/ca.pem#' "$T/sim.properties" >"$T/bad.properties"
set +e; "$SIM" --config="$T/bad.properties" >"$T/bad.out" 2>"$T/bad.err"; rc=$?; set -e
[ "$rc" = 78 ] || fail "expected exit 78 for a missing CA file, got $rc"
grep -q "ipn.tls.caFile: file '/nonexistent/ca.pem' does not exist" "$T/bad.err" || fail "bad key not named: $(cat "$T/bad.err")"
pass "bad setting refused by key"

"$SIM" --config="$T/sim.properties" >"$T/sim.out" 2>"$T/sim.err" &
PIDS+=($!)
wait_for_line "$T/sim.out" "ipn-sim listening on https://127.0.0.1:[0-9]+" 20 || fail "ipn-sim did not start: $(cat "$T/sim.err")"
port=$(sed -n 's#.*listening on https://127.0.0.1:\([0-9]*\).*#\1#p' "$T/sim.out")
URL=https://127.0.0.1:$port
[ -s "$T/fugo.key" ] || fail "the 符号 key file was not generated"
[ "$(stat -c %a "$T/fugo.key")" = 600 ] || fail "the 符号 key file is not mode 0600"

# call WHO METHOD PATH [BODY]: prints the body; the HTTP status goes to $T/status.
call() {
  local who=$1 method=$2 path=$3 body=${4:-}
  local args=(-sS --cacert "$P/ca.pem" --cert "$P/$who.pem" --key "$P/$who.key" -o "$T/body" -w '%{http_code}' -X "$method")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/xml' --data-binary "$body")
  curl "${args[@]}" "$URL$path" >"$T/status"
  cat "$T/body"
}
xml_text() { python3 -c 'import sys,re,html; m=re.search(r"<"+sys.argv[1]+r">(.*?)</"+sys.argv[1]+">", sys.stdin.read(), re.S); print(html.unescape(m.group(1)) if m else "")' "$1"; }
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
header() { echo "<Header><MessageId>$1</MessageId><SentAt>$(now)</SentAt><From>$2</From><To>IPN</To></Header>"; }
fugo_request() { echo "<FugoRequest xmlns=\"urn:chukan:ipn:1\">$(header "$1" "$2")<JuminhyoCode>$3</JuminhyoCode></FugoRequest>"; }
permit_request() {
  echo "<PermitRequest xmlns=\"urn:chukan:ipn:1\">$(header "$1" $CHIBA)<Provider>$HOFU</Provider><JimuCode>JM01000000121000</JimuCode><ProcedureCode>JT01010000000214</ProcedureCode><DataItemCode>$2</DataItemCode><RequesterFugo>$3</RequesterFugo></PermitRequest>"
}

# 符号: different per institution, stable per person, duplicates answered identically.
r1=$(call 121002/client POST /ipn/v1/fugo "$(fugo_request msg-chiba-0001 $CHIBA 12345678901)")
[ "$(cat "$T/status")" = 200 ] || fail "fugo request failed: $r1"
f_chiba=$(echo "$r1" | xml_text Fugo)
f_hofu=$(call 352063/client POST /ipn/v1/fugo "$(fugo_request msg-hofu-00001 $HOFU 12345678901)" | xml_text Fugo)
[ -n "$f_chiba" ] && [ -n "$f_hofu" ] || fail "no 符号 in the responses"
[ "$f_chiba" != "$f_hofu" ] || fail "the same 符号 at two institutions"
again=$(call 121002/client POST /ipn/v1/fugo "$(fugo_request msg-chiba-0002 $CHIBA 12345678901)" | xml_text Fugo)
[ "$again" = "$f_chiba" ] || fail "the 符号 is not stable per person and institution"
dup=$(call 121002/client POST /ipn/v1/fugo "$(fugo_request msg-chiba-0001 $CHIBA 12345678901)")
[ "$dup" = "$r1" ] || fail "a duplicate MessageId was not answered identically"
pass "符号 per institution ($f_chiba vs $f_hofu), stable, duplicate answered identically"

# The signed permission list verifies with openssl against the network signer.
call 121002/client GET /ipn/v1/permission-list >"$T/list.json"
[ "$(cat "$T/status")" = 200 ] || fail "permission list not served"
python3 - "$T/list.json" "$T" <<'PY'
import json, sys, base64
d = json.load(open(sys.argv[1])); out = sys.argv[2]
open(out + "/list.payload", "wb").write(base64.b64decode(d["payload"]))
open(out + "/list.sig", "wb").write(base64.b64decode(d["signature"]))
open(out + "/list.signer.pem", "w").write(d["signer"])
PY
openssl verify -CAfile "$P/ca.pem" "$T/list.signer.pem" >/dev/null || fail "list signer does not chain to the CA"
openssl x509 -in "$T/list.signer.pem" -pubkey -noout >"$T/list.pub"
openssl dgst -sha256 -verify "$T/list.pub" -signature "$T/list.sig" "$T/list.payload" >/dev/null || fail "list signature does not verify"
grep -q '"type":"permission-list"' "$T/list.payload" || fail "payload is not a permission list"
grep -q 'TM00000000000002' "$T/list.payload" || fail "the sample entries are missing"
pass "signed permission list verifies with openssl"

# A permit for a listed item: signed, verifiable by the provider with chukanctl.
resp=$(call 121002/client POST /ipn/v1/permits "$(permit_request msg-chiba-0003 TM00000000000002 "$f_chiba")")
[ "$(cat "$T/status")" = 200 ] || fail "permit refused: $resp"
echo "$resp" | xml_text SignedPermit >"$T/permit.json"
"$CTL" verify-permit "$T/permit.json" --trust "$P/ca.pem" --institution $HOFU >"$T/verify.out" 2>&1 || fail "permit does not verify: $(cat "$T/verify.out")"
! grep -q "$f_hofu" "$T/permit.json" || fail "the permit carries the provider's 符号"
pass "permit issued and verified by chukanctl verify-permit"

# Refusals: unlisted item (NOT_PERMITTED), unknown 符号 (NO_FUGO), unknown certificate.
resp=$(call 121002/client POST /ipn/v1/permits "$(permit_request msg-chiba-0004 TM00000000000099 "$f_chiba")")
[ "$(cat "$T/status")" = 403 ] || fail "unlisted item: expected 403, got $(cat "$T/status")"
grep -q "<Code>NOT_PERMITTED</Code>" <<<"$resp" || fail "unlisted item not NOT_PERMITTED: $resp"
resp=$(call 121002/client POST /ipn/v1/permits "$(permit_request msg-chiba-0005 TM00000000000002 AAAAAAAAAAAAAAAAAAAAAA)")
grep -q "<Code>NO_FUGO</Code>" <<<"$resp" || fail "unknown 符号 not NO_FUGO: $resp"
resp=$(call 121002/juki POST /ipn/v1/fugo "$(fugo_request msg-juki-00001 $CHIBA 12345678901)")
grep -q "<Code>UNKNOWN_INSTITUTION</Code>" <<<"$resp" || fail "a business-system certificate was served: $resp"
if curl -sS --cacert "$P/ca.pem" "$URL/ipn/v1/directory" >/dev/null 2>&1; then
  fail "a client without a certificate was served"
fi
resp=$(call 121002/client POST /ipn/v1/fugo '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
grep -q "<Code>INVALID_MESSAGE</Code>" <<<"$resp" || fail "DOCTYPE not refused: $resp"
! grep -q "root:" <<<"$resp" || fail "XXE was resolved"
pass "NOT_PERMITTED, NO_FUGO, UNKNOWN_INSTITUTION, no certificate, XXE"

# A POST with neither Content-Length nor a body (curl -X POST): an empty message, refused at once —
# not read until the connection closes (--max-time turns that wait into a failure).
code=$(curl -sS --max-time 30 --cacert "$P/ca.pem" --cert "$P/121002/client.pem" --key "$P/121002/client.key" \
  -o "$T/body" -w '%{http_code}' -X POST "$URL/ipn/v1/fugo") || fail "POST without Content-Length got no answer (curl exit $?)"
grep -q "<Code>INVALID_MESSAGE</Code>" "$T/body" || fail "an empty POST was not INVALID_MESSAGE ($code): $(cat "$T/body")"
pass "a POST without Content-Length is an empty message"

# Admin: only the simulator's admin certificate; faults make it answer UNAVAILABLE.
call 121002/client POST /sim/v1/faults '{"downForMs":60000}' >/dev/null
[ "$(cat "$T/status")" = 403 ] || fail "an institution changed the faults"
call network/client POST /sim/v1/faults '{"downForMs":60000}' >/dev/null
[ "$(cat "$T/status")" = 200 ] || fail "admin could not set faults"
resp=$(call 121002/client POST /ipn/v1/fugo "$(fugo_request msg-chiba-0006 $CHIBA 12345678901)")
[ "$(cat "$T/status")" = 503 ] || fail "down: expected 503, got $(cat "$T/status")"
grep -q "<Code>UNAVAILABLE</Code>" <<<"$resp" || fail "down: not UNAVAILABLE: $resp"
call network/client POST /sim/v1/faults '{"reset":true}' >/dev/null
resp=$(call 121002/client POST /ipn/v1/fugo "$(fugo_request msg-chiba-0006 $CHIBA 12345678901)")
[ "$(cat "$T/status")" = 200 ] || fail "after reset the retried message was not served: $resp"
pass "faults: UNAVAILABLE while down, the same MessageId served after reset"

# Endpoint registration, directory, metrics and the log.
call network/client POST /sim/v1/institutions "{\"code\":\"$HOFU\",\"endpoint\":\"https://127.0.0.1:9\"}" >/dev/null
[ "$(cat "$T/status")" = 200 ] || fail "endpoint registration failed: $(cat "$T/body")"
call 121002/client GET /ipn/v1/directory | python3 -c 'import json,sys,base64; d=json.load(sys.stdin); p=base64.b64decode(d["payload"]).decode(); assert "https://127.0.0.1:9" in p, p' \
  || fail "registered endpoint not in the signed directory"
call network/client GET /metrics | grep -q 'ipn_sim_requests_total{kind="FugoRequest",outcome="ok"}' || fail "metrics lack request counts"
call network/client GET /sim/v1/log | grep -q '"PermitRequest NOT_PERMITTED":1' || fail "log counts lack the refusal"
! grep -q -e 12345678901 -e "$f_chiba" -e "$f_hofu" "$T/routing.log" || fail "the routing log holds a 住民票コード or 符号"
grep -q '"kind":"PermitRequest"' "$T/routing.log" || fail "the routing log misses the permit requests"
pass "registration, signed directory, metrics, log without identifiers"
