#!/usr/bin/env bash
# console_browser: the staff console in headless Debian chromium (playwright-core, tests/browser) against 防府市's gateway — holds from real exchanges, staff from chukanctl.
#
# Screenshots and the exported CSV are kept in $CHUKAN_BIN/../test-artifacts/browser (the build dir).
# Needs /usr/bin/chromium, node and npm (scripts/setup); `npm ci` installs playwright-core from
# tests/browser/package-lock.json when node_modules does not hold that version yet. Never a
# downloaded browser.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/e2e_lib.bash"

BROWSER_DIR=$CHUKAN_SRC/tests/browser
ART=$(cd "$CHUKAN_BIN/.." && pwd)/test-artifacts/browser
IDLE_SECONDS=12

[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (scripts/setup installs Debian's chromium)"
command -v node >/dev/null || fail "node is missing (scripts/setup installs nodejs)"
command -v npm >/dev/null || fail "npm is missing (scripts/setup installs npm)"

# --- playwright-core from the lock file (npm ci only when the installed version is not the locked one)
want=$(node -e 'console.log(require(process.argv[1]).packages["node_modules/playwright-core"].version)' "$BROWSER_DIR/package-lock.json")
have=$(node -e 'try { console.log(require(process.argv[1]).version) } catch (e) { console.log("") }' \
  "$BROWSER_DIR/node_modules/playwright-core/package.json")
if [ "$have" != "$want" ]; then
  (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1 \
    || fail "npm ci in tests/browser: $(tail -20 "$T/npm.log")"
fi
pass "playwright-core $want from tests/browser/package-lock.json; $(/usr/bin/chromium --version 2>/dev/null | head -1)"

# --- network and gateways: 千葉市 asks, 防府市 answers and holds (its console is the one tested)
e2e_start_network
e2e_start_gateway chiba 121002 $CHIBA
# The console's files from the source tree (ctest runs in the build dir); cheaper scrypt (N = 4096)
# for the ten hashes of the five forced password changes.
printf 'chukan.console.dir = %s\nchukan.console.scryptLogN = 12\n' "$CHUKAN_SRC/gateway/console" >"$T/hofu-console.properties"
e2e_start_gateway hofu 352063 $HOFU "$T/hofu-console.properties"

# Synthetic residents: 防府市 701 answered automatically, 702 held then provided, 703 held then refused,
# 704 held and left pending (what an operator sees).
r=$(as 352063 -d '{"records":[{"atenaNo":"000000000000701","juminhyoCode":"22345678901"},{"atenaNo":"000000000000702","juminhyoCode":"22345678902"},{"atenaNo":"000000000000703","juminhyoCode":"22345678903"},{"atenaNo":"000000000000704","juminhyoCode":"22345678904"}]}' "$hofu_URL/api/v1/fugo")
grep -q '"accepted":4' <<<"$r" || fail "防府市 符号 registration: $r"
r=$(as 121002 -d '{"records":[{"atenaNo":"000000000000201","juminhyoCode":"22345678901"},{"atenaNo":"000000000000202","juminhyoCode":"22345678902"},{"atenaNo":"000000000000203","juminhyoCode":"22345678903"},{"atenaNo":"000000000000204","juminhyoCode":"22345678904"}]}' "$chiba_URL/api/v1/fugo")
grep -q '"accepted":4' <<<"$r" || fail "千葉市 符号 registration: $r"
for x in "701 true 3" "702 false 1" "703 false 2" "704 false 4"; do
  set -- $x
  r=$(as 352063 --data-binary "$(e2e_replica_xml R$1 000000000000$1 $2 "<接種記録><回数>$3</回数></接種記録>")" "$hofu_URL/api/v1/replica")
  grep -q '"accepted":1' <<<"$r" || fail "replica $1: $r"
done
out=$(as 121002 --data-binary "$(e2e_inquiry_xml CB-0001 000000000000201 TM00000000000002)" "$chiba_URL/api/v1/inquiries?wait=10")
serial=$(echo "$out" | serial_of)
res=$(e2e_wait_result chiba 121002 "$serial") || fail "automatic answer did not complete: $res"
grep -q "<回数>3</回数>" <<<"$res" || fail "automatic answer lacks the data: $res"
declare -A SERIAL
for n in 2 3 4; do
  out=$(as 121002 --data-binary "$(e2e_inquiry_xml CB-000$n 00000000000020$n TM00000000000002)" "$chiba_URL/api/v1/inquiries")
  SERIAL[$n]=$(echo "$out" | serial_of)
  [ -n "${SERIAL[$n]}" ] || fail "inquiry CB-000$n: $out"
done
for _ in $(seq 1 100); do
  holds=$(as 352063 "$hofu_URL/api/v1/holds")
  [ "$(echo "$holds" | grep -o '"holdId"' | wc -l)" -ge 3 ] && break
  sleep 0.2
done
[ "$(echo "$holds" | grep -o '"holdId"' | wc -l)" -ge 3 ] || fail "three holds expected at 防府市: $holds"
pass "one inquiry answered automatically, three held at 防府市"

# --- the staff terminal and the staff (one-time passwords from chukanctl; the browser changes them)
"$CTL" --config "$T/hofu.properties" system add 352063 --id terminal-1 --name "審査端末1" \
  --cert "$P/352063/terminal.pem" --operations console >/dev/null || fail "terminal registration"
declare -A NAMES=([rev.a]="審査 一郎" [rev.b]="審査 二郎" [ope.c]="運用 三子" [aud.d]="監査 四郎" [adm.e]="管理 五子")
declare -A ROLES=([rev.a]=reviewer [rev.b]=reviewer [ope.c]=operator [aud.d]=auditor [adm.e]=administrator)
state='{"passwords":{'
OTPS=()
sep=''
for id in rev.a rev.b ope.c aud.d adm.e; do
  line=$("$CTL" --config "$T/hofu.properties" staff add 352063 "$id" --name "${NAMES[$id]}" --role "${ROLES[$id]}" 2>"$T/staff.err") \
    || fail "chukanctl staff add $id: $(cat "$T/staff.err")"
  otp=$(echo "$line" | tail -1 | awk '{print $NF}')
  [ ${#otp} -ge 12 ] || fail "no one-time password for $id: $line"
  OTPS+=("$otp")
  state+="$sep\"$id\":\"$otp\""
  sep=,
done
state+='}}'
echo "$state" >"$T/console-state.json"
pass "terminal-1 registered; five staff added with one-time passwords (chukanctl staff add)"

# --- the browser suite: everything but the time-out, then the time-out on a short idle limit
rm -rf "$ART"
mkdir -p "$ART"
run_browser() { # PHASE
  CONSOLE_PHASE=$1 CONSOLE_URL=$hofu_URL CONSOLE_CERT=$P/352063/terminal.pem CONSOLE_KEY=$P/352063/terminal.key \
    CONSOLE_ARTIFACTS=$ART CONSOLE_STATE=$T/console-state.json NODE_EXTRA_CA_CERTS=$P/ca.pem \
    CONSOLE_HELD_ATENA=000000000000702 CONSOLE_REFUSED_ATENA=000000000000703 CONSOLE_AUTO_ATENA=000000000000701 \
    CONSOLE_IDLE_SECONDS=$IDLE_SECONDS \
    timeout 120 node "$BROWSER_DIR/console.test.mjs" 2>&1 | tee "$T/browser-$1.log"
  local rc=${PIPESTATUS[0]}
  if [ "$rc" != 0 ]; then
    echo "--- hofu gateway log (tail):" >&2
    tail -40 "$T/hofu.err" "$T/hofu.out" >&2 || true
    fail "browser phase $1 (exit $rc); screenshots in $ART"
  fi
}
run_browser main

# The decisions made in the browser reached 千葉市: the data two reviewers released, and the refusal.
res=$(e2e_wait_result chiba 121002 "${SERIAL[2]}") || fail "the approved hold did not complete at 千葉市: $res"
grep -q "<回数>1</回数>" <<<"$res" || fail "the approved result lacks the data: $res"
res=$(e2e_wait_result chiba 121002 "${SERIAL[3]}") || fail "the refused hold did not complete at 千葉市: $res"
grep -q "REJECTED_" <<<"$res" || fail "the refusal carries no reviewer reason code: $res"
if grep -q "<回数>2</回数>" <<<"$res"; then fail "refused data reached 千葉市"; fi
pass "千葉市 received the data released by two reviewers and the refusal with its reason code"

kill "$hofu_PID" && wait "$hofu_PID" 2>/dev/null || true
echo "chukan.console.idleTimeoutSeconds = $IDLE_SECONDS" >>"$T/hofu.properties"
e2e_restart_gateway hofu
run_browser idle

if grep -rqa "2234567890[1-4]" "$T/hofu" "$T/hofu.out" "$T/hofu.err"; then fail "a 住民票コード was kept"; fi
for pw in Kensa-Tanmatsu-2026 "${OTPS[@]}"; do
  if grep -qaF -- "$pw" "$T/hofu.out" "$T/hofu.err" "$T/chiba.out" "$T/chiba.err"; then fail "a staff password in a gateway log"; fi
done
pass "screenshots and CSV in $ART: $(ls "$ART" | wc -l) files"
echo "console_browser: all passed"
