# e2e_lib.bash: ipn-sim plus gateways for end-to-end process tests (sourced after lib.bash, never run alone).
#
# e2e_start_network                     PKI in $P, ipn-sim up, $SIMURL set
# e2e_start_gateway NAME TENANT INST [EXTRA_CONFIG_FILE]
#                                       writes $T/NAME.properties, adds the tenant and a business system "juki"
#                                       (certificate $P/TENANT/juki.pem), starts the gateway, sets ${NAME}_URL and
#                                       ${NAME}_PID, registers its endpoint with the network
# e2e_restart_gateway NAME              starts the gateway of NAME again on the same configuration and port
# as TENANT curl-args…                  curl as that tenant's business system
# e2e_inquiry_xml ID ATENA ITEM         an online InquiryRequest from 千葉市 to 防府市
# e2e_replica_xml RECORD ATENA AUTO DATA  a ReplicaRegistration with one record
# e2e_wait_result NAME TENANT SERIAL    polls the result until completed/aborted; prints it
# e2e_scan_no_plaintext PATTERNS [PATH…] fails when a line of PATTERNS occurs in PATH (default: routing log, all logs)
# e2e_sim_metric NAME                   the value of ipn-sim's metric NAME (no labels), empty when absent
#
# CHUKAN_E2E_STORE=mariadb (with CHUKAN_TEST_MARIADB_* from scripts/with-mariadb) puts every gateway on
# its own database of that server instead of SQLite.
SIM=${CHUKAN_IPN_SIM:-$CHUKAN_BIN/../tests/netsim/ipn-sim}
CTL=$CHUKAN_BIN/chukanctl
GW=$CHUKAN_BIN/chukan-gateway
CHIBA=1210020000000000
HOFU=3520630000000000
P=$T/pki

e2e_start_network() {
  [ -x "$SIM" ] || fail "ipn-sim not built at $SIM"
  "$CHUKAN_SRC/scripts/pki" "$P" >/dev/null
  cat >"$T/directory.csv" <<CSV
code,tenant,name,endpoint,encryptionCertificate
$CHIBA,121002,千葉市,,pki/121002/encryption.pem
$HOFU,352063,防府市,,pki/352063/encryption.pem
CSV
  cat >"$T/sim.properties" <<CONF
ipn.listen.host = 127.0.0.1
ipn.listen.port = ${SIM_PORT:-0}
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
  SIM_PID=$!
  PIDS+=($SIM_PID)
  wait_for_line "$T/sim.out" "ipn-sim listening on https://127.0.0.1:[0-9]+" 20 || fail "ipn-sim did not start: $(cat "$T/sim.err")"
  SIMURL=https://127.0.0.1:$(sed -n 's#.*listening on https://127.0.0.1:\([0-9]*\).*#\1#p' "$T/sim.out" | tail -1)
}

e2e_store_config() { # NAME
  if [ "${CHUKAN_E2E_STORE:-sqlite}" = mariadb ]; then
    local db="chukan_e2e_$1"
    mariadb --no-defaults --socket="$CHUKAN_TEST_MARIADB_SOCKET" -uroot \
      -e "CREATE DATABASE IF NOT EXISTS $db CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    cat <<CONF
chukan.store.backend = mariadb
chukan.store.mariadb.host = $CHUKAN_TEST_MARIADB_HOST
chukan.store.mariadb.port = $CHUKAN_TEST_MARIADB_PORT
chukan.store.mariadb.user = $CHUKAN_TEST_MARIADB_USER
chukan.store.mariadb.password = $CHUKAN_TEST_MARIADB_PASSWORD
chukan.store.mariadb.database = $db
CONF
  fi
}

e2e_start_gateway() { # NAME TENANT INST [EXTRA_CONFIG_FILE]
  local name=$1 tenant=$2 inst=$3 extra=${4:-}
  {
    cat <<CONF
chukan.node.id = $name-1
chukan.data.dir = $T/$name
chukan.schemas.dir = $CHUKAN_SRC/conf/schemas
chukan.layouts.dir = $CHUKAN_SRC/conf/layouts
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
    e2e_store_config "$name"
    if [ -n "$extra" ]; then cat "$extra"; fi
  } >"$T/$name.properties"
  "$CTL" --config "$T/$name.properties" tenant add "$tenant" --name "$name" --institution "$inst" >/dev/null
  "$CTL" --config "$T/$name.properties" system add "$tenant" --id juki --name "$name juki" --cert "$P/$tenant/juki.pem" \
    --operations fugo.register,replica.register,inquiry,review --jimu JM01000000121000 >/dev/null
  eval "${name}_TENANT=$tenant"
  e2e_launch "$name"
  curl -sS --fail --cacert "$P/ca.pem" --cert "$P/network/client.pem" --key "$P/network/client.key" \
    -H 'Content-Type: application/json' -d "{\"code\":\"$inst\",\"endpoint\":\"$(e2e_url "$name")\"}" \
    "$SIMURL/sim/v1/institutions" >/dev/null || fail "could not register $name with the network"
}

e2e_url() { local v="${1}_URL"; echo "${!v}"; }

e2e_sim_metric() { # NAME
  curl -sS --fail --cacert "$P/ca.pem" --cert "$P/network/client.pem" --key "$P/network/client.key" "$SIMURL/metrics" |
    awk -v n="$1" '$1 == n { print $2 }'
}

e2e_launch() { # NAME: start (or restart) the gateway; the first start picks a port, restarts keep it
  local name=$1 port
  : >"$T/$name.out"
  "$GW" --config="$T/$name.properties" >>"$T/$name.out" 2>>"$T/$name.err" &
  eval "${name}_PID=$!"
  PIDS+=($!)
  wait_for_line "$T/$name.out" "listening on https://" 30 || fail "gateway $name did not start: $(cat "$T/$name.err")"
  port=$(sed -n 's#.*listening on https://127.0.0.1:\([0-9]*\).*#\1#p' "$T/$name.out" | tail -1)
  eval "${name}_URL=https://127.0.0.1:$port"
  # Restarts must come back on the same port: the network's directory points at it.
  if ! grep -q "^chukan.listen.port = $port\$" "$T/$name.properties"; then
    sed -i "s/^chukan.listen.port = .*/chukan.listen.port = $port/" "$T/$name.properties"
  fi
}

e2e_restart_gateway() { e2e_launch "$1"; }

as() { # TENANT curl-args…
  local t=$1; shift
  curl -sS --cacert "$P/ca.pem" --cert "$P/$t/juki.pem" --key "$P/$t/juki.key" "$@"
}

e2e_replica_xml() { # RECORD ATENA AUTO DATA
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

e2e_inquiry_xml() { # ID ATENA ITEM
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

e2e_wait_result() { # NAME TENANT SERIAL [TRIES] → final XML on stdout
  local url out
  url=$(e2e_url "$1")
  for _ in $(seq 1 "${4:-100}"); do
    out=$(as "$2" "$url/api/v1/inquiries/result?serial=$3")
    if grep -q "<Status>completed</Status>\|<Status>aborted</Status>" <<<"$out"; then echo "$out"; return 0; fi
    sleep 0.2
  done
  echo "$out"; return 1
}

e2e_sql() { # NAME SQL → the query's rows, tab-separated, on whichever store NAME uses
  if [ "${CHUKAN_E2E_STORE:-sqlite}" = mariadb ]; then
    mariadb --no-defaults --socket="$CHUKAN_TEST_MARIADB_SOCKET" -uroot -N -B "chukan_e2e_$1" -e "$2"
  else
    sqlite3 -separator $'\t' "$T/$1/chukan.db" "$2"
  fi
}

e2e_scan_no_plaintext() { # PATTERNS [PATH…]: no line of the file PATTERNS (fixed strings: synthetic names,
  # addresses, data, 住民票コード, a 個人番号 sent to be refused) in any PATH — files or directories, searched
  # recursively, binary files (databases, WAL) too. Without PATH: the network's routing log and every log of the
  # run ($T/*.out, $T/*.err, *.log under $T). The failure names the files, never the value found.
  local patterns=$1 hits
  shift
  [ -s "$patterns" ] || fail "e2e_scan_no_plaintext: $patterns is empty"
  local paths=("$@")
  if [ ${#paths[@]} = 0 ]; then
    paths=("$T/routing.log")
    for f in "$T"/*.out "$T"/*.err; do [ -f "$f" ] && paths+=("$f"); done
    while IFS= read -r f; do paths+=("$f"); done < <(find "$T" -name '*.log' ! -path "$T/routing.log")
  fi
  hits=$(LC_ALL=C grep -rlaF -f "$patterns" "${paths[@]}" 2>/dev/null || true)
  [ -z "$hits" ] || fail "plaintext from the test data ($patterns) found in: $(echo "$hits" | head -5 | paste -sd' ' -)"
}
