#!/usr/bin/env bash
# synth_files: chukan-synth output decodes with chukanctl (layouts, schema, JSON), is byte-identical per seed and holds no 個人番号.
source "$(dirname "$0")/lib.bash"
SYNTH=${CHUKAN_SYNTH:-$CHUKAN_BIN/../tests/synth/chukan-synth}
CTL=$CHUKAN_BIN/chukanctl
[ -x "$SYNTH" ] || fail "chukan-synth not built at $SYNTH"

"$SYNTH" --help | grep -q "usage: chukan-synth" || fail "--help"
code=0; "$SYNTH" --out "$T/x" --count abc 2>/dev/null || code=$?
[ "$code" = 2 ] || fail "a bad --count exits $code, not 2"
pass "--help and usage errors"

"$SYNTH" --out "$T/a" --count 60 --seed 3 --batch 25 >"$T/a.out"
"$SYNTH" --out "$T/b" --count 60 --seed 3 --batch 25 >/dev/null
"$SYNTH" --out "$T/c" --count 60 --seed 4 --batch 25 >/dev/null
"$SYNTH" --out "$T/d" --count 40 --seed 3 --batch 25 >/dev/null
diff -r "$T/a" "$T/b" >/dev/null || fail "the same seed wrote different files"
if cmp -s "$T/a/352063/juki_resident.dat" "$T/c/352063/juki_resident.dat"; then fail "another seed wrote the same 住民記録"; fi
# Person i does not depend on --count: the smaller file is a prefix of the larger one.
cmp -n "$(stat -c %s "$T/d/121002/bulk_inquiry.dat")" "$T/d/121002/bulk_inquiry.dat" "$T/a/121002/bulk_inquiry.dat" \
  || fail "--count 40 is not a prefix of --count 60"
pass "deterministic for a seed, different for another, independent of the count"

code=0; "$SYNTH" --out "$T/a" --count 5 2>"$T/err" || code=$?
[ "$code" = 1 ] && grep -q "not empty" "$T/err" || fail "a non-empty directory without --force ($code)"
[ "$(ls "$T/b/121002/"fugo-*.json | wc -l)" -ge 2 ] || fail "expected several 符号 batches for 60 persons"
"$SYNTH" --out "$T/b" --count 10 --force >/dev/null || fail "--force"
[ "$(ls "$T/b/121002/"fugo-*.json | wc -l)" = 1 ] || fail "--force left an old batch file behind"
pass "a non-empty directory needs --force, which replaces the old files"

m() { python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"m": m}))' "$T/a/manifest.json" "$1"; }
decode() { # LAYOUT FILE EXPECTED_RECORDS
  "$CTL" layout decode --layout "$1" --layouts "$CHUKAN_SRC/conf/layouts" "$2" >"$T/decoded" 2>"$T/decode.err" \
    || fail "$2 does not decode as $1: $(head -3 "$T/decode.err")"
  [ ! -s "$T/decode.err" ] || fail "$2: errors: $(head -3 "$T/decode.err")"
  [ "$(wc -l <"$T/decoded")" = "$3" ] || fail "$2: $(wc -l <"$T/decoded") records, manifest says $3"
}
decode juki_resident "$T/a/352063/juki_resident.dat" "$(m "m['provider']['juki']['records']")"
decode juki_resident "$T/a/352063/juki_resident-held.dat" "$(m "m['provider']['juki']['heldRecords']")"
grep -q '"address":"山口県防府市' "$T/decoded" || fail "住民記録 without the 防府市 address"
decode juki_resident "$T/a/352063/juki_resident.dat" "$(m "m['provider']['juki']['records']")"
grep -q "髙\|﨑\|德\|彅" "$T/decoded" || fail "no IBM extension kanji in the 住民記録"
decode bulk_inquiry "$T/a/121002/bulk_inquiry.dat" "$(m "m['bulk']['records']")"
[ "$(grep -c '"teikyousha_kikan_code":"3520630000000000"' "$T/decoded")" = "$(m "m['bulk']['records']")" ] \
  || fail "a bulk record not addressed to 防府市"
[ "$(tail -n +2 "$T/a/121002/bulk_expected.csv" | wc -l)" = "$(m "m['bulk']['records']")" ] || fail "bulk_expected.csv"
for o in normal held no_data no_fugo not_permitted; do
  [ "$(m "m['bulk']['expected'].get('$o', 0)")" -gt 0 ] || fail "no bulk record expects $o"
done
pass "住民記録 and bulk inquiry decode with chukanctl layout decode, counts as in the manifest, every outcome present"

for f in $(m "' '.join(m['provider']['vaccination']['files'])"); do
  "$CTL" xml validate --schema replica-registration --schemas "$CHUKAN_SRC/conf/schemas" "$T/a/$f" >/dev/null \
    || fail "$f is not a valid ReplicaRegistration"
done
python3 - "$T/a" <<'PY' || fail "符号 request files"
import json, re, sys
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
for side in ("requester", "provider"):
    n = 0
    for f in m[side]["fugoFiles"]:
        recs = json.load(open(d + "/" + f))["records"]
        assert 1 <= len(recs) <= m["batch"], f
        for r in recs:
            assert re.fullmatch(r"[0-9]{15}", r["atenaNo"]) and re.fullmatch(r"[0-9]{11}", r["juminhyoCode"]), r
        n += len(recs)
    assert n == m[side]["fugoRecords"], (side, n)
PY
pass "予防接種 XML valid against replica-registration.xsd; 符号 request JSON well-formed, within the batch size"

# No 12-digit run anywhere that passes the 個人番号 check digit (BRIEF), in any file written.
python3 - "$T/a" <<'PY' || fail "a 個人番号 candidate in the output"
import os, re, sys
def valid(d):
    p = [int(c) for c in d[:11]][::-1]
    r = sum(p[n - 1] * (n + 1 if n <= 6 else n - 5) for n in range(1, 12)) % 11
    return int(d[11]) == (0 if r <= 1 else 11 - r)
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        data = open(os.path.join(root, f), "rb").read()
        for run in re.finditer(rb"(?<![0-9])[0-9]{12}(?![0-9])", data):
            assert not valid(run.group().decode()), (f, run.start())
PY
pass "no 個人番号 candidate in any generated file"
echo "synth_files: all passed"
