#!/usr/bin/env bash
# console_api: the staff console API over mutual TLS with a terminal certificate — chukanctl staff, login, cookie flags, CSRF, four eyes on a real hold, records, CSV, logout, audit chain.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/e2e_lib.bash"

cat >"$T/console.properties" <<CONF
chukan.console.dir = $CHUKAN_SRC/gateway/console
CONF
e2e_start_network
e2e_start_gateway chiba 121002 $CHIBA "$T/console.properties"
e2e_start_gateway hofu 352063 $HOFU "$T/console.properties"
ctl() { "$CTL" --config "$T/hofu.properties" "$@"; }
pass "ipn-sim and two gateways up"

# --- terminal and staff, by the administrator's CLI
ctl system add 352063 --id terminal-1 --name "審査端末1" --cert "$P/352063/terminal.pem" --operations console >/dev/null
ctl staff --help | grep -q "chukanctl staff add TENANT LOGIN_ID" || fail "staff --help"
otp_of() { sed -n 's/^one-time password for [a-z0-9._-]* (shown once; the first login must change it): \(.*\)$/\1/p'; }
OTP_A=$(ctl staff add 352063 sato.hanako --name "佐藤 花子" --role reviewer | otp_of)
[ ${#OTP_A} = 23 ] || fail "no one-time password for sato.hanako"
PW_B='Shinsa-Kakunin-2026#'
echo "$PW_B" | ctl staff add 352063 suzuki.ichiro --name "鈴木 一郎" --role reviewer --password-stdin >/dev/null
PW_OP='Unyou-Tantou-2026#'
echo "$PW_OP" | ctl staff add 352063 yamada.taro --name "山田 太郎" --role operator --password-stdin >/dev/null
PW_AU='Kansa-Tantou-2026#'
echo "$PW_AU" | ctl staff add 352063 kansa.jiro --name "監査 次郎" --role auditor --password-stdin >/dev/null
set +e
ctl staff add 352063 sato.hanako --name x --role reviewer >/dev/null 2>"$T/dup.err"; rc=$?
ctl staff add 352063 ok.id --name x --role root >/dev/null 2>"$T/role.err"; rc2=$?
ctl staff disable 352063 nobody >/dev/null 2>"$T/nobody.err"; rc3=$?
ctl staff add 999999 x.y --name x --role reviewer >/dev/null 2>/dev/null; rc4=$?
set -e
[ $rc = 1 ] && grep -q "already exists" "$T/dup.err" || fail "duplicate staff ($rc): $(cat "$T/dup.err")"
[ $rc2 = 2 ] && grep -q "role" "$T/role.err" || fail "bad role ($rc2): $(cat "$T/role.err")"
[ $rc3 = 1 ] && grep -q "not found" "$T/nobody.err" || fail "unknown staff ($rc3): $(cat "$T/nobody.err")"
[ $rc4 = 2 ] || fail "bad tenant code ($rc4)"
ctl staff list 352063 >"$T/list"
grep -q $'^sato.hanako\treviewer\tenabled\t-\tchange-required' "$T/list" || fail "staff list: $(cat "$T/list")"
grep -q $'^suzuki.ichiro\treviewer\tenabled\t-\t-' "$T/list" || fail "staff list: $(cat "$T/list")"
pass "chukanctl staff add/list: one-time password once, --password-stdin, clear errors"

# con TENANT JAR curl-args…: curl from TENANT's staff terminal with a cookie jar
con() {
  local t=$1 jar=$2; shift 2
  curl -sS --cacert "$P/ca.pem" --cert "$P/$t/terminal.pem" --key "$P/$t/terminal.key" -b "$jar" -c "$jar" "$@"
}
API=$hofu_URL/console/api
csrf_of() { sed -n 's/.*"csrfToken":"\([0-9a-f]*\)".*/\1/p' "$1"; }
login() { # NAME PASSWORD → $T/NAME.jar, $T/NAME.login (body), $T/NAME.hdr (headers); prints the status
  con 352063 "$T/$1.jar" -o "$T/$1.login" -D "$T/$1.hdr" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"loginId\":\"$1\",\"password\":\"$2\"}" "$API/login"
}

# --- wrong certificates
code=$(curl -sS -o "$T/r" -w '%{http_code}' --cacert "$P/ca.pem" --cert "$P/352063/juki.pem" --key "$P/352063/juki.key" "$API/session")
[ "$code" = 403 ] && grep -q TERMINAL_NOT_ALLOWED "$T/r" || fail "business-system certificate at the console ($code): $(cat "$T/r")"
code=$(curl -sS -o "$T/r" -w '%{http_code}' --cacert "$P/ca.pem" --cert "$P/121002/terminal.pem" --key "$P/121002/terminal.key" "$API/session")
[ "$code" = 403 ] && grep -q TERMINAL_NOT_ALLOWED "$T/r" || fail "another institution's terminal ($code): $(cat "$T/r")"
code=$(curl -sS -o "$T/r" -w '%{http_code}' --cacert "$P/ca.pem" "$API/session" 2>/dev/null || true)
[ "$code" != 200 ] && ! grep -q csrfToken "$T/r" 2>/dev/null || fail "no client certificate was let in ($code)"
code=$(curl -sS -o "$T/r" -w '%{http_code}' --cacert "$P/ca.pem" --cert "$P/352063/terminal.pem" --key "$P/352063/terminal.key" "$hofu_URL/console/")
[ "$code" = 200 ] && grep -qi "<html" "$T/r" || fail "console page ($code)"
pass "only a registered staff terminal of the institution gets in"

# --- login: cookie flags, forced change of the one-time password
code=$(login sato.hanako "$OTP_A")
[ "$code" = 200 ] || fail "login ($code): $(cat "$T/sato.hanako.login")"
cookie=$(grep -i '^set-cookie: chukan_console=' "$T/sato.hanako.hdr" | tr -d '\r')
for flag in "; Secure" "; HttpOnly" "; SameSite=Strict" "; Path=/console"; do
  [[ "$cookie" == *"$flag"* ]] || fail "cookie lacks '$flag': $cookie"
done
[[ "$cookie" =~ chukan_console=[0-9a-f]{64}\; ]] || fail "cookie token is not 64 hex: $cookie"
grep -q '"passwordChangeRequired":true' "$T/sato.hanako.login" || fail "one-time password not flagged"
CSRF_A=$(csrf_of "$T/sato.hanako.login")
code=$(con 352063 "$T/sato.hanako.jar" -o "$T/r" -w '%{http_code}' "$API/holds")
[ "$code" = 403 ] && grep -q PASSWORD_CHANGE_REQUIRED "$T/r" || fail "holds before the password change ($code)"
PW_A='Sato-Shinsa-2026!x'
code=$(con 352063 "$T/sato.hanako.jar" -o "$T/r" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"currentPassword\":\"$OTP_A\",\"newPassword\":\"$PW_A\"}" "$API/password")
[ "$code" = 403 ] && grep -q CSRF_REJECTED "$T/r" || fail "password change without X-CSRF-Token ($code)"
code=$(con 352063 "$T/sato.hanako.jar" -o "$T/r" -w '%{http_code}' -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF_A" \
  -d "{\"currentPassword\":\"$OTP_A\",\"newPassword\":\"$PW_A\"}" "$API/password")
[ "$code" = 200 ] || fail "password change ($code): $(cat "$T/r")"
code=$(login suzuki.ichiro "$PW_B"); [ "$code" = 200 ] || fail "login suzuki.ichiro ($code)"
CSRF_B=$(csrf_of "$T/suzuki.ichiro.login")
code=$(login sato.hanako "Wrong-Password-99"); [ "$code" = 401 ] || fail "wrong password ($code)"
grep -q INVALID_CREDENTIALS "$T/sato.hanako.login" || fail "wrong password reply"
code=$(login sato.hanako "$PW_A"); [ "$code" = 200 ] || fail "login with the new password ($code)"
CSRF_A=$(csrf_of "$T/sato.hanako.login")
pass "login: HttpOnly; Secure; SameSite=Strict cookie, one-time password changed first"

# --- a held item from a real exchange (e2e_lib): 防府市 holds person 778 (自動応答不可)
r=$(as 352063 -d '{"records":[{"atenaNo":"000000000000778","juminhyoCode":"12345678902"}]}' "$hofu_URL/api/v1/fugo")
grep -q '"accepted":1' <<<"$r" || fail "防府市 符号: $r"
r=$(as 121002 -d '{"records":[{"atenaNo":"000000000000102","juminhyoCode":"12345678902"}]}' "$chiba_URL/api/v1/fugo")
grep -q '"accepted":1' <<<"$r" || fail "千葉市 符号: $r"
r=$(as 352063 --data-binary "$(e2e_replica_xml R778 000000000000778 false '<接種記録><回数>1</回数><秘密の値>HELD-PAYLOAD-8</秘密の値></接種記録>')" "$hofu_URL/api/v1/replica")
grep -q '"accepted":1' <<<"$r" || fail "replica 778: $r"
out=$(as 121002 --data-binary "$(e2e_inquiry_xml INQ-C001 000000000000102 TM00000000000002)" "$chiba_URL/api/v1/inquiries")
serial=$(echo "$out" | serial_of)
[ -n "$serial" ] || fail "no 処理通番: $out"
for _ in $(seq 1 50); do
  con 352063 "$T/sato.hanako.jar" -o "$T/holds" "$API/holds"
  grep -q holdId "$T/holds" && break
  sleep 0.2
done
hold=$(sed -n 's/.*"holdId":"\([^"]*\)".*/\1/p' "$T/holds")
[ -n "$hold" ] || fail "no hold in the console: $(cat "$T/holds")"
grep -q HELD-PAYLOAD-8 "$T/holds" && fail "the queue shows content"
con 352063 "$T/sato.hanako.jar" -o "$T/detail" "$API/holds/$hold"
grep -q HELD-PAYLOAD-8 "$T/detail" || fail "the reviewer does not see what would be provided: $(cat "$T/detail")"
pass "held item $hold in the console queue; content shown to the reviewer"

# --- operators see the queue, not the content; CSRF and origin on decisions
code=$(login yamada.taro "$PW_OP"); [ "$code" = 200 ] || fail "login yamada.taro ($code)"
code=$(con 352063 "$T/yamada.taro.jar" -o "$T/r" -w '%{http_code}' "$API/holds/$hold")
[ "$code" = 403 ] && grep -q FORBIDDEN "$T/r" || fail "operator saw the hold content ($code)"
decide() { # NAME CSRF BODY [extra curl args…] → status; reply in $T/r
  local who=$1 token=$2 body=$3; shift 3
  con 352063 "$T/$who.jar" -o "$T/r" -w '%{http_code}' -H 'Content-Type: application/json' -H "X-CSRF-Token: $token" "$@" \
    -d "$body" "$API/holds/$hold/decision"
}
code=$(decide sato.hanako "" '{"decision":"provide"}')
[ "$code" = 403 ] && grep -q CSRF_REJECTED "$T/r" || fail "decision without CSRF token ($code)"
code=$(decide sato.hanako "$CSRF_B" '{"decision":"provide"}')
[ "$code" = 403 ] && grep -q CSRF_REJECTED "$T/r" || fail "decision with another session's token ($code)"
code=$(decide sato.hanako "$CSRF_A" '{"decision":"provide"}' -H 'Origin: https://evil.example')
[ "$code" = 403 ] && grep -q CSRF_REJECTED "$T/r" || fail "decision from a foreign origin ($code)"
con 352063 "$T/sato.hanako.jar" "$API/holds/$hold" | grep -q '"firstReviewer":""' || fail "a refused call changed the hold"
pass "decisions need X-CSRF-Token of the session and a same-site origin"

# --- four eyes: the same reviewer twice is refused, a second reviewer releases it
code=$(decide sato.hanako "$CSRF_A" '{"decision":"provide"}')
[ "$code" = 200 ] && grep -q '"awaitingSecondReviewer":true' "$T/r" || fail "first approval ($code): $(cat "$T/r")"
code=$(decide sato.hanako "$CSRF_A" '{"decision":"provide"}')
[ "$code" = 403 ] && grep -q SAME_REVIEWER "$T/r" || fail "the same reviewer approved twice ($code): $(cat "$T/r")"
code=$(decide suzuki.ichiro "$CSRF_B" '{"decision":"provide"}')
[ "$code" = 200 ] && grep -q '"state":"approved"' "$T/r" || fail "second approval ($code): $(cat "$T/r")"
res=$(e2e_wait_result chiba 121002 "$serial") || fail "released item did not reach 千葉市: $res"
grep -q "HELD-PAYLOAD-8" <<<"$res" || fail "released result lacks the data: $res"
pass "hold released by two different reviewers through the console; 千葉市 got the data"

# --- records search and CSV export
code=$(con 352063 "$T/yamada.taro.jar" -o "$T/records" -w '%{http_code}' "$API/records?atena=000000000000778&kind=provision")
[ "$code" = 200 ] && grep -q '"outcome":"provided"' "$T/records" || fail "records search ($code): $(cat "$T/records")"
grep -q FUGO "$T/records" && fail "a 符号 in the records reply"
code=$(login kansa.jiro "$PW_AU"); [ "$code" = 200 ] || fail "login kansa.jiro ($code)"
code=$(con 352063 "$T/kansa.jiro.jar" -o "$T/records.csv" -D "$T/csv.hdr" -w '%{http_code}' "$API/records.csv?atena=000000000000778")
[ "$code" = 200 ] || fail "CSV export ($code)"
grep -qi '^content-type: text/csv; charset=UTF-8' "$T/csv.hdr" || fail "CSV content type: $(cat "$T/csv.hdr")"
grep -qi '^content-disposition: attachment; filename="records-352063-[0-9]\{14\}.csv"' "$T/csv.hdr" || fail "CSV file name: $(cat "$T/csv.hdr")"
[ "$(head -c 3 "$T/records.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "CSV without BOM"
head -1 "$T/records.csv" | grep -q $'seq,kind,requester_code,provider_code,jimu_code,procedure_code,item_code,atena_no,requested_at,provided_at,outcome,reason,nondisclosure,ref_id,created_at\r$' || fail "CSV header"
grep -q ',provided,' "$T/records.csv" || fail "CSV lacks the provision: $(cat "$T/records.csv")"
code=$(con 352063 "$T/sato.hanako.jar" -o "$T/r" -w '%{http_code}' "$API/records.csv")
[ "$code" = 403 ] || fail "reviewer exported records ($code)"
pass "records search and CSV export (BOM, CRLF, attachment); reviewers cannot export"

# --- logout: the old cookie is refused afterwards
cp "$T/yamada.taro.jar" "$T/old.jar"
# A POST without a body and without Content-Length (curl -X POST): the request has no body (RFC 9112
# 6.3). The gateway used to read it until the connection closed, answering only at the socket
# timeout (120 s): --max-time makes that hang a failure.
code=$(con 352063 "$T/yamada.taro.jar" --max-time 30 -o "$T/r" -D "$T/out.hdr" -w '%{http_code}' -X POST -H "X-CSRF-Token: $(csrf_of "$T/yamada.taro.login")" "$API/logout") \
  || fail "logout without Content-Length got no answer (curl exit $?, status $code)"
[ "$code" = 200 ] || fail "logout ($code): $(cat "$T/r")"
grep -qi '^set-cookie: chukan_console=;.*Max-Age=0' "$T/out.hdr" || fail "logout does not clear the cookie"
code=$(curl -sS -o "$T/r" -w '%{http_code}' --cacert "$P/ca.pem" --cert "$P/352063/terminal.pem" --key "$P/352063/terminal.key" \
  -b "$T/old.jar" "$API/session")
[ "$code" = 401 ] && grep -q SESSION_INVALID "$T/r" || fail "old cookie after logout ($code): $(cat "$T/r")"
pass "logout ends the session"

# A transfer coding other than chunked: the body's end cannot be found, so 501 and the connection closes
code=$(con 352063 "$T/kansa.jiro.jar" --max-time 30 -o "$T/r" -w '%{http_code}' -X POST -H 'Transfer-Encoding: gzip' \
  -H "X-CSRF-Token: x" "$API/logout") || fail "Transfer-Encoding: gzip got no answer (curl exit $?, status $code)"
[ "$code" = 501 ] && grep -q UNSUPPORTED_TRANSFER_ENCODING "$T/r" || fail "Transfer-Encoding: gzip ($code): $(cat "$T/r")"
con 352063 "$T/kansa.jiro.jar" "$API/session" | grep -q '"loginId":"kansa.jiro"' || fail "the refused request changed the session"
pass "a POST without Content-Length has no body; an unknown transfer coding gets 501"

# --- the audit trail: every step recorded, chain intact
con 352063 "$T/kansa.jiro.jar" -o "$T/audit" "$API/audit?pageSize=200"
python3 - "$T/audit" <<'PY' || fail "audit log incomplete"
import json, sys
have = {(e["staff"], e["operation"], e["outcome"]) for e in json.load(open(sys.argv[1]))["entries"]}
need = [("chukanctl", "staff.add", "ok"), ("chukanctl", "staff.add", "conflict"),
        ("sato.hanako", "login", "ok"), ("sato.hanako", "login", "failed"),
        ("sato.hanako", "password.change", "ok"), ("sato.hanako", "password.change", "denied"),
        ("sato.hanako", "hold.view", "ok"), ("yamada.taro", "hold.view", "denied"),
        ("sato.hanako", "hold.decide", "ok"), ("sato.hanako", "hold.decide", "denied"),
        ("suzuki.ichiro", "hold.decide", "ok"), ("yamada.taro", "record.search", "ok"),
        ("kansa.jiro", "record.export", "ok"), ("sato.hanako", "record.export", "denied"),
        ("yamada.taro", "logout", "ok")]
missing = [n for n in need if n not in have]
if missing:
    print("audit log lacks", missing, file=sys.stderr)
    sys.exit(1)
PY
con 352063 "$T/kansa.jiro.jar" "$API/audit/verify" | grep -q '"ok":true' || fail "console audit verify"
ctl audit verify --tenant 352063 >"$T/verify" || fail "chukanctl audit verify: $(cat "$T/verify")"
grep -q "352063.*intact" "$T/verify" || fail "audit verify output: $(cat "$T/verify")"
pass "audit log records logins, failures, decisions, exports, logout; chukanctl audit verify passes"

# --- privacy: no password, one-time password or session token in the gateway's logs
token=$(sed -n 's/.*chukan_console\t\([0-9a-f]\{64\}\).*/\1/p' "$T/sato.hanako.jar" | head -1)
for secret in "$OTP_A" "$PW_A" "$PW_B" "$PW_OP" "$PW_AU" ${token:+"$token"}; do
  if grep -qaF -- "$secret" "$T/hofu.out" "$T/hofu.err"; then fail "a secret reached the gateway log"; fi
done
if e2e_sql hofu "SELECT detail FROM audit_log" | grep -qaF -e "$OTP_A" -e "$PW_A"; then fail "a password in the audit log"; fi
pass "no password or token in the logs"
echo "console_api: all passed"
