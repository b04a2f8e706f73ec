#!/usr/bin/env bash
# cms_interop: chukanctl seal/open interoperate with `openssl cms` (RSA-OAEP and ECDH, AES-256-GCM); verify-permit accepts an openssl-signed permit and refuses bad ones.
source "$(dirname "$0")/lib.bash"
CTL=$CHUKAN_BIN/chukanctl

for c in seal open verify-permit; do
  "$CTL" "$c" --help | grep -q "usage: chukanctl $c" || fail "$c --help"
done
"$CTL" --help | grep -q "verify-permit" || fail "chukanctl --help does not list verify-permit"
pass "--help on seal, open, verify-permit"

"$CHUKAN_SRC/scripts/pki" "$T/pki" >/dev/null
"$CHUKAN_SRC/scripts/pki" "$T/pki" >/dev/null # idempotent
P=$T/pki
grep -q "^1210020000000000 121002 rsa$" "$P/institutions" || fail "121002 should get an RSA encryption key"
grep -q "^3520630000000000 352063 ec$" "$P/institutions" || fail "352063 should get an EC encryption key"
openssl verify -CAfile "$P/ca.pem" "$P/network/signing.pem" "$P/121002/juki.pem" >/dev/null || fail "pki chain"
pass "scripts/pki"

"$CHUKAN_SRC/scripts/pki" "$T/pki-ec" --encryption ec >/dev/null || fail "pki --encryption ec"
[ "$(grep -c ' ec$' "$T/pki-ec/institutions")" = 2 ] || fail "--encryption ec left an RSA encryption key"
openssl pkey -in "$T/pki-ec/121002/encryption.key" -noout -text | grep -q 'ASN1 OID: prime256v1' ||
  fail "121002's encryption key is not EC P-256 with --encryption ec"
"$CHUKAN_SRC/scripts/pki" "$T/pki-rsa" --encryption rsa >/dev/null || fail "pki --encryption rsa"
[ "$(grep -c ' rsa$' "$T/pki-rsa/institutions")" = 2 ] || fail "--encryption rsa left an EC encryption key"
set +e
"$CHUKAN_SRC/scripts/pki" "$T/pki-bad" --encryption dsa >/dev/null 2>"$T/pki-bad.err"; rc=$?
set -e
[ "$rc" = 2 ] && grep -q "'dsa' is not mixed, rsa or ec" "$T/pki-bad.err" || fail "pki --encryption dsa: rc=$rc"
[ ! -e "$T/pki-bad/root/ca.key" ] || fail "pki --encryption dsa wrote keys"
pass "scripts/pki --encryption ec|rsa, a bad kind refused"

printf '<result><item>接種記録 2025-04-01</item></result>\n' >"$T/plain"
head -c 3000 /dev/urandom >>"$T/plain"

for tenant in 121002 352063; do
  cert=$P/$tenant/encryption.pem
  key=$P/$tenant/encryption.key

  # chukanctl seal -> openssl cms -decrypt
  "$CTL" seal --recipient "$cert" <"$T/plain" >"$T/$tenant.der" || fail "$tenant: seal"
  openssl cms -cmsout -print -inform DER -in "$T/$tenant.der" >"$T/$tenant.txt"
  grep -q "authEnvelopedData" "$T/$tenant.txt" || fail "$tenant: not AuthEnvelopedData"
  grep -q "aes-256-gcm\|id-aes256-GCM" "$T/$tenant.txt" || fail "$tenant: not AES-256-GCM"
  if [ "$tenant" = 121002 ]; then
    grep -q "rsaesOaep" "$T/$tenant.txt" || fail "RSA recipient without OAEP"
  else
    grep -q "dhSinglePass-stdDH-sha256kdf-scheme" "$T/$tenant.txt" || fail "EC recipient without ECDH/SHA-256 KDF"
  fi
  openssl cms -decrypt -inform DER -in "$T/$tenant.der" -recip "$cert" -inkey "$key" -binary \
    -out "$T/$tenant.openssl" || fail "$tenant: openssl cms -decrypt"
  cmp -s "$T/plain" "$T/$tenant.openssl" || fail "$tenant: openssl opened different bytes"
  pass "$tenant: chukanctl seal -> openssl cms -decrypt"

  # openssl cms -encrypt -> chukanctl open (DER, PEM, with and without --cert)
  keyopts=()
  [ "$tenant" = 121002 ] && keyopts=(-keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256)
  openssl cms -encrypt -binary -aes-256-gcm -in "$T/plain" -outform DER -recip "$cert" "${keyopts[@]}" \
    -out "$T/$tenant.ossl.der" || fail "$tenant: openssl cms -encrypt"
  "$CTL" open --key "$key" --cert "$cert" <"$T/$tenant.ossl.der" >"$T/$tenant.opened" || fail "$tenant: open"
  cmp -s "$T/plain" "$T/$tenant.opened" || fail "$tenant: chukanctl opened different bytes"
  "$CTL" open --key "$key" <"$T/$tenant.ossl.der" | cmp -s "$T/plain" - || fail "$tenant: open without --cert"
  openssl cms -encrypt -binary -aes-256-gcm -in "$T/plain" -outform PEM -recip "$cert" \
    -out "$T/$tenant.ossl.pem" || fail "$tenant: openssl cms -encrypt PEM"
  "$CTL" open --key "$key" <"$T/$tenant.ossl.pem" | cmp -s "$T/plain" - || fail "$tenant: open PEM"
  "$CTL" seal --pem --recipient "$cert" <"$T/plain" | "$CTL" open --key "$key" | cmp -s "$T/plain" - ||
    fail "$tenant: seal --pem | open"
  pass "$tenant: openssl cms -encrypt -aes-256-gcm ${keyopts[*]:-} -> chukanctl open"
done

# Wrong key: sealed for 121002, opened with 352063's key (and with another RSA key): exit 1, no output.
set +e
"$CTL" open --key "$P/352063/encryption.key" <"$T/121002.der" >"$T/wrong.out" 2>"$T/wrong.err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "wrong key: expected exit 1, got $rc"
[ ! -s "$T/wrong.out" ] || fail "wrong key: plaintext was written"
grep -q "CORRUPTION" "$T/wrong.err" || fail "wrong key: message $(cat "$T/wrong.err")"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/other.key" 2>/dev/null
set +e
"$CTL" open --key "$T/other.key" <"$T/121002.der" >"$T/wrong2.out" 2>/dev/null; rc=$?
set -e
[ "$rc" = 1 ] && [ ! -s "$T/wrong2.out" ] || fail "other RSA key: expected exit 1 and no output, got $rc"
pass "wrong key refused, nothing written"

# A flipped ciphertext bit fails authentication.
size=$(stat -c %s "$T/352063.der")
cp "$T/352063.der" "$T/flipped.der"
off=$((size - 100))
byte=$(od -An -tu1 -j "$off" -N1 "$T/flipped.der" | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 1)))" | dd of="$T/flipped.der" bs=1 seek="$off" conv=notrunc 2>/dev/null
set +e
"$CTL" open --key "$P/352063/encryption.key" <"$T/flipped.der" >"$T/flipped.out" 2>/dev/null; rc=$?
set -e
[ "$rc" = 1 ] && [ ! -s "$T/flipped.out" ] || fail "flipped bit: expected exit 1 and no output, got $rc"
pass "flipped ciphertext bit refused"

# Unauthenticated EnvelopedData (AES-CBC) is refused.
openssl cms -encrypt -binary -aes-256-cbc -in "$T/plain" -outform DER -recip "$P/352063/encryption.pem" \
  -out "$T/cbc.der"
set +e
"$CTL" open --key "$P/352063/encryption.key" <"$T/cbc.der" >/dev/null 2>"$T/cbc.err"; rc=$?
set -e
[ "$rc" = 1 ] && grep -q "only AuthEnvelopedData" "$T/cbc.err" || fail "CBC EnvelopedData: expected refusal, got $rc"
pass "unauthenticated EnvelopedData refused"

# verify-permit: a permit signed with the openssl CLI by the network signing key (ECDSA P-256, SHA-256).
iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
sign_permit() { # sign_permit PAYLOAD_FILE KEY CERT OUT
  openssl dgst -sha256 -sign "$2" -out "$T/sig.bin" "$1"
  local signer
  signer=$(awk '{printf "%s\\n", $0}' "$3")
  printf '{"payload":"%s","signature":"%s","signer":"%s"}' "$(base64 -w0 "$1")" "$(base64 -w0 "$T/sig.bin")" \
    "$signer" >"$4"
}
NB=$(iso '-1 hour'); EX=$(iso '+1 hour'); LATER=$(iso '+2 hours'); EARLIER=$(iso '-2 hours')
printf '{"dataItemCode":"TM00000000000002","expiry":"%s","issuedAt":"%s","jimuCode":"JM01000000121000","nonce":"n0nce-AbCdEfGhIjKl","notBefore":"%s","permitId":"P-1","procedureCode":"JT01010000000214","providerInstitution":"3520630000000000","requesterInstitution":"1210020000000000","type":"provision-permit"}' \
  "$EX" "$NB" "$NB" >"$T/permit.payload"
sign_permit "$T/permit.payload" "$P/network/signing.key" "$P/network/signing.pem" "$T/permit.json"
"$CTL" verify-permit "$T/permit.json" --trust "$P/ca.pem" --institution 3520630000000000 >"$T/vp.out" ||
  fail "valid permit refused: $(cat "$T/vp.out")"
grep -q "permit P-1 accepted" "$T/vp.out" && grep -q "requesterInstitution  1210020000000000" "$T/vp.out" ||
  fail "verify-permit output: $(cat "$T/vp.out")"
pass "verify-permit accepts an openssl-signed permit"

refused() { # refused WHAT EXPECTED_TEXT ARGS...
  local what=$1 text=$2; shift 2
  set +e
  "$CTL" verify-permit "$@" >"$T/r.out" 2>"$T/r.err"; local rc=$?
  set -e
  [ "$rc" = 1 ] || fail "$what: expected exit 1, got $rc ($(cat "$T/r.err"))"
  grep -q "$text" "$T/r.err" || fail "$what: expected '$text' in: $(cat "$T/r.err")"
  pass "verify-permit refuses: $what"
}
refused "wrong provider" "wrongly addressed" "$T/permit.json" --trust "$P/ca.pem" --institution 1210020000000000
refused "expired" "expired at $EX" "$T/permit.json" --trust "$P/ca.pem" --at "$LATER"
refused "not yet valid" "not yet valid" "$T/permit.json" --trust "$P/ca.pem" --at "$EARLIER"
sed 's/"P-1"/"P-2"/' "$T/permit.payload" >"$T/tampered.payload"
printf '{"payload":"%s","signature":"%s","signer":"%s"}' "$(base64 -w0 "$T/tampered.payload")" \
  "$(base64 -w0 "$T/sig.bin")" "$(awk '{printf "%s\\n", $0}' "$P/network/signing.pem")" >"$T/tampered.json"
refused "tampered payload" "does not verify" "$T/tampered.json" --trust "$P/ca.pem"
sign_permit "$T/permit.payload" "$P/121002/juki.key" "$P/121002/juki.pem" "$T/juki.json"
refused "TLS client certificate as signer" "documentSigning" "$T/juki.json" --trust "$P/ca.pem"
"$CHUKAN_SRC/scripts/pki" "$T/rogue" --institutions 9990000000000000:999997 >/dev/null
sign_permit "$T/permit.payload" "$T/rogue/network/signing.key" "$T/rogue/network/signing.pem" "$T/rogue.json"
refused "signer under another root" "not trusted" "$T/rogue.json" --trust "$P/ca.pem"

echo "cms_interop: all passed"
