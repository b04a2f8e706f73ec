# lib.bash: shared helpers for process-level tests (sourced by tests/process/*.sh, never run alone).
set -euo pipefail
: "${CHUKAN_BIN:?CHUKAN_BIN must point at the gateway directory of the build}"
: "${CHUKAN_SRC:?CHUKAN_SRC must point at the source tree}"

T=$(mktemp -d /tmp/chukan-proc.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# mini_pki DIR: a CA, a server cert for 127.0.0.1/localhost, a client cert, and an untrusted client cert.
mini_pki() {
  local d=$1
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=test-ca" \
    -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
  for n in server client; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=121002/CN=$n" \
      -keyout "$d/$n.key" -out "$d/$n.csr" 2>/dev/null
    # Only the server carries a SAN: client certificates identify systems, not hosts.
    if [ "$n" = server ]; then printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$d/$n.ext"; else : >"$d/$n.ext"; fi
    openssl x509 -req -in "$d/$n.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
      -extfile "$d/$n.ext" -out "$d/$n.pem" 2>/dev/null
  done
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=stranger" \
    -keyout "$d/stranger.key" -out "$d/stranger.pem" 2>/dev/null
}

# wait_for_line FILE REGEX [SECONDS]: wait until FILE has a line matching REGEX.
wait_for_line() {
  local f=$1 re=$2 n=$(( ${3:-20} * 10 ))
  for _ in $(seq 1 "$n"); do
    grep -qE "$re" "$f" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "--- $f:" >&2; cat "$f" >&2 || true
  return 1
}
