#!/usr/bin/env bash
# replica_files: 副本 from fixed-length files over mutual TLS and through the drop folder; export and reconcile with the original.
source "$(dirname "$0")/lib.bash"
CTL=$CHUKAN_BIN/chukanctl
"$CHUKAN_SRC/scripts/pki" "$T/pki" >/dev/null
P=$T/pki
DROP=$T/drop
mkdir -p "$DROP"

cat >"$T/gw.properties" <<CONF
chukan.node.id = files-1
chukan.data.dir = $T/data
chukan.schemas.dir = $CHUKAN_SRC/conf/schemas
chukan.layouts.dir = $CHUKAN_SRC/conf/layouts
chukan.replica.dropDir = $DROP
chukan.replica.dropPollSeconds = 1
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
ctl() { "$CTL" --config "$T/gw.properties" "$@"; }

ctl tenant add 121002 --name 千葉市 --institution 1210020000000000 >/dev/null
ctl system add 121002 --id juki --name 住民基本台帳 --cert "$P/121002/juki.pem" --operations replica.register >/dev/null
ctl replica --help | grep -q "replica reconcile" || fail "replica --help"

# Synthetic residents (names and addresses are made up), encoded as the business system would.
encode() { "$CTL" layout encode --layout juki_resident --layouts "$CHUKAN_SRC/conf/layouts"; }
person() { # atena juminhyo name kana sex birth address
  printf '{"atena_no":"%s","juminhyo_code":"%s","name_kanji":"%s","name_kana":"%s","sex":"%s","birth_date":"%s","address":"%s","change_reason":"01","change_date":"2026-04-01","status":"1"}\n' "$@"
}
{
  person 000000000000101 98765432101 山田　太郎 ヤマダ　タロウ 1 3550515 千葉県千葉市中央区千葉港１－１
  person 000000000000102 98765432102 鈴木　花子 スズキ　ハナコ 2 4010108 千葉県千葉市美浜区高洲３－２
  person 000000000000103 98765432103 佐藤　一郎 サトウ　イチロウ 1 5010501 千葉県千葉市花見川区幕張町５
} | encode >"$T/juki.dat"
[ "$(stat -c %s "$T/juki.dat")" = $((3 * 282)) ] || fail "encoded size $(stat -c %s "$T/juki.dat")"

"$CHUKAN_BIN/chukan-gateway" --config="$T/gw.properties" >"$T/gw.out" 2>"$T/gw.err" &
PIDS+=($!)
wait_for_line "$T/gw.out" "listening on https://" 20 || fail "gateway did not start: $(cat "$T/gw.err")"
port=$(sed -n 's#.*listening on https://127.0.0.1:\([0-9]*\).*#\1#p' "$T/gw.out")
URL="https://127.0.0.1:$port/api/v1/replica/file?layout=juki_resident&item=TM00000000000002"
as_juki() { curl -sS --cacert "$P/ca.pem" --cert "$P/121002/juki.pem" --key "$P/121002/juki.key" \
  -H 'Content-Type: application/octet-stream' "$@"; }

reply=$(as_juki --data-binary @"$T/juki.dat" "$URL")
grep -q '"accepted":3' <<<"$reply" && grep -q '"rejected":0' <<<"$reply" || fail "upload: $reply"
reply=$(as_juki --data-binary @"$T/juki.dat" "$URL")
grep -q '"unchanged":3' <<<"$reply" && grep -q '"accepted":0' <<<"$reply" || fail "re-upload: $reply"
pass "upload over mutual TLS stores 3 records; the same file again is unchanged"

cp "$T/juki.dat" "$T/bad.dat"
printf 5 | dd of="$T/bad.dat" bs=1 seek=$((282 + 126)) conv=notrunc 2>/dev/null # 性別 5 does not exist
code=$(as_juki -o "$T/reply" -w '%{http_code}' --data-binary @"$T/bad.dat" "$URL")
[ "$code" = 200 ] && grep -q '"rejected":1' "$T/reply" && grep -q '"record":2,"field":"sex","offset":408,' "$T/reply" \
  && grep -q '"field":"sex"' "$T/reply" && grep -q '"offset":408' "$T/reply" || fail "bad record report ($code): $(cat "$T/reply")"
code=$(as_juki -o "$T/reply" -w '%{http_code}' --data-binary @"$T/juki.dat" "${URL/juki_resident/bulk_inquiry}")
[ "$code" = 400 ] && grep -q INVALID_ARGUMENT "$T/reply" || fail "a non-副本 layout was accepted ($code)"
pass "a bad record is reported by record, field and offset; other layouts are refused"

# The drop folder: a fourth resident and a move (changed address); this file is now the original.
{
  person 000000000000101 98765432101 山田　太郎 ヤマダ　タロウ 1 3550515 千葉県千葉市中央区千葉港１－１
  person 000000000000102 98765432102 鈴木　花子 スズキ　ハナコ 2 4010108 千葉県船橋市本町２－１
  person 000000000000103 98765432103 佐藤　一郎 サトウ　イチロウ 1 5010501 千葉県千葉市花見川区幕張町５
  person 000000000000104 "" 髙橋　次郎 タカハシ　ジロウ 9 2150101 千葉県千葉市若葉区～①
} | encode >"$T/original.dat"
IN=$DROP/121002/juki/incoming
mkdir -p "$IN" "$DROP/121002/nosuch/incoming"
cp "$T/original.dat" "$IN/juki_resident__TM00000000000002__20260402.part"
mv "$IN/juki_resident__TM00000000000002__20260402.part" "$IN/juki_resident__TM00000000000002__20260402.dat"
cp "$T/original.dat" "$DROP/121002/nosuch/incoming/juki_resident__TM00000000000002__x.dat"
DONE=$DROP/121002/juki/done/juki_resident__TM00000000000002__20260402.dat
wait_for_line "$DONE.report.json" '"accepted":2' 20 || fail "dropped file not imported: $(ls -R "$DROP")"
[ -f "$DONE" ] && [ ! -e "$IN/juki_resident__TM00000000000002__20260402.dat" ] || fail "dropped file not moved to done/"
grep -q '"unchanged":2' "$DONE.report.json" || fail "drop report: $(cat "$DONE.report.json")"
FAILED=$DROP/121002/nosuch/failed/juki_resident__TM00000000000002__x.dat
wait_for_line "$FAILED.report.json" 'not a connected system' 20 || fail "unknown system's file not failed"
[ -f "$FAILED" ] || fail "unknown system's file lost"
pass "a dropped file is claimed, imported, reported and moved to done/; an unknown system's file goes to failed/"

ctl replica export 121002 --layout juki_resident --out "$T/export.dat" 2>"$T/export.err" || fail "export: $(cat "$T/export.err")"
[ "$(stat -c %s "$T/export.dat")" = $((4 * 282)) ] || fail "export size $(stat -c %s "$T/export.dat")"
"$CTL" layout decode --layout juki_resident --layouts "$CHUKAN_SRC/conf/layouts" "$T/export.dat" >"$T/export.jsonl"
grep -q '"atena_no":"000000000000104","juminhyo_code":"","name_kanji":"髙橋　次郎"' "$T/export.jsonl" || fail "export content: $(cat "$T/export.jsonl")"
grep -q '船橋市' "$T/export.jsonl" || fail "export lacks the changed address"
ctl replica export 121002 --layout juki_resident --format csv --encoding utf-8 >"$T/export.csv" 2>/dev/null
head -1 "$T/export.csv" | grep -q '^atena_no,name_kanji,name_kana,sex,birth_date,address,' || fail "csv header: $(head -1 "$T/export.csv")"
[ "$(wc -l <"$T/export.csv")" = 5 ] || fail "csv lines"
if grep -q juminhyo "$T/export.csv"; then fail "csv carries a 住民票コード column"; fi
pass "export as fixed-length (住民票コード blank) and CSV"

ctl replica reconcile 121002 "$T/original.dat" --layout juki_resident >"$T/rec.out" 2>"$T/rec.err" || fail "reconcile of the same data: $(cat "$T/rec.out" "$T/rec.err")"
[ ! -s "$T/rec.out" ] && grep -q identical "$T/rec.err" || fail "reconcile output: $(cat "$T/rec.out" "$T/rec.err")"
pass "reconcile: the original and the 副本 are identical ($(cat "$T/rec.err"))"

cp "$T/original.dat" "$T/changed.dat"
printf 1 | dd of="$T/changed.dat" bs=1 seek=$((282 + 126)) conv=notrunc 2>/dev/null # 鈴木: sex 2 -> 1
person 000000000000105 "" 伊藤　三郎 イトウ　サブロウ 1 4100101 千葉県千葉市緑区 | encode >>"$T/changed.dat"
set +e
ctl replica reconcile 121002 "$T/changed.dat" --layout juki_resident >"$T/rec.out" 2>"$T/rec.err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "reconcile with differences exited $rc: $(cat "$T/rec.err")"
grep -qP '^differs\tjuki_resident:000000000000102\tsex\t1\t2$' "$T/rec.out" || fail "field difference not listed: $(cat "$T/rec.out")"
grep -qP '^only-in-original\tjuki_resident:000000000000105\trecord 5$' "$T/rec.out" || fail "missing record not listed: $(cat "$T/rec.out")"
[ "$(wc -l <"$T/rec.out")" = 2 ] || fail "unexpected differences: $(cat "$T/rec.out")"
pass "reconcile lists a field difference and a record only in the original, exit 1"

if grep -rqa -e 98765432101 -e 98765432102 "$T/data" "$T/gw.out" "$T/gw.err" "$DROP/121002/juki/done"/*.json; then
  fail "a 住民票コード reached the store, the logs or a report"
fi
pass "no 住民票コード in the store, logs or reports"
echo "replica_files: all passed"
