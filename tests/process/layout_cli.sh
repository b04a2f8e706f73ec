#!/usr/bin/env bash
# layout_cli: chukanctl layout decode/encode/list and convert round-trip synthetic files and report bad records by exit code.
source "$(dirname "$0")/lib.bash"
CTL=$(cd "$CHUKAN_BIN" && pwd)/chukanctl
CHUKAN_SRC=$(cd "$CHUKAN_SRC" && pwd)
L=(--layouts "$CHUKAN_SRC/conf/layouts")
cd "$T"   # no config file here: these commands must not need one

"$CTL" layout --help | grep -q "layout decode" || fail "layout --help"
"$CTL" convert --help | grep -q -- "--from" || fail "convert --help"
pass "--help"

"$CTL" layout list "${L[@]}" >list.out
grep -qP '^bulk_inquiry\t220 bytes\tcp932\tcrlf\t18 fields' list.out || fail "layout list: $(cat list.out)"
grep -q '^juki_resident' list.out && grep -q '^zeimu_resident_tax' list.out || fail "layout list misses layouts"
CHUKAN_LAYOUTS="$CHUKAN_SRC/conf/layouts" "$CTL" layout list | grep -q '^juki_resident' || fail "\$CHUKAN_LAYOUTS"
pass "layout list"

# JSON lines -> fixed-length CP932 -> JSON lines.
cat >in.jsonl <<'JSON'
{"atena_no":"000000000000001","juminhyo_code":"00000000042","name_kanji":"山田　太郎","name_kana":"ヤマダ　タロウ","sex":"1","birth_date":"1989-01-07","address":"千葉県千葉市中央区千葉港１番１号","change_reason":"01","change_date":"2019-05-01","status":"1","filler":""}
{"atena_no":"000000000000002","juminhyo_code":"","name_kanji":"髙橋　花子","name_kana":"タカハシ　ハナコ","sex":"2","birth_date":"2019-05-01","address":"千葉県千葉市美浜区～①","change_reason":"02","change_date":"2019-05-01","status":"1","filler":""}
JSON
"$CTL" layout encode --layout juki_resident "${L[@]}" <in.jsonl >juki.dat
[ "$(stat -c %s juki.dat)" = $((2 * 282)) ] || fail "encoded size $(stat -c %s juki.dat)"
head -c 26 juki.dat | grep -q '^00000000000000100000000042$' || fail "atena/juminhyo bytes"
# 山田 in CP932 is 8E 52 93 63; 髙 is the IBM extension FB FC.
od -An -tx1 -j26 -N4 juki.dat | grep -q '8e 52 93 63' || fail "name_kanji is not CP932"
grep -c $'\r$' juki.dat | grep -q '^2$' || fail "records are not CRLF-terminated"
"$CTL" layout decode --layout juki_resident "${L[@]}" juki.dat >out.jsonl
[ "$(wc -l <out.jsonl)" = 2 ] || fail "decode lines: $(cat out.jsonl)"
grep -q '"name_kanji":"髙橋　花子"' out.jsonl || fail "decoded name: $(cat out.jsonl)"
grep -q '"birth_date":"1989-01-07"' out.jsonl || fail "wareki decoded to Gregorian"
grep -q '"address":"千葉県千葉市美浜区～①"' out.jsonl || fail "cp932 extensions"
"$CTL" layout encode --layout juki_resident "${L[@]}" <out.jsonl >juki2.dat
cmp juki.dat juki2.dat || fail "encode(decode(x)) != x"
pass "layout encode/decode round trip"

# A file with good and bad records: good ones on stdout, bad ones on stderr, exit 1.
{ head -c 282 juki.dat; head -c 282 juki.dat | LC_ALL=C sed 's/^\(.\{126\}\)1/\15/'; printf 'short\r\n'; tail -c 282 juki.dat; } >mixed.dat
set +e
"$CTL" layout decode --layout juki_resident "${L[@]}" mixed.dat >mixed.out 2>mixed.err; rc=$?
set -e
[ "$rc" = 1 ] || fail "bad records must exit 1, got $rc"
[ "$(wc -l <mixed.out)" = 2 ] || fail "good records of a mixed file: $(cat mixed.out)"
grep -q 'record 2, field sex, byte offset 408: code .5. is not one of 1, 2, 9 \[raw 35\]' mixed.err || fail "$(cat mixed.err)"
grep -q 'record 3, byte offset 564: record is 5 bytes' mixed.err || fail "$(cat mixed.err)"
grep -q '4 records read, 2 good, 2 bad' mixed.err || fail "summary: $(cat mixed.err)"
set +e
"$CTL" layout decode --layout juki_resident "${L[@]}" --error-limit 1 mixed.dat >limit.out 2>limit.err; rc=$?
set -e
[ "$rc" = 1 ] && grep -q 'stopped at the error limit' limit.err && [ "$(wc -l <limit.out)" = 1 ] || fail "error limit"
pass "bad records reported with exit 1"

# Encode errors are reported per line and the good lines still come out.
printf '%s\n' '{"atena_no":"1","fiscal_year":"2024","taxable_income":"-1250000","per_capita_levy":"5000","income_levy":0,"correction_reason":"00"}' \
  '{"atena_no":"1","fiscal_year":"12345","taxable_income":"1","per_capita_levy":"1","income_levy":"1","correction_reason":"00"}' \
  'not json' >tax.jsonl
set +e
"$CTL" layout encode --layout zeimu_resident_tax "${L[@]}" <tax.jsonl >tax.dat 2>tax.err; rc=$?
set -e
[ "$rc" = 1 ] || fail "encode with bad lines must exit 1, got $rc"
[ "$(stat -c %s tax.dat)" = 64 ] || fail "one 64-byte record expected"
grep -q '^line 2: field fiscal_year: value is 5 digits, the field holds 4' tax.err || fail "$(cat tax.err)"
grep -q '^line 3: not valid JSON' tax.err || fail "$(cat tax.err)"
head -c 31 tax.dat | grep -q '^0000000000000012024-00001250000$' || fail "zeimu bytes: $(head -c 31 tax.dat)"
pass "encode errors per line"

# convert: utf-8 -> cp932 -> utf-8 and shift_jis's WAVE DASH.
printf '中間サーバー ～①髙 ｱｲｳ\n' >text.utf8
"$CTL" convert --from utf-8 --to cp932 <text.utf8 >text.cp932
"$CTL" convert --from cp932 --to utf-8 <text.cp932 >back.utf8
cmp text.utf8 back.utf8 || fail "convert round trip"
cmp <(iconv -f CP932 -t UTF-8 <text.cp932 2>/dev/null || cat back.utf8) back.utf8 || fail "differs from iconv"
printf '\x81\x60' | "$CTL" convert --from shift_jis --to utf-8 | grep -q '〜' || fail "shift_jis 0x8160 is U+301C"
printf '\x81\x60' | "$CTL" convert --from cp932 --to utf-8 | grep -q '～' || fail "cp932 0x8160 is U+FF5E"
printf '\x81\x60' | "$CTL" convert --from shift_jis --to cp932 >/dev/null 2>wave.err && fail "U+301C has no cp932 form"
grep -q 'input byte offset 0' wave.err || fail "$(cat wave.err)"
set +e
printf 'abc\x87\x40' | "$CTL" convert --from shift_jis --to utf-8 >bad.out 2>bad.err; rc=$?
set -e
[ "$rc" = 1 ] && [ ! -s bad.out ] && grep -q 'input byte offset 3' bad.err || fail "NEC row 13 in shift_jis: $rc $(cat bad.err)"
set +e
printf 'ab\xF0\x40' | "$CTL" convert --from cp932 --to utf-8 >/dev/null 2>gaiji.err; rc=$?
set -e
[ "$rc" = 1 ] && grep -q '外字 0xF040' gaiji.err || fail "外字 without a table"
printf 'ab\xF0\x40' | "$CTL" convert --from cp932 --to utf-8 --gaiji "$CHUKAN_SRC/conf/gaiji/sample.tsv" | od -An -tx1 |
  grep -q '61 62 ee 80 80' || fail "外字 with the sample table"
set +e
"$CTL" convert --from utf-8 </dev/null 2>/dev/null; rc=$?
set -e
[ "$rc" = 2 ] || fail "missing --to must be usage (2), got $rc"
pass "convert"

set +e
"$CTL" layout decode --layout nosuch "${L[@]}" juki.dat 2>/dev/null; rc=$?
set -e
[ "$rc" = 78 ] || fail "missing layout must exit 78, got $rc"
set +e
"$CTL" layout decode juki.dat 2>/dev/null; rc=$?
set -e
[ "$rc" = 2 ] || fail "missing --layout must exit 2, got $rc"
pass "usage and missing layout"
