#!/usr/bin/env bash
# e2e_exchange: ipn-sim and two gateways (千葉市 asks, 防府市 answers) — 符号, 副本, online inquiry, refusals, hold with four eyes.
source "$(dirname "$0")/lib.bash"
SIM=${CHUKAN_IPN_SIM:-$CHUKAN_BIN/../tests/netsim/ipn-sim}
CTL=$CHUKAN_BIN/chukanctl
GW=$CHUKAN_BIN/chukan-gateway
[ -x "$SIM" ] || fail "ipn-sim not built at $SIM"
CHIBA=1210020000000000 HOFU=3520630000000000
"$CHUKAN_SRC/scripts/pki" "$T/pki" >/dev/null
P=$T/pki

# --- the network
cat >"$T/directory.csv" <<CSV
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
"$SIM" --config="$T/sim.properties" >"$T/sim.out" 2>"$T/sim.err" &
PIDS+=($!)
wait_for_line "$T/sim.out" "ipn-sim listening on https://127.0.0.1:[0-9]+" 20 || fail "ipn-sim did not start: $(cat "$T/sim.err")"
SIMURL=https://127.0.0.1:$(sed -n 's#.*listening on https://127.0.0.1:\([0-9]*\).*#\1#p' "$T/sim.out")

# --- two gateways
start_gateway() { # NAME TENANT INST
  local name=$1 tenant=$2 inst=$3
  cat >"$T/$name.properties" <<CONF
chukan.node.id = $name-1
chukan.data.dir = $T/$name
chukan.schemas.dir = $CHUKAN_SRC/conf/schemas
chukan.listen.host = 127.0.0.1
chukan.listen.port = 0
chukan.tls.certificate = $P/$tenant/server.pem
chukan.tls.privateKey = $P/$tenant/server.key
chukan.tls.caFile = $P/ca.pem
chukan.tenants = $tenant
chukan.tenant.$tenant.institution = $inst
chukan.tenant.$tenant.encryption.certificate = $P/$tenant/encryption.pem
chukan.tenant.$tenant.encryption.privateKey = $P/$tenant/encryption.key
chukan.tenant.$tenant.network.certificate = $P/$tenant/client.pem
chukan.tenant.$tenant.network.privateKey = $P/$tenant/client.key
chukan.network.url = $SIMURL
chukan.network.caFile = $P/ca.pem
chukan.network.trustAnchor = $P/ca.pem
chukan.network.retryAttempts = 3
CONF
  "$CTL" --config "$T/$name.properties" tenant add "$tenant" --name "$name" --institution "$inst" >/dev/null
  "$CTL" --config "$T/$name.properties" system add "$tenant" --id juki --name "$name juki" --cert "$P/$tenant/juki.pem" \
    --operations fugo.register,replica.register,inquiry,review --jimu JM01000000121000 >/dev/null
  "$GW" --config="$T/$name.properties" >"$T/$name.out" 2>"$T/$name.err" &
  PIDS+=($!)
  wait_for_line "$T/$name.out" "listening on https://" 20 || fail "gateway $name did not start: $(cat "$T/$name.err")"
  local port
  port=$(sed -n 's#.*listening on https://127.0.0.1:\([0-9]*\).*#\1#p' "$T/$name.out")
  eval "${name}_URL=https://127.0.0.1:$port"
  curl -sS --fail --cacert "$P/ca.pem" --cert "$P/network/client.pem" --key "$P/network/client.key" \
    -H 'Content-Type: application/json' -d "{\"code\":\"$inst\",\"endpoint\":\"https://127.0.0.1:$port\"}" \
    "$SIMURL/sim/v1/institutions" >/dev/null || fail "could not register $name with the network"
}
start_gateway chiba 121002 $CHIBA
start_gateway hofu 352063 $HOFU
pass "ipn-sim and two gateways up"

as() { # TENANT curl-args…
  local t=$1; shift
  curl -sS --cacert "$P/ca.pem" --cert "$P/$t/juki.pem" --key "$P/$t/juki.key" "$@"
}

# --- 符号: the same two (synthetic) residents known to both cities under their own atena numbers
r=$(as 352063 -d '{"records":[{"atenaNo":"000000000000777","juminhyoCode":"12345678901"},{"atenaNo":"000000000000778","juminhyoCode":"12345678902"}]}' "$hofu_URL/api/v1/fugo")
echo "$r" | grep -q '"accepted":2' || fail "防府市 符号 registration: $r"
r=$(as 121002 -d '{"records":[{"atenaNo":"000000000000101","juminhyoCode":"12345678901"},{"atenaNo":"000000000000102","juminhyoCode":"12345678902"}]}' "$chiba_URL/api/v1/fugo")
echo "$r" | grep -q '"accepted":2' || fail "千葉市 符号 registration: $r"
pass "符号 obtained through the network by both cities"

# --- 副本 at 防府市: person 777 answered automatically, person 778 flagged 自動応答不可
replica() { # RECORD ATENA AUTO DATA
cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<ReplicaRegistration xmlns="urn:chukan:replica:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <MessageHeader><MessageID>MSG-$1</MessageID><MessageType>ReplicaRegistration</MessageType><Mode>live</Mode>
    <SourceSystem>yobou</SourceSystem><DestinationSystem>chukan</DestinationSystem></MessageHeader>
  <Records><Record><RecordID>$1</RecordID><Operation>register</Operation><TougouAtenaNo>$2</TougouAtenaNo>
    <DataItemCode>TM00000000000002</DataItemCode><DataSetKey>2026</DataSetKey><Version>1</Version>
    <PublishFrom>2020-04-01</PublishFrom><AutoAnswer>$3</AutoAnswer><Data><![CDATA[$4]]></Data></Record></Records>
</ReplicaRegistration>
XML
}
r=$(as 352063 --data-binary "$(replica R777 000000000000777 true '<接種記録><回数>3</回数><秘密の値>SECRET-PAYLOAD-7</秘密の値></接種記録>')" "$hofu_URL/api/v1/replica")
echo "$r" | grep -q '"accepted":1' || fail "replica 777: $r"
r=$(as 352063 --data-binary "$(replica R778 000000000000778 false '<接種記録><回数>1</回数></接種記録>')" "$hofu_URL/api/v1/replica")
echo "$r" | grep -q '"accepted":1' || fail "replica 778: $r"
pass "副本 registered at 防府市"

inquiry() { # ID ATENA ITEM
cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<InquiryRequest xmlns="urn:chukan:inquiry:1">
  <MessageHeader><MessageID>$1</MessageID><MessageType>InquiryRequest</MessageType><Mode>live</Mode>
    <SourceSystem>kenko</SourceSystem><DestinationSystem>chukan</DestinationSystem></MessageHeader>
  <Inquiry><TougouAtenaNo>$2</TougouAtenaNo><JimuCode>JM01000000121000</JimuCode><JimuTetsuzukiCode>JT01010000000214</JimuTetsuzukiCode>
  <DataItemCode>$3</DataItemCode><ProviderCode>$HOFU</ProviderCode>
  <Condition><ConditionKind>1</ConditionKind><YearKind>1</YearKind></Condition><ResultFormat>xml</ResultFormat></Inquiry>
</InquiryRequest>
XML
}
serial_of() { sed -n 's#.*<SerialNo>\([^<]*\)</SerialNo>.*#\1#p'; }
wait_result() { # SERIAL → final XML on stdout
  local s=$1 out
  for _ in $(seq 1 100); do
    out=$(as 121002 "$chiba_URL/api/v1/inquiries/result?serial=$s")
    if echo "$out" | grep -q "<Status>completed</Status>\|<Status>aborted</Status>"; then echo "$out"; return 0; fi
    sleep 0.2
  done
  echo "$out"; return 1
}

# --- permitted, answered automatically (bounded synchronous wait)
out=$(as 121002 --data-binary "$(inquiry INQ-0001 000000000000101 TM00000000000002)" "$chiba_URL/api/v1/inquiries?wait=10")
serial=$(echo "$out" | serial_of)
[ -n "$serial" ] || fail "no 処理通番: $out"
res=$(wait_result "$serial") || fail "inquiry did not complete: $res"
echo "$res" | grep -q "SECRET-PAYLOAD-7" || fail "result lacks the provided data: $res"
echo "$res" | grep -q "<DetailStatus>09</DetailStatus>" || fail "result is not normal: $res"
pass "online inquiry answered automatically ($serial)"

# --- refusals before anything leaves
code=$(as 121002 -o "$T/reply" -w '%{http_code}' --data-binary "$(inquiry INQ-0002 000000000000101 TM00000000000099)" "$chiba_URL/api/v1/inquiries")
[ "$code" = 403 ] && grep -q "の照会は許可されていません。" "$T/reply" || fail "unpermitted item ($code): $(cat "$T/reply")"
code=$(as 121002 -o "$T/reply" -w '%{http_code}' --data-binary "$(inquiry INQ-0003 000000000000999 TM00000000000002)" "$chiba_URL/api/v1/inquiries")
[ "$code" = 409 ] && grep -q "は符号が未取得です。" "$T/reply" || fail "no 符号 ($code): $(cat "$T/reply")"
pass "unpermitted and no-符号 inquiries refused with the known texts"

# --- held at 防府市, released by two different reviewers
out=$(as 121002 --data-binary "$(inquiry INQ-0004 000000000000102 TM00000000000002)" "$chiba_URL/api/v1/inquiries")
held=$(echo "$out" | serial_of)
for _ in $(seq 1 50); do
  holds=$(as 352063 "$hofu_URL/api/v1/holds")
  echo "$holds" | grep -q holdId && break
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
echo "$res" | grep -q "<回数>1</回数>" || fail "approved result lacks the data: $res"
pass "held item provided after two reviewers"

# --- records on both sides, chains intact
for side in chiba hofu; do
  n=$(sqlite3 "$T/$side/chukan.db" "SELECT COUNT(*) FROM provision_records")
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
echo "e2e_exchange: all passed"
