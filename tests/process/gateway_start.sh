#!/usr/bin/env bash
# gateway_start: the gateway refuses broken settings by key, serves /health over mutual TLS, and rejects strangers.
source "$(dirname "$0")/lib.bash"
GW=$CHUKAN_BIN/chukan-gateway
CTL=$CHUKAN_BIN/chukanctl

"$GW" --help | grep -q -- "--config" || fail "gateway --help does not document --config"
"$CTL" --help | grep -q "db" || fail "chukanctl --help does not list db"
pass "--help on both binaries"

mini_pki "$T/pki"
write_conf() {
  cat >"$T/gw.properties" <<CONF
chukan.node.id = proc-1
chukan.data.dir = $T/data
chukan.store.backend = ${BACKEND:-sqlite}
chukan.listen.host = 127.0.0.1
chukan.listen.port = 0
chukan.tls.certificate = $T/pki/server.pem
chukan.tls.privateKey = $T/pki/server.key
chukan.tls.caFile = $T/pki/ca.pem
CONF
}

# A broken setting names the key and exits 78 without creating the store.
BACKEND=postgres write_conf
set +e
"$GW" --config="$T/gw.properties" >"$T/out" 2>"$T/err"; rc=$?
set -e
[ "$rc" = 78 ] || fail "expected exit 78 for a bad backend, got $rc"
grep -q "chukan.store.backend: must be 'sqlite' or 'mariadb', got 'postgres'" "$T/err" || fail "error does not name the key: $(cat "$T/err")"
[ ! -e "$T/data/chukan.db" ] || fail "store created despite bad configuration"
pass "bad setting refused by key"

write_conf
sed -i 's#^chukan.tls.caFile = .*#chukan.tls.caFile = /nonexistent/ca.pem#' "$T/gw.properties"
set +e
"$GW" --config="$T/gw.properties" >"$T/out" 2>"$T/err"; rc=$?
set -e
[ "$rc" = 78 ] || fail "expected exit 78 for a missing CA file, got $rc"
grep -q "chukan.tls.caFile: file '/nonexistent/ca.pem' does not exist" "$T/err" || fail "missing CA not named: $(cat "$T/err")"
pass "missing TLS file refused by key"

# A good configuration: starts, migrates, answers /health to a known client only.
write_conf
"$GW" --config="$T/gw.properties" >"$T/gw.out" 2>"$T/gw.err" &
PIDS+=($!)
wait_for_line "$T/gw.out" "listening on https://" 20 || fail "gateway did not start: $(cat "$T/gw.err")"
port=$(sed -n 's#.*listening on https://127.0.0.1:\([0-9]*\).*#\1#p' "$T/gw.out")
health=$(curl -sS --cacert "$T/pki/ca.pem" --cert "$T/pki/client.pem" --key "$T/pki/client.key" "https://127.0.0.1:$port/health")
grep -q '"status":"ok"' <<<"$health" || fail "health not ok: $health"
grep -q '"schemaVersion":' <<<"$health" || fail "health lacks schema version: $health"
pass "health over mutual TLS: $health"

if curl -sS --cacert "$T/pki/ca.pem" "https://127.0.0.1:$port/health" >/dev/null 2>&1; then
  fail "a client without a certificate was served"
fi
if curl -sS --cacert "$T/pki/ca.pem" --cert "$T/pki/stranger.pem" --key "$T/pki/stranger.key" "https://127.0.0.1:$port/health" >/dev/null 2>&1; then
  fail "a client with an untrusted certificate was served"
fi
if curl -sS --tls-max 1.1 --cacert "$T/pki/ca.pem" --cert "$T/pki/client.pem" --key "$T/pki/client.key" "https://127.0.0.1:$port/health" >/dev/null 2>&1; then
  fail "TLS 1.1 was accepted"
fi
pass "no certificate, untrusted certificate and TLS 1.1 all refused"

code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$T/pki/ca.pem" --cert "$T/pki/client.pem" --key "$T/pki/client.key" "https://127.0.0.1:$port/nope")
[ "$code" = 404 ] || fail "unknown path answered $code"
pass "unknown path is a typed 404"

# chukanctl on the same store: migrate is a no-op, tenants validate their check digit.
"$CTL" --config "$T/gw.properties" db migrate | grep -q "nothing to do" || fail "re-migration was not a no-op"
set +e
"$CTL" --config "$T/gw.properties" tenant add 121003 --name X --institution 1210030000000000 2>"$T/err"; rc=$?
set -e
[ "$rc" = 2 ] || fail "bad tenant code accepted (rc $rc)"
grep -q "check digit is 3, expected 2" "$T/err" || fail "bad tenant code error unclear: $(cat "$T/err")"
"$CTL" --config "$T/gw.properties" tenant add 121002 --name 千葉市 --institution 1210020000000000 >/dev/null
"$CTL" --config "$T/gw.properties" tenant list | grep -q "^121002" || fail "tenant not listed"
pass "chukanctl db migrate / tenant add on the gateway's store"
echo "gateway_start: all passed"
