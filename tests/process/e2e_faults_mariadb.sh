#!/usr/bin/env bash
# e2e_faults_mariadb: the end-to-end fault cases once more with both gateways on a private MariaDB server instead of SQLite.
set -euo pipefail
export CHUKAN_E2E_STORE=mariadb
exec "$CHUKAN_SRC/scripts/with-mariadb" bash "$CHUKAN_SRC/tests/process/e2e_faults.sh"
