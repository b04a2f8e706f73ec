#!/usr/bin/env bash
# xml_cli: `chukanctl xml validate` accepts valid messages, reports line:col for invalid ones, refuses DOCTYPE/XXE without reading the file, and enforces size and depth limits.
source "$(dirname "$0")/lib.bash"
CTL=$(cd "$CHUKAN_BIN" && pwd)/chukanctl
SCHEMAS=$CHUKAN_SRC/conf/schemas

# expect CODE CMD...: run CMD, capture stdout+stderr in $T/out, require exit CODE.
expect() {
  local want=$1; shift
  local got=0
  "$@" >"$T/out" 2>&1 || got=$?
  [ "$got" = "$want" ] || { cat "$T/out" >&2; fail "exit $got, expected $want: $*"; }
}

"$CTL" xml --help | grep -q "usage: chukanctl xml validate" || fail "xml --help"
"$CTL" --help | grep -q "^  xml " || fail "chukanctl --help does not list xml"
pass "--help"

cat >"$T/replica.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<ReplicaRegistration xmlns="urn:chukan:replica:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <MessageHeader>
    <MessageID>MSG-1</MessageID>
    <MessageType>ReplicaRegistration</MessageType>
    <Mode>test</Mode>
    <SourceSystem>yobou</SourceSystem>
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
      <PublishFrom>2024-04-01</PublishFrom>
      <AutoAnswer>false</AutoAnswer>
      <Data><![CDATA[<接種記録><回数>1</回数></接種記録>]]></Data>
    </Record>
    <Record>
      <RecordID>R2</RecordID>
      <Operation>delete</Operation>
      <TougouAtenaNo>000000000000124</TougouAtenaNo>
      <DataItemCode>TM00000000000002</DataItemCode>
      <DataSetKey>K2</DataSetKey>
      <Version>2</Version>
      <PublishFrom>2024-04-01</PublishFrom>
      <AutoAnswer>true</AutoAnswer>
      <Data xsi:nil="true" NilReason="deleted"/>
    </Record>
  </Records>
</ReplicaRegistration>
XML

expect 0 "$CTL" xml validate --schema replica-registration --schemas "$SCHEMAS" "$T/replica.xml"
grep -q "replica.xml: valid$" "$T/out" || fail "valid message not reported valid"
# $CHUKAN_SCHEMAS is the default directory (run elsewhere, so conf/schemas does not exist).
(cd "$T" && CHUKAN_SCHEMAS=$SCHEMAS expect 0 "$CTL" xml validate --schema replica-registration "$T/replica.xml")
(cd "$T" && expect 78 "$CTL" xml validate --schema replica-registration "$T/replica.xml")
pass "valid replica registration"

# Bad pattern: a 5-digit atena number on line 14 is reported with line:col.
sed 's|<TougouAtenaNo>000000000000123<|<TougouAtenaNo>12345<|' "$T/replica.xml" >"$T/bad.xml"
expect 1 "$CTL" xml validate --schema replica-registration --schemas "$SCHEMAS" "$T/bad.xml"
grep -qE "bad.xml:14:[0-9]+: .*12345" "$T/out" || fail "bad pattern without line:col"
grep -q "bad.xml: invalid (" "$T/out" || fail "no invalid summary"
pass "invalid message: line:col"

# The replica message is not an inquiry message.
expect 1 "$CTL" xml validate --schema online-inquiry --schemas "$SCHEMAS" "$T/replica.xml"
pass "wrong schema refused"

# XXE: a secret file the document names must never be read or echoed.
echo "SECRET-MARKER-4c1d" >"$T/secret.txt"
cat >"$T/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY e SYSTEM "file://$T/secret.txt">]>
<ReplicaRegistration xmlns="urn:chukan:replica:1"><MessageHeader><MessageID>&e;</MessageID></MessageHeader></ReplicaRegistration>
XML
expect 1 "$CTL" xml validate --schema replica-registration --schemas "$SCHEMAS" "$T/xxe.xml"
grep -qE "xxe.xml:2:1: DOCTYPE declarations are not allowed" "$T/out" || fail "XXE not refused as DOCTYPE"
if grep -q "SECRET-MARKER" "$T/out"; then fail "secret leaked"; fi
# strace, when present, shows the file is never opened.
if command -v strace >/dev/null 2>&1; then
  strace -f -e trace=open,openat -o "$T/trace" "$CTL" xml validate --schema replica-registration \
    --schemas "$SCHEMAS" "$T/xxe.xml" >/dev/null 2>&1 || true
  if grep -q "xxe.xml" "$T/trace"; then # tracing works here (ptrace may be forbidden in some sandboxes)
    if grep -q "secret.txt" "$T/trace"; then fail "secret.txt was opened"; fi
    pass "strace: secret.txt never opened"
  fi
fi
# /etc/passwd and an external parameter entity.
printf '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>\n' >"$T/passwd.xml"
expect 1 "$CTL" xml validate --schema replica-registration --schemas "$SCHEMAS" "$T/passwd.xml"
if grep -q "root:" "$T/out"; then fail "/etc/passwd leaked"; fi
printf '<!DOCTYPE x [<!ENTITY %% p SYSTEM "file://%s/secret.txt"> %%p;]><x/>\n' "$T" >"$T/pe.xml"
expect 1 "$CTL" xml validate --schema replica-registration --schemas "$SCHEMAS" "$T/pe.xml"
grep -q "DOCTYPE declarations are not allowed" "$T/out" || fail "parameter entity not refused"
if grep -q "SECRET-MARKER" "$T/out"; then fail "secret leaked (parameter entity)"; fi
pass "XXE and DOCTYPE refused, nothing read"

# Limits: size (checked before parsing) and depth.
expect 1 "$CTL" xml validate --schema replica-registration --schemas "$SCHEMAS" --max-bytes 100 "$T/replica.xml"
grep -q "larger than the limit of 100 bytes" "$T/out" || fail "size limit"
expect 1 "$CTL" xml validate --schema replica-registration --schemas "$SCHEMAS" --max-depth 3 "$T/replica.xml"
grep -qE "replica.xml:[0-9]+:[0-9]+: element nesting deeper than the limit of 3" "$T/out" || fail "depth limit"
pass "size and depth limits"

# Usage and configuration errors.
expect 2 "$CTL" xml validate "$T/replica.xml"
expect 2 "$CTL" xml check --schema replica-registration "$T/replica.xml"
expect 2 "$CTL" xml validate --schema ../etc/passwd "$T/replica.xml"
expect 2 "$CTL" xml validate --schema replica-registration --max-depth x "$T/replica.xml"
expect 78 "$CTL" xml validate --schema no-such --schemas "$SCHEMAS" "$T/replica.xml"
expect 1 "$CTL" xml validate --schema replica-registration --schemas "$SCHEMAS" "$T/missing.xml"
pass "usage errors"
