#!/usr/bin/env bash
# config_sample: conf/chukan.properties lists every key gateway/Settings.cpp reads and passes chukan-gateway --check-config.
source "$(dirname "$0")/lib.bash"
GW=$CHUKAN_BIN/chukan-gateway
SAMPLE=$CHUKAN_SRC/conf/chukan.properties

# Every key Settings::load reads, from its source: "chukan.x.y" literals, and the per-tenant
# keys (prefix + "z", prefix = "chukan.tenant." + code + ".") as chukan.tenant.121002.z.
python3 - "$CHUKAN_SRC/gateway/Settings.cpp" "$SAMPLE" <<'PY' || fail "conf/chukan.properties misses keys (above)"
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
keys = set(re.findall(r'"(chukan\.[A-Za-z0-9_.]*[A-Za-z0-9_])"', src))
keys.discard("chukan.tenant")
keys |= {"chukan.tenant.121002." + k for k in re.findall(r'prefix \+ "([A-Za-z0-9_.]+)"', src)}
sample = set(re.findall(r'^\s*#?\s*(chukan\.[A-Za-z0-9_.]+)\s*=', open(sys.argv[2], encoding="utf-8").read(), re.M))
missing = sorted(k for k in keys if k not in sample and not k.endswith(".db"))
for k in missing:
    print(f"conf/chukan.properties: add {k} (read by gateway/Settings.cpp) with a comment, commented out if optional")
active = set(re.findall(r'^\s*(chukan\.[A-Za-z0-9_.]+)\s*=', open(sys.argv[2], encoding="utf-8").read(), re.M))
unknown = sorted(k for k in active if k not in keys)
for k in unknown:
    print(f"conf/chukan.properties: {k} is not read by gateway/Settings.cpp")
assert len(keys) > 40, f"only {len(keys)} keys found in Settings.cpp: has the pattern changed?"
sys.exit(1 if missing or unknown else 0)
PY
pass "every key of gateway/Settings.cpp is in the sample; every key set there is one it reads"

# The sample as shipped loads, run from a tree with a test PKI in var/pki (its relative paths).
mkdir -p "$T/run/var"
ln -s "$CHUKAN_SRC/conf" "$T/run/conf"
"$CHUKAN_SRC/scripts/pki" "$T/run/var/pki" >/dev/null
out=$(cd "$T/run" && "$GW" --config conf/chukan.properties --check-config) || fail "--check-config refused the sample: $out"
grep -q "is valid: node node-1, store sqlite var/chukan/chukan.db" <<<"$out" || fail "summary: $out"
grep -q "tenants 121002" <<<"$out" || fail "summary lacks the tenant: $out"
[ ! -e "$T/run/var/chukan" ] || fail "--check-config created the data directory"
pass "chukan-gateway --check-config accepts conf/chukan.properties"

# A broken key is named, exit 78, nothing started.
sed 's/^chukan.store.backend = sqlite/chukan.store.backend = postgres/' "$SAMPLE" >"$T/run/broken.properties"
code=0; err=$(cd "$T/run" && "$GW" --config broken.properties --check-config 2>&1) || code=$?
[ "$code" = 78 ] && echo "$err" | grep -q "chukan.store.backend: must be 'sqlite' or 'mariadb', got 'postgres'" \
  || fail "broken backend: exit $code: $err"
sed 's#^chukan.tenant.121002.encryption.privateKey = .*#chukan.tenant.121002.encryption.privateKey = var/pki/nowhere.key#' \
  "$SAMPLE" >"$T/run/broken.properties"
code=0; err=$(cd "$T/run" && "$GW" --config broken.properties --check-config 2>&1) || code=$?
[ "$code" = 78 ] && echo "$err" | grep -q "chukan.tenant.121002.encryption.privateKey: file 'var/pki/nowhere.key' does not exist" \
  || fail "missing key file: exit $code: $err"
pass "a broken key is named and the check exits 78"
echo "config_sample: all passed"
