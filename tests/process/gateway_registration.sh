#!/usr/bin/env bash
# gateway_registration: a connected system registers 副本 over mutual TLS; strangers, disabled systems and 個人番号 are refused.
source "$(dirname "$0")/lib.bash"
CTL=$CHUKAN_BIN/chukanctl
"$CHUKAN_SRC/scripts/pki" "$T/pki" >/dev/null
P=$T/pki

cat >"$T/gw.properties" <<CONF
chukan.node.id = reg-1
chukan.data.dir = $T/data
chukan.schemas.dir = $CHUKAN_SRC/conf/schemas
chukan.listen.host = 127.0.0.1
chukan.listen.port = 0
chukan.tls.certificate = $P/121002/server.pem
chukan.tls.privateKey = $P/121002/server.key
chukan.tls.caFile = $P/ca.pem
chukan.tenants = 121002
chukan.tenant.121002.institution = 1210020000000000
chukan.tenant.121002.encryption.certificate = $P/121002/encryption.pem
chukan.tenant.121002.encryption.privateKey = $P/121002/encryption.key
chukan.tenant.121002.network.certificate = $P/121002/client.pem
chukan.tenant.121002.network.privateKey = $P/121002/client.key
CONF

"$CTL" --config "$T/gw.properties" tenant add 121002 --name 千葉市 --institution 1210020000000000 >/dev/null
"$CTL" --config "$T/gw.properties" system add 121002 --id juki --name 住民基本台帳 --cert "$P/121002/juki.pem" \
  --operations fugo.register,replica.register | grep -q "system juki added" || fail "system add"
set +e
"$CTL" --config "$T/gw.properties" system add 121002 --id juki2 --name dup --cert "$P/121002/juki.pem" --operations inquiry 2>"$T/err"; rc=$?
set -e
[ "$rc" = 1 ] && grep -q "already registered" "$T/err" || fail "a certificate registered twice was accepted (rc $rc): $(cat "$T/err")"
"$CTL" --config "$T/gw.properties" system list 121002 | grep -q "^juki	enabled" || fail "system list"
pass "chukanctl system add/list; duplicate certificate refused"

"$CHUKAN_BIN/chukan-gateway" --config="$T/gw.properties" >"$T/gw.out" 2>"$T/gw.err" &
PIDS+=($!)
wait_for_line "$T/gw.out" "listening on https://" 20 || fail "gateway did not start: $(cat "$T/gw.err")"
port=$(sed -n 's#.*listening on https://127.0.0.1:\([0-9]*\).*#\1#p' "$T/gw.out")
URL=https://127.0.0.1:$port
as_juki() { curl -sS --cacert "$P/ca.pem" --cert "$P/121002/juki.pem" --key "$P/121002/juki.key" "$@"; }

cat >"$T/replica.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<ReplicaRegistration xmlns="urn:chukan:replica:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <MessageHeader>
    <MessageID>MSG-0001</MessageID>
    <MessageType>ReplicaRegistration</MessageType>
    <Mode>live</Mode>
    <SourceSystem>juki</SourceSystem>
    <DestinationSystem>chukan</DestinationSystem>
  </MessageHeader>
  <Records>
    <Record>
      <RecordID>R1</RecordID>
      <Operation>register</Operation>
      <TougouAtenaNo>000000000000123</TougouAtenaNo>
      <DataItemCode>TM00000000000002</DataItemCode>
      <DataSetKey>K1</DataSetKey>
      <Version>1</Version>
      <PublishFrom>2026-04-01</PublishFrom>
      <AutoAnswer>true</AutoAnswer>
      <Data><![CDATA[<接種記録><回数>1</回数></接種記録>]]></Data>
    </Record>
  </Records>
</ReplicaRegistration>
XML
reply=$(as_juki -H 'Content-Type: application/xml' --data-binary @"$T/replica.xml" "$URL/api/v1/replica")
grep -q '"accepted":1' <<<"$reply" || fail "replica not accepted: $reply"
grep -q '"status":"registered"' <<<"$reply" || fail "replica not registered: $reply"
pass "replica registration over mutual TLS: $reply"

# A 個人番号 (synthetic, valid check digit) anywhere in a body: refused, nothing stored or logged.
sed 's|<DataSetKey>K1</DataSetKey>|<DataSetKey>K1</DataSetKey>|; s|<回数>1</回数>|<回数>1</回数><番号>123456789018</番号>|; s|R1|R2|' "$T/replica.xml" >"$T/mynumber.xml"
code=$(as_juki -o "$T/reply" -w '%{http_code}' --data-binary @"$T/mynumber.xml" "$URL/api/v1/replica")
[ "$code" = 400 ] && grep -q MYNUMBER_REFUSED "$T/reply" || fail "個人番号 not refused ($code): $(cat "$T/reply")"
pass "a body carrying a 個人番号 is refused"

# Another tenant's system (O=352063) is not a tenant of this gateway.
code=$(curl -sS -o "$T/reply" -w '%{http_code}' --cacert "$P/ca.pem" --cert "$P/352063/juki.pem" --key "$P/352063/juki.key" \
  --data-binary @"$T/replica.xml" "$URL/api/v1/replica")
[ "$code" = 403 ] && grep -q UNKNOWN_TENANT "$T/reply" || fail "foreign tenant not refused ($code): $(cat "$T/reply")"
pass "another tenant's certificate is refused"

# 符号 needs the network; none is configured here.
code=$(as_juki -o "$T/reply" -w '%{http_code}' -d '{"records":[{"atenaNo":"000000000000123","juminhyoCode":"12345678901"}]}' "$URL/api/v1/fugo")
[ "$code" = 503 ] && grep -q UNAVAILABLE "$T/reply" || fail "fugo without network ($code): $(cat "$T/reply")"
code=$(as_juki -o /dev/null -w '%{http_code}' "$URL/api/v1/replica")
[ "$code" = 405 ] || fail "GET on a POST endpoint answered $code"
pass "fugo without a network is UNAVAILABLE; wrong method is 405"

"$CTL" --config "$T/gw.properties" system disable 121002 juki >/dev/null
code=$(as_juki -o "$T/reply" -w '%{http_code}' --data-binary @"$T/replica.xml" "$URL/api/v1/replica")
[ "$code" = 403 ] && grep -q SYSTEM_DISABLED "$T/reply" || fail "disabled system served ($code)"
pass "a disabled system is refused"

metrics=$(as_juki "$URL/metrics")
grep -q 'chukan_authenticate_total{decision="allowed"} [1-9]' <<<"$metrics" || fail "metrics lack allowed decisions"
grep -q 'chukan_mynumber_refused_total 1' <<<"$metrics" || fail "metrics lack the 個人番号 refusal"
pass "decisions are counted in /metrics"

if grep -rqa "123456789018" "$T/data" "$T/gw.out" "$T/gw.err"; then fail "the 個人番号 reached the store or the logs"; fi
pass "no 個人番号 in the store or logs"
echo "gateway_registration: all passed"
